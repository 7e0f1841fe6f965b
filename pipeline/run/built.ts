// How many briefs this process has built. The launcher writes its V8 code cache only
// after one, so that the cache holds the functions a build compiles, not just the
// top level; kept apart from job.ts so that asking does not load the whole pipeline.
let built = 0;

export function countBuilt(): void {
  built++;
}

export function briefsBuilt(): number {
  return built;
}

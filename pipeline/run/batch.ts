// A run over many briefs: decide which to rebuild (the input-hash cache), build
// them in this thread or in a pool of worker threads, and turn each outcome
// into a manifest entry. Each built brief is published here, in the thread that
// holds the output folder's lock, together with its manifest record; the caller
// writes the records of the briefs not built at the end.
import os from 'node:os';
import v8 from 'node:v8';
import path from 'node:path';
import { ManifestRecords, publishBrief, readManifest, type Format, type Manifest, type ManifestEntry } from '../output/manifest.ts';
import type { BuildContext } from './build.ts';
import { artifactsIntact, buildEnvironment, environmentHash, reusable } from './cache.ts';
import type { JobRequest } from './job.ts';
import { runPool, type Outcome } from './pool.ts';
import { msSince, Progress } from './progress.ts';

export interface BatchOptions {
  readonly outDir: string;
  /** Recorded in the manifest (`briefpress 0.1.0`). */
  readonly generator: string;
  readonly formats: ReadonlySet<Format>;
  readonly allowOverflow: boolean;
  /** Worker threads; 1 builds in this thread. */
  readonly jobs: number;
  /** Rebuild even when the inputs did not change. */
  readonly force: boolean;
  readonly previous: Manifest | undefined;
  readonly log: (line: string) => void;
  /** A terminal gets a progress bar; a log (CI) gets plain lines. */
  readonly tty: boolean;
}

export interface BatchResult {
  readonly entries: readonly ManifestEntry[];
  readonly internalErrors: number;
  /** Briefs whose files could not be written (disk full, permissions). */
  readonly outputErrors: number;
}

/** An error of the output folder (the user's to fix) or an internal one (a bug), with what to print. */
export function describeError(error: unknown): { error: string; output: boolean } {
  const output = (error as { code?: string }).code === 'OUTPUT';
  return { output, error: output ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

export const defaultJobs = (): number => Math.max(1, os.availableParallelism?.() ?? os.cpus().length);

/** Splits the briefs into those whose recorded files can be kept and those to build. */
function planBuilds(briefDirs: readonly string[], options: BatchOptions, previous: ReadonlyMap<string, ManifestEntry>): { kept: ManifestEntry[]; requests: JobRequest[] } {
  const environment = buildEnvironment(environmentHash(), options.formats, options.allowOverflow);
  const kept: ManifestEntry[] = [];
  const requests: JobRequest[] = [];
  for (const dir of briefDirs) {
    const entry = options.force ? undefined : reusable(previous.get(path.basename(dir)), dir, environment, options.outDir);
    if (entry) kept.push({ ...entry, status: 'reused' });
    else requests.push({ dir, formats: [...options.formats], allowOverflow: options.allowOverflow, environment });
  }
  return { kept, requests };
}

/**
 * The files of a brief's last good build, when they are still on disk exactly as
 * recorded: a failed build leaves them in place, and the manifest says so.
 */
function lastGoodBuild(previous: ManifestEntry | undefined, outDir: string): ManifestEntry['lastGood'] {
  const lastGood =
    previous?.status === 'failed'
      ? previous.lastGood
      : previous && {
          version: previous.version,
          updated: previous.updated,
          ...(previous.title !== undefined ? { title: previous.title } : {}),
          artifacts: previous.artifacts,
          ...(previous.thumbnail ? { thumbnail: previous.thumbnail } : {}),
        };
  if (!lastGood || lastGood.artifacts.length === 0 || !artifactsIntact(lastGood.artifacts, outDir)) return undefined;
  return lastGood;
}

export async function runBatch(briefDirs: readonly string[], options: BatchOptions, inProcess: () => Promise<BuildContext>): Promise<BatchResult> {
  const previous = new Map(options.previous?.briefs.map((e) => [e.id, e]) ?? []);
  const progress = new Progress(briefDirs.length, options.tty, options.log);
  const { kept, requests } = planBuilds(briefDirs, options, previous);
  const entries: ManifestEntry[] = [];
  for (const entry of kept) {
    entries.push(entry);
    progress.done(entry.id, 'reused', 0);
  }
  let internalErrors = 0;
  let outputErrors = 0;
  const failed = (id: string, errors: readonly string[]): ManifestEntry => {
    const lastGood = lastGoodBuild(previous.get(id), options.outDir);
    return { id, status: 'failed', artifacts: [], errors, ...(lastGood ? { lastGood } : {}) };
  };
  // A single brief prints each stage's time (runInProcess); publishing is its last stage.
  const single = requests.length === 1;
  // The manifest as this run writes it, brief by brief: read once (this process holds the folder's lock).
  const records = new ManifestRecords(options.generator, readManifest(options.outDir)?.briefs ?? []);
  const record = (outcome: Outcome) => {
    if (outcome.result?.entry.status === 'built') {
      try {
        const started = performance.now();
        publishBrief(options.outDir, options.generator, outcome.result.entry, outcome.result.artifacts, undefined, outcome.result.extra, records);
        if (single) options.log(`${outcome.result.entry.id} publish ${msSince(started)} ms`);
      } catch (error) {
        for (const line of outcome.result.messages) options.log(line);
        return record({ dir: outcome.dir, ...describeError(error) });
      }
    }
    if (outcome.result) {
      const { result } = outcome;
      for (const line of result.messages) options.log(line);
      const entry = result.entry.status === 'failed' ? failed(result.entry.id, result.entry.errors ?? []) : result.entry;
      entries.push(entry);
      progress.done(entry.id, entry.status, result.ms, entry.artifacts);
      return;
    }
    if (outcome.output) outputErrors++;
    else internalErrors++;
    const id = path.basename(outcome.dir);
    const message = outcome.output ? `briefpress: ${outcome.error}` : `${id}: internal error: ${outcome.error}`;
    options.log(message);
    // Files that could not be written leave the earlier ones in place: so does their record.
    const earlier = outcome.output ? previous.get(id) : undefined;
    entries.push(earlier ?? failed(id, [message.split('\n')[0]!]));
    progress.done(id, 'failed', 0);
  };

  const workers = Math.min(options.jobs, requests.length);
  if (workers > 1) await runPool(requests, workers, record);
  else if (requests.length > 0) await runInProcess(requests, await inProcess(), options.log, record);
  progress.finish();
  return { entries, internalErrors, outputErrors };
}

/** One brief at a time in this process; a single brief prints each stage's time. */
async function runInProcess(requests: readonly JobRequest[], context: BuildContext, log: (line: string) => void, record: (outcome: Outcome) => void): Promise<void> {
  const { runJob } = await import('./job.ts');
  // pipeline/launch.mjs starts the CLI without V8's optimising compiler, which costs a
  // single brief more than it gives; brief after brief in one process, it pays.
  if (requests.length > 1) v8.setFlagsFromString('--opt');
  const verbose = requests.length === 1;
  for (const request of requests) {
    try {
      record({ dir: request.dir, result: await runJob(request, context, verbose ? (id, t) => log(`${id} ${t.stage} ${t.ms} ms`) : undefined) });
    } catch (error) {
      record({ dir: request.dir, ...describeError(error) });
    }
  }
}

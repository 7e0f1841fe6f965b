// The folder tree is the architecture: each stage of pipeline/ may import from
// core/, from its own folder and from earlier stages, never from a later one
// (nor from a sibling: the PDF and the deck do not know about each other).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';

/** Stages in pipeline order; stages of the same rank may not import each other. */
const RANK: Readonly<Record<string, number>> = {
  core: 0,
  input: 1,
  validate: 2,
  charts: 3,
  compose: 4,
  pdf: 5,
  deck: 5,
  web: 5,
  output: 6,
  catalog: 7,
  run: 8,
};

const pipelineDir = path.join(projectRoot, 'pipeline');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mjs)$/.test(entry.name) ? [full] : [];
  });
}

/** Relative module specifiers of static imports, dynamic imports and re-exports. */
export function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) found.push(m[1]!);
  return found;
}

function stageOf(file: string): string | undefined {
  const rel = path.relative(pipelineDir, file);
  const [first, ...rest] = rel.split(path.sep);
  return rest.length > 0 ? first : undefined;
}

export function violations(files: readonly string[], read: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = stageOf(file);
    for (const specifier of importsOf(read(file))) {
      const target = path.resolve(path.dirname(file), specifier);
      const to = stageOf(target);
      const where = `${path.relative(projectRoot, file)} imports ${specifier}`;
      if (from === undefined || to === undefined) {
        // Only the launcher lives at the top of pipeline/; it starts run/.
        if (!(from === undefined && to === 'run')) problems.push(`${where}: every module belongs to a stage folder`);
        continue;
      }
      if (!(to in RANK)) problems.push(`${where}: "${to}" is not a known stage`);
      else if (!(from in RANK)) problems.push(`${path.relative(projectRoot, file)}: "${from}" is not a known stage`);
      else if (from !== to && RANK[to]! >= RANK[from]!) problems.push(`${where}: ${from} (stage ${RANK[from]}) may not import ${to} (stage ${RANK[to]})`);
    }
  }
  return problems;
}

describe('architecture', () => {
  const files = sourceFiles(pipelineDir);

  it('puts every pipeline module in a stage folder', () => {
    const loose = files.filter((f) => stageOf(f) === undefined && path.basename(f) !== 'launch.mjs');
    expect(loose.map((f) => path.relative(projectRoot, f))).toEqual([]);
    const folders = new Set(files.flatMap((f) => stageOf(f) ?? []));
    expect([...folders].filter((s) => !(s in RANK))).toEqual([]);
  });

  it('has no import that points back up the pipeline or across to a sibling stage', () => {
    expect(violations(files)).toEqual([]);
  });

  it('catches an import that points back up (the check itself can fail)', () => {
    const fake = path.join(pipelineDir, 'core', 'fake.ts');
    const sibling = path.join(pipelineDir, 'deck', 'fake.ts');
    const sources: Record<string, string> = {
      [fake]: "import { main } from '../run/cli.ts';\nconst m = await import('../pdf/layout.ts');",
      [sibling]: "import type { Layout } from '../pdf/layout.ts';\nimport { x } from './package.ts';",
    };
    expect(violations(Object.keys(sources), (f) => sources[f]!)).toEqual([
      'pipeline/core/fake.ts imports ../run/cli.ts: core (stage 0) may not import run (stage 8)',
      'pipeline/core/fake.ts imports ../pdf/layout.ts: core (stage 0) may not import pdf (stage 5)',
      'pipeline/deck/fake.ts imports ../pdf/layout.ts: deck (stage 5) may not import pdf (stage 5)',
    ]);
  });
});

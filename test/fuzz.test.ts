// Property-based fuzzing of the whole build, through the CLI: a brief mutated at
// random (wrong types, deleted fields, random Unicode, huge values, damaged data
// files, special files where a file should be — a FIFO, a folder, a link to
// /dev/zero —, Latin-1 bytes, control characters in a CSV, a chart made a pie of
// many slices). Every run must exit 0 with valid artifacts, built byte-identical a
// second time, or exit 1 with located problems and the earlier build's
// files intact; never throw, never hang, never leave a temp file or the lock. Two
// briefs: the sample, and the synthetic one that uses every content element
// (tables, text box, image figures, annotated charts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { everyElementDir, isWellFormed, readDeck, readPdf, runMain, sampleDir, tempDir } from './helpers.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

/** Every path to a value in a brief, e.g. ['sections', 2, 'blocks', 0, 'paragraph']. */
function paths(value: Json, prefix: Path = []): Path[] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}

const randomValue: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // any code point, control characters and astral planes included
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
  fc.constantFrom(
    'x'.repeat(25_000),
    '9'.repeat(400),
    '2019-02-30',
    'javascript:alert(1)',
    '../../etc/passwd',
    '{{constructor}}',
    '**',
    '[a](report:NOPE)',
    '[](#nowhere)',
    '^q',
    'page',
    'line',
    '尖閣諸島 대한민국 טוקיו',
  ),
);

/** A file replaced by something that is not a regular file. */
const special = fc.constantFrom('fifo' as const, 'folder' as const, 'dev-zero' as const);
/** Bytes inserted into a file: a Latin-1 "é" (not UTF-8), or a control character. */
const insertion = fc.record({
  kind: fc.constant('insert-byte' as const),
  byte: fc.constantFrom(0xe9, 0xa0, 0xff, 0x07, 0x0c, 0x1b, 0x7f),
  offset: fc.nat(400),
});

/** Ways to damage a data file of the brief (a CSV or an image). */
const damage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat(200) }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('remove' as const) }),
  fc.record({ kind: fc.constant('special' as const), what: special }),
  insertion,
);
type Damage = typeof damage extends fc.Arbitrary<infer T> ? T : never;

function damageAt(file: string, how: Damage): void {
  if (how.kind === 'remove') fs.rmSync(file, { force: true });
  else if (how.kind === 'truncate') fs.writeFileSync(file, fs.readFileSync(file).subarray(0, how.keep));
  else if (how.kind === 'bytes') fs.writeFileSync(file, Buffer.concat([fs.readFileSync(file).subarray(0, 32), how.bytes]));
  else if (how.kind === 'insert-byte') {
    const bytes = fs.readFileSync(file);
    const at = Math.min(how.offset, bytes.length);
    fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, at), Buffer.from([how.byte]), bytes.subarray(at)]));
  } else {
    fs.rmSync(file, { force: true });
    if (how.what === 'fifo') execFileSync('mkfifo', [file]);
    else if (how.what === 'folder') fs.mkdirSync(file);
    else fs.symlinkSync('/dev/zero', file);
  }
}

/** `FILE:LINE:COL FIELD: message` or, for a file as a whole, `FILE: message` naming it. */
const LOCATED = /^(\S*(brief\.yaml|\.csv))(:\d+:\d+)?( (?:[\w.[\]]|\\u\{[0-9A-F]+\})+)?: \S/;

function fuzz(label: string, source: string, seed: number): void {
  const brief = parse(fs.readFileSync(path.join(source, 'brief.yaml'), 'utf8')) as Json;
  const allPaths = paths(brief);
  const dataFiles = fs.readdirSync(source).filter((f) => f !== 'brief.yaml');
  const mutation = fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(allPaths.length - 1), value: randomValue }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(allPaths.length - 1) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(allPaths.length - 1), value: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), offset: fc.nat(400) }), weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('damage' as const), file: fc.nat(Math.max(0, dataFiles.length - 1)), how: damage }), weight: 3 },
    // A chart made a pie of 7 to 16 slices: past pptxgenjs's palette, where it once picked colours at random.
    { arbitrary: fc.record({ kind: fc.constant('pie' as const), figure: fc.nat(8), slices: fc.integer({ min: 7, max: 16 }) }), weight: 1 },
    // brief.yaml itself, now and then: most such runs are refused before any check.
    { arbitrary: fc.record({ kind: fc.constant('brief' as const), how: fc.oneof(fc.record({ kind: fc.constant('special' as const), what: special }), insertion) }), weight: 1 },
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

  function apply(root: Json, m: Mutation): Json {
    if (m.kind === 'pie') return asPie(root, m);
    if (m.kind === 'damage' || m.kind === 'brief') return root;
    const copy = structuredClone(root);
    const target = allPaths[m.at]!;
    let parent: Json = copy;
    for (const step of target.slice(0, -1)) {
      if (parent === null || typeof parent !== 'object') return copy;
      parent = (parent as Record<string | number, Json>)[step] ?? null;
    }
    if (parent === null || typeof parent !== 'object') return copy;
    const key = target[target.length - 1]!;
    const container = parent as Record<string | number, Json>;
    if (m.kind === 'delete') {
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key];
    } else if (m.kind === 'set') container[key] = m.value;
    else if (typeof container[key] === 'string') {
      const s = container[key] as string;
      const at = Math.min(m.offset, s.length);
      container[key] = s.slice(0, at) + m.value + s.slice(at);
    }
    return copy;
  }

  /** The brief with its chart figure `m.figure` (modulo their number) a pie of one series; its CSV is written by writePie. */
  function asPie(root: Json, m: Extract<Mutation, { kind: 'pie' }>): Json {
    const copy = structuredClone(root) as { figures?: Array<{ chart?: Record<string, Json> }> };
    const charts = (copy.figures ?? []).filter((f) => f && typeof f === 'object' && f.chart && typeof f.chart === 'object');
    const chart = charts[m.figure % Math.max(1, charts.length)]?.chart;
    if (!chart || !Array.isArray(chart['series']) || chart['series'].length === 0) return copy as Json;
    chart['type'] = 'pie';
    chart['series'] = [chart['series'][0]!];
    for (const key of ['annotations', 'stacked', 'axisTitle', 'orientation']) delete chart[key];
    return copy as Json;
  }

  function writePie(dir: string, tree: Json, m: Extract<Mutation, { kind: 'pie' }>): void {
    const charts = ((tree as { figures?: Array<{ chart?: Record<string, Json> }> }).figures ?? []).flatMap((f) => (f?.chart?.['type'] === 'pie' ? [f.chart] : []));
    for (const chart of charts) {
      const series = (chart['series'] as Array<{ column?: Json }>)[0];
      if (typeof chart['data'] !== 'string' || typeof chart['categoryColumn'] !== 'string' || typeof series?.column !== 'string') continue;
      const file = path.join(dir, chart['data']);
      if (!fs.lstatSync(file, { throwIfNoEntry: false })?.isFile()) continue;
      const rows = Array.from({ length: m.slices }, (_, i) => `Slice ${i + 1},${(i + 1) * 3}`);
      fs.writeFileSync(file, [`${chart['categoryColumn']},${series.column}`, ...rows].join('\n') + '\n');
    }
  }

  function damageFile(dir: string, m: Extract<Mutation, { kind: 'damage' }>): void {
    const name = dataFiles[m.file];
    if (!name) return;
    const file = path.join(dir, name);
    // Removed or made special by an earlier mutation of this run: leave it so.
    if (!fs.lstatSync(file, { throwIfNoEntry: false })?.isFile()) return;
    damageAt(file, m.how);
  }

  describe(`fuzzing ${label}`, () => {
    it('builds valid artifacts or reports located problems, for every mutation', async () => {
      const root = tempDir();
      const id = path.basename(source);
      // The earlier build every refused run must leave as it was.
      const earlier = path.join(root, 'earlier');
      const first = await runMain(['--data', path.dirname(path.dirname(copyInto(path.join(root, 'good'), source, id))), '--out', earlier, '--jobs', '1', '--allow-overflow']);
      expect(first.code, first.stderr).toBe(0);
      const earlierFiles = new Map(fs.readdirSync(earlier).filter((f) => fs.statSync(path.join(earlier, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(earlier, f))]));
      let run = 0;
      const outcomes = { built: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const data = path.join(root, `run${run}`);
          const out = path.join(root, `out${run++}`);
          const dir = copyInto(data, source, id);
          fs.cpSync(earlier, out, { recursive: true });
          for (const m of mutations) if (m.kind === 'damage') damageFile(dir, m);
          const briefFile = path.join(dir, 'brief.yaml');
          const tree = mutations.reduce(apply, brief);
          fs.writeFileSync(briefFile, stringify(tree));
          for (const m of mutations) if (m.kind === 'pie') writePie(dir, tree, m);
          for (const m of mutations) if (m.kind === 'brief' && fs.lstatSync(briefFile).isFile()) damageAt(briefFile, m.how);
          // allowOverflow: a mutation that lengthens the text is not what this test looks for.
          const { code, stderr } = await runMain(['--data', data, '--out', out, '--jobs', '1', '--allow-overflow']);
          expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')), 'a temp file or the lock left behind').toEqual([]);
          // An internal error (exit 3) is the stack trace a user must never see.
          expect([0, 1], stderr).toContain(code);
          if (code === 1) {
            outcomes.refused++;
            const entry = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).briefs[0];
            expect(entry.status).toBe('failed');
            expect(entry.errors.length).toBeGreaterThan(0);
            for (const line of entry.errors as string[]) expect(line, 'a problem named without its file and place').toMatch(LOCATED);
            for (const [name, bytes] of earlierFiles) if (name !== 'manifest.json' && name !== 'index.html') expect(fs.readFileSync(path.join(out, name)).equals(bytes), `${name} changed by a refused build`).toBe(true);
            return;
          }
          outcomes.built++;
          expect((await readPdf(fs.readFileSync(path.join(out, `${id}.pdf`)))).numPages).toBeGreaterThanOrEqual(2);
          const deck = await readDeck(fs.readFileSync(path.join(out, `${id}.pptx`)));
          for (const [name, xml] of deck.files) expect(isWellFormed(xml), name).toBe(true);
          expect(stderr).not.toMatch(/\uFFFD/);
          // The same input gives the same bytes: built again, in a fresh process-independent run, every file matches.
          const again = `${out}-again`;
          expect((await runMain(['--data', data, '--out', again, '--jobs', '1', '--allow-overflow', '--force'])).code).toBe(0);
          for (const name of [`${id}.pdf`, `${id}.pptx`]) expect(fs.readFileSync(path.join(again, name)).equals(fs.readFileSync(path.join(out, name))), `${name} differs between two builds`).toBe(true);
        }),
        {
          // FUZZ_RUNS and FUZZ_SEED widen the search by hand; CI runs the fixed, bounded set.
          numRuns: Number(process.env['FUZZ_RUNS'] ?? 24),
          seed: Number(process.env['FUZZ_SEED'] ?? seed),
          endOnFailure: true,
          interruptAfterTimeLimit: 240_000,
        },
      );
      process.stderr.write(`fuzz ${label}: ${outcomes.built} built, ${outcomes.refused} refused with located problems\n`);
      // The property must have exercised both outcomes to mean anything.
      expect(outcomes.built).toBeGreaterThan(0);
      expect(outcomes.refused).toBeGreaterThan(0);
    }, 300_000);
  });
}

/** A copy of the brief in `source` as `data/briefs/<id>/`; returns that folder. */
function copyInto(data: string, source: string, id: string): string {
  const dir = path.join(data, 'briefs', id);
  fs.cpSync(source, dir, { recursive: true });
  return dir;
}

fuzz('the sample brief', sampleDir, 20190514);
fuzz('the brief with every content element', everyElementDir, 20260302);

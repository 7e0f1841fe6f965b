// Property-based fuzzing of the whole build: a brief mutated at random (wrong
// types, deleted fields, random Unicode, huge values, damaged data files). Every
// run must either build valid artifacts or report located problems; never throw,
// never hang. Two briefs: the sample, and the synthetic one that uses every
// content element (tables, text box, image figures, annotated charts).
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DiagnosticCode } from '../pipeline/core/diagnostics.ts';
import { artifact, build, everyElementDir, isWellFormed, readDeck, readPdf, sampleDir, tempDir } from './helpers.ts';

const knownCodes: readonly string[] = Object.values(DiagnosticCode);

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

/** Ways to damage a data file of the brief (a CSV or an image). */
const damage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat(200) }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('remove' as const) }),
);

function fuzz(label: string, source: string, seed: number): void {
  const brief = parse(fs.readFileSync(path.join(source, 'brief.yaml'), 'utf8')) as Json;
  const allPaths = paths(brief);
  const dataFiles = fs.readdirSync(source).filter((f) => f !== 'brief.yaml');
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(allPaths.length - 1), value: randomValue }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(allPaths.length - 1) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(allPaths.length - 1), value: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), offset: fc.nat(400) }),
    fc.record({ kind: fc.constant('damage' as const), file: fc.nat(Math.max(0, dataFiles.length - 1)), how: damage }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

  function apply(root: Json, m: Mutation): Json {
    if (m.kind === 'damage') return root;
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

  function damageFile(dir: string, m: Extract<Mutation, { kind: 'damage' }>): void {
    const name = dataFiles[m.file];
    if (!name) return;
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) return; // removed by an earlier mutation of this run
    if (m.how.kind === 'remove') fs.rmSync(file, { force: true });
    else if (m.how.kind === 'truncate') fs.writeFileSync(file, fs.readFileSync(file).subarray(0, m.how.keep));
    else fs.writeFileSync(file, Buffer.concat([fs.readFileSync(file).subarray(0, 32), m.how.bytes]));
  }

  describe(`fuzzing ${label}`, () => {
    it('builds valid artifacts or reports located problems, for every mutation', async () => {
      const root = tempDir();
      const id = path.basename(source);
      let run = 0;
      const outcomes = { built: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const dir = path.join(root, `run${run++}`, id);
          fs.mkdirSync(dir, { recursive: true });
          for (const file of dataFiles) fs.copyFileSync(path.join(source, file), path.join(dir, file));
          for (const m of mutations) if (m.kind === 'damage') damageFile(dir, m);
          fs.writeFileSync(path.join(dir, 'brief.yaml'), stringify(mutations.reduce(apply, brief)));
          // allowOverflow: a mutation that lengthens the text is not what this test looks for.
          const result = await build(dir, ['pdf', 'pptx'], { allowOverflow: true }); // a throw here fails the property: that is the stack trace a user must never see
          if (!result.ok) {
            outcomes.refused++;
            const problems = result.diagnostics.filter((d) => d.severity === 'error');
            expect(problems.length).toBeGreaterThan(0);
            for (const d of problems) {
              expect(d.file).toMatch(/brief\.yaml$|\.csv$/);
              expect(d.message.length).toBeGreaterThan(0);
              expect(knownCodes).toContain(d.code);
              // Only a problem with the file as a whole may lack both a position and a field.
              expect(d.line > 0 || d.field !== '' || d.code === 'file-too-large').toBe(true);
            }
            return;
          }
          outcomes.built++;
          expect((await readPdf(artifact(result, 'pdf'))).numPages).toBeGreaterThanOrEqual(2);
          const deck = await readDeck(artifact(result, 'pptx'));
          for (const [name, xml] of deck.files) expect(isWellFormed(xml), name).toBe(true);
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

fuzz('the sample brief', sampleDir, 20190514);
fuzz('the brief with every content element', everyElementDir, 20260302);

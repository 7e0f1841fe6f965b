// Property-based fuzzing of the whole build: the sample brief mutated at random
// (wrong types, deleted fields, random Unicode, huge values). Every run must
// either build valid artifacts or report located problems; never throw, never hang.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { artifact, build, isWellFormed, readDeck, readPdf, sampleDir, tempDir } from './helpers.ts';
import { DiagnosticCode } from '../pipeline/core/diagnostics.ts';

const knownCodes: readonly string[] = Object.values(DiagnosticCode);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const sample = parse(fs.readFileSync(path.join(sampleDir, 'brief.yaml'), 'utf8')) as Json;

/** Every path to a value in the sample, e.g. ['sections', 2, 'blocks', 0, 'paragraph']. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}
const allPaths = paths(sample);

const randomValue: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // any code point, control characters and astral planes included
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
  fc.constantFrom('x'.repeat(25_000), '9'.repeat(400), '2019-02-30', 'javascript:alert(1)', '../../etc/passwd', '{{constructor}}', '**', '[a](report:NOPE)', '尖閣諸島 대한민국 טוקיו'),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(allPaths.length - 1), value: randomValue }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(allPaths.length - 1) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(allPaths.length - 1), value: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), offset: fc.nat(400) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(root: Json, m: Mutation): Json {
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

describe('fuzzing the sample brief', () => {
  it('builds valid artifacts or reports located problems, for every mutation', async () => {
    const root = tempDir();
    let run = 0;
    const outcomes = { built: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const dir = path.join(root, `run${run++}`, 'IF10199');
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(path.join(sampleDir, 'top-us-trade-partners.csv'), path.join(dir, 'top-us-trade-partners.csv'));
        fs.writeFileSync(path.join(dir, 'brief.yaml'), stringify(mutations.reduce(apply, sample)));
        const result = await build(dir); // a throw here fails the property: that is the stack trace a user must never see
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
        numRuns: Number(process.env['FUZZ_RUNS'] ?? 40),
        seed: Number(process.env['FUZZ_SEED'] ?? 20190514),
        endOnFailure: true,
        interruptAfterTimeLimit: 240_000,
      },
    );
    process.stderr.write(`fuzz: ${outcomes.built} built, ${outcomes.refused} refused with located problems\n`);
    // The property must have exercised both outcomes to mean anything.
    expect(outcomes.built).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 300_000);
});

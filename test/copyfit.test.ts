// Copyfitting: a brief a few lines over its page budget is brought back inside by
// setting the paragraphs where it costs least one line shorter, and says so.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose, type ComposedBrief } from '../pipeline/compose/compose.ts';
import { layoutBrief, type Layout } from '../pipeline/pdf/layout.ts';
import { spacingFigures } from '../pipeline/pdf/spacing.ts';
import { readPdf, runMain, sharedContext, tempDir, validateDir, writeBrief } from './helpers.ts';

const WORDS = 'the program provides funding for security improvements at nonprofit organizations facing threats and the agency reviews applications from states which distribute grants to eligible institutions across urban and rural areas'.split(' ');
const paragraph = (n: number, seed: number) => Array.from({ length: n }, (_, i) => WORDS[(i * 7 + seed * 3) % WORDS.length]).join(' ') + '.';

/** Nineteen paragraphs of 70–109 words, then one of `n`: close to the In Focus budget of two body pages. */
const body = (n: number) =>
  ['sections:', '  - heading: Background', '    blocks:', ...Array.from({ length: 19 }, (_, i) => `      - paragraph: ${paragraph(70 + ((i * 13) % 40), i)}`), `      - paragraph: ${paragraph(n, 99)}`].join('\n');

function composeDir(dir: string): ComposedBrief {
  const validated = validateDir(dir);
  if (!validated.result) throw new Error(JSON.stringify(validated.diagnostics));
  const { brief, tableData, images } = validated.result;
  return compose({ brief, charts: new Map(), tables: tableData, images, templates: sharedContext().templates });
}

const budget = () => sharedContext().theme.series['In Focus']!.bodyPages;

/** Lengthens the last paragraph until the layout has to tighten to keep inside the budget. */
function firstTightened(): { n: number; layout: Layout; composed: ComposedBrief } {
  const { theme, fonts } = sharedContext();
  for (let n = 5; n < 300; n += 3) {
    const composed = composeDir(writeBrief(body(n)));
    const layout = layoutBrief(composed, theme, fonts, budget());
    if (layout.overflow) break;
    if (layout.tightened.length > 0) return { n, layout, composed };
  }
  throw new Error('no length of the last paragraph made the layout tighten one');
}

describe('copyfitting', () => {
  const found = firstTightened();

  it('brings a brief just over its budget back inside by setting the cheapest paragraphs a line shorter', () => {
    const { layout } = found;
    expect(layout.overflow).toBeUndefined();
    expect(layout.bodyPages).toBe(budget());
    const costs = layout.tightened.map((t) => t.cost);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    for (const t of layout.tightened) {
      expect(t.lines).toBe(-1);
      const set = layout.justified.find((j) => j.block === t.block && j.item === t.item)!;
      expect(set.lines).toHaveLength(t.from - 1);
    }
    // Tightened within the quality limits: no word space under 0.8× or over 1.5× normal.
    const figures = spacingFigures(layout.justified, sharedContext().fonts);
    expect(figures.minSpace).toBeGreaterThanOrEqual(0.8);
    expect(figures.maxSpace).toBeLessThanOrEqual(1.5);
    expect(figures.ragged).toBe(0);
  });

  it('leaves a brief inside its budget as set: a shorter last paragraph needs no tightening', () => {
    const { theme, fonts } = sharedContext();
    const layout = layoutBrief(composeDir(writeBrief(body(found.n - 3))), theme, fonts, budget());
    expect(layout.overflow).toBeUndefined();
    expect(layout.tightened).toEqual([]);
  });

  it('fails a brief that tightening cannot bring inside, as before, with nothing tightened', () => {
    const { theme, fonts } = sharedContext();
    const layout = layoutBrief(composeDir(writeBrief(body(found.n + 250))), theme, fonts, budget());
    expect(layout.overflow).toBeDefined();
    expect(layout.tightened).toEqual([]);
  });

  it('says in the build log and the manifest which paragraphs were tightened, at their line in brief.yaml', async () => {
    const dir = writeBrief(body(found.n));
    const out = path.join(tempDir(), 'out');
    const { code, stderr } = await runMain([path.basename(dir), '--data', path.dirname(path.dirname(dir)), '--out', out, '--format', 'pdf']);
    expect(code, stderr).toBe(0);
    const yamlLines = fs.readFileSync(path.join(dir, 'brief.yaml'), 'utf8').split('\n');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { briefs: Array<{ tightened?: Array<{ field: string; line: number; from: number; to: number }> }> };
    const tightened = manifest.briefs[0]!.tightened!;
    expect(tightened).toHaveLength(found.layout.tightened.length);
    for (const t of tightened) {
      expect(t.field).toMatch(/^sections\[0\]\.blocks\[\d+\]\.paragraph$/);
      expect(yamlLines[t.line - 1]).toContain('- paragraph:');
      expect(t.to).toBe(t.from - 1);
      expect(stderr).toContain(`brief.yaml:${t.line}:`);
      expect(stderr).toContain(`set ${t.from} → ${t.to} lines`);
    }
    expect((await readPdf(fs.readFileSync(path.join(out, 'IF99001.pdf')))).numPages).toBe(budget() + 1);
  });
});

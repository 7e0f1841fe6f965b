// The layout as data: typesetting rules checked on placed boxes, no PDF opened.
// Crafted briefs sweep a block's length so that headings, paragraphs, lists and
// figures land at every position of a column, including its foot.
import { describe, expect, it } from 'vitest';
import type { ChartArtifact } from '../pipeline/charts/charts.ts';
import { compose, type ComposedBrief } from '../pipeline/compose/compose.ts';
import { layoutBrief, type Layout, type PlacedItem } from '../pipeline/pdf/layout.ts';
import { flowBrief } from '../pipeline/pdf/flow.ts';
import { bodyColumnWidth } from '../pipeline/pdf/frame.ts';
import { footLines, linesHere, measureBrief, type MeasuredBlock, type MeasuredFigure, type MeasuredHeading } from '../pipeline/pdf/measure.ts';
import { Typesetter } from '../pipeline/pdf/typesetter.ts';
import type { z } from 'zod';
import { briefSchema } from '../pipeline/input/schema.ts';
import { sampleDir, sharedContext, validateDir } from './helpers.ts';

const WORDS = 'policy alliance trade security negotiations agreement economy regional relations cooperation tariffs investment'.split(' ');
const words = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => WORDS[(i * 7 + seed) % WORDS.length]).join(' ') + '.';

function fakeChart(id: string): ChartArtifact {
  return { figureId: id, type: 'bar', orientation: 'horizontal', categories: ['A'], series: [{ label: 'S', values: [1], color: '#000000' }], numberFormat: { decimals: 0, prefix: '', suffix: '' }, language: 'en-US', stacked: false, annotations: [], svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', widthPt: 261, heightPt: 132 };
}

type BriefInput = z.input<typeof briefSchema>;

function composeData(data: Partial<BriefInput> & Pick<BriefInput, 'sections'>): ComposedBrief {
  const brief = briefSchema.parse({
    id: 'TEST1',
    series: 'In Focus',
    title: 'A Test Brief',
    updated: '2020-01-02',
    version: 2,
    language: 'en-US',
    publisher: { name: 'Congressional Research Service', url: 'https://crsreports.congress.gov' },
    authors: [{ name: 'A. Author', title: 'Analyst' }],
    disclaimer: 'Disclaimer text.',
    ...data,
  });
  const charts = new Map(brief.figures.map((f) => [f.id, fakeChart(f.id)]));
  return compose({ brief, charts, tables: new Map(), images: new Map(), templates: sharedContext().templates });
}

const layout = (brief: ComposedBrief) => layoutBrief(brief, sharedContext().theme, sharedContext().fonts);

const figure = (id: string) => ({ id, title: `Figure ${id}`, source: 'Test data.', alt: 'A chart.', chart: { type: 'bar' as const, data: 'x.csv', categoryColumn: 'c', series: [{ column: 'v', label: 'V' }] } });

/** Every typesetting rule the layout promises, as a list of violations (empty when all hold). */
function violations(result: Layout): string[] {
  const problems: string[] = [];
  const body = sharedContext().theme.pdf.body;
  for (const page of result.pages) {
    const where = (item: PlacedItem, i: number) => `page ${page.number} item ${i} (${item.kind}${item.kind === 'text' ? ` ${item.role} block ${item.block}` : ''})`;
    // Text and figures stay inside their column.
    page.items.forEach((item, i) => {
      if (item.kind === 'text' && item.column >= 0) {
        const col = page.columns[item.column]!;
        for (const line of item.lines) {
          const width = line.fragments.reduce((s, f) => Math.max(s, f.dx + f.width), 0);
          if (line.x < col.x - 0.01 || line.x + width > col.x + col.width + 0.5) problems.push(`${where(item, i)} overflows its column horizontally`);
          if (line.y < col.top - 0.01 || line.y + body.leading > col.bottom + 0.5) problems.push(`${where(item, i)} overflows its column vertically`);
        }
      }
      if (item.kind === 'figure') {
        const col = page.columns[item.column]!;
        if (item.y < col.top - 0.01 || item.y + item.height > col.bottom + 0.5 || item.width > col.width + 0.01) problems.push(`${where(item, i)} overflows its column`);
      }
    });
    // Per column: headings keep company, paragraphs leave no widows or orphans.
    page.columns.forEach((_, c) => {
      const items = page.items.filter((it) => (it.kind === 'text' || it.kind === 'figure') && it.column === c && it.block >= 0);
      items.forEach((item, i) => {
        if (item.kind !== 'text') return;
        const next = items[i + 1];
        if (item.role === 'H2' && (!next || (next.kind === 'text' && next.lines.length < 2 && !isWholeBlock(result, next)))) {
          problems.push(`${where(item, i)} heading is the last thing in its column or is followed by one line`);
        }
        if ((item.role === 'P' || item.role === 'LI') && item.lines.length === 1 && !isWholeBlock(result, item)) {
          problems.push(`${where(item, i)} leaves one line of a paragraph alone in a column`);
        }
      });
    });
  }
  return problems;
}

/** True when this placed piece is all of its block (a one-line paragraph is fine). */
function isWholeBlock(result: Layout, item: Extract<PlacedItem, { kind: 'text' }>): boolean {
  const pieces = result.pages.flatMap((p) => p.items).filter((it) => it.kind === 'text' && it.block === item.block && it.role === item.role && it.label === undefined === (item.label === undefined));
  return pieces.length === 1 || item.role === 'LI';
}

function bodyItems(result: Layout) {
  return result.pages.flatMap((p) => p.items.map((item) => ({ page: p.number, item })));
}

describe('the sample layout', () => {
  const { brief: data } = validateDir(sampleDir).result!;
  const charts = new Map(data.figures.map((f) => [f.id, fakeChart(f.id)]));
  const result = layout(compose({ brief: data, charts, tables: new Map(), images: new Map(), templates: sharedContext().templates }));

  it('keeps every rule and fits two body pages plus the disclaimer', () => {
    expect(violations(result)).toEqual([]);
    expect(result.bodyPages).toBe(2);
    expect(result.pages.map((p) => p.kind)).toEqual(['first', 'body', 'disclaimer']);
  });

  it('places body blocks in reading order: column by column, page by page', () => {
    const order = bodyItems(result)
      .filter(({ item }) => (item.kind === 'text' || item.kind === 'figure') && item.block >= 0)
      .map(({ item }) => (item as { block: number }).block);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('justifies body lines to the column edge without wide gaps, hyphenating where needed', () => {
    const space = sharedContext().fonts.width(' ', { face: 'serif', weight: 'regular' }, sharedContext().theme.pdf.body.size);
    const lines = result.pages.flatMap((page) =>
      page.items.flatMap((item) => (item.kind === 'text' && item.role === 'P' && item.block >= 0 && item.column >= 0 ? item.lines.map((line) => ({ line, col: page.columns[item.column]! })) : [])),
    );
    const justified = lines.filter(({ line }) => line.fragments.some((f) => f.wordSpacing !== undefined));
    expect(justified.length / lines.length).toBeGreaterThan(0.8);
    for (const { line, col } of justified) {
      const last = line.fragments[line.fragments.length - 1]!;
      expect(line.x + last.dx + last.width).toBeCloseTo(col.x + col.width, 1);
      expect(last.wordSpacing!).toBeLessThanOrEqual(space * 2.5);
    }
    const hyphenated = justified.filter(({ line }) => /[a-z]-$/.test(line.fragments[line.fragments.length - 1]!.text));
    expect(hyphenated.length).toBeGreaterThan(0);
  });

  it('reports how full each column is', () => {
    for (const page of result.pages.slice(0, 2)) for (const fill of page.fill) expect(fill).toBeGreaterThan(0.85);
  });
});

describe('typesetting rules on crafted briefs', () => {
  // A long first paragraph of n words pushes what follows through every position of the columns.
  const sweep = Array.from({ length: 60 }, (_, i) => 150 + i * 9);

  it('never leaves a heading at the foot of a column, nor a widow or an orphan', () => {
    for (const n of sweep) {
      const result = layout(
        composeData({
          sections: [
            { blocks: [{ paragraph: words(n) }, { paragraph: words(120, 1) }] },
            { heading: 'A Heading That Must Keep Company', blocks: [{ paragraph: words(90, 2) }, { paragraph: words(60, 3) }] },
            // Three lines cannot split two and one: the heading must keep all three.
            { heading: 'Before Three Lines', blocks: [{ paragraph: words(30, 5) }] },
            { heading: 'Another Heading', blocks: [{ paragraph: words(200, 4) }] },
          ],
        }),
      );
      expect(violations(result), `first paragraph of ${n} words`).toEqual([]);
    }
  });

  it('keeps a bulleted list readable across a column break', () => {
    for (const n of sweep) {
      const result = layout(
        composeData({
          sections: [
            { blocks: [{ paragraph: words(n) }] },
            { heading: 'Key Facts', blocks: [{ bullets: Array.from({ length: 8 }, (_, i) => `**Item ${i + 1}.** ${words(25 + i * 3, i)}`) }] },
          ],
        }),
      );
      expect(violations(result), `first paragraph of ${n} words`).toEqual([]);
      const labels = bodyItems(result).filter(({ item }) => item.kind === 'text' && item.label);
      expect(labels).toHaveLength(8);
    }
  });

  it('moves a figure that does not fit the rest of a column to the top of the next one, whole', () => {
    let moved = 0;
    for (const n of sweep) {
      const result = layout(
        composeData({
          sections: [{ blocks: [{ paragraph: words(n) }, { figure: 'f1' }, { paragraph: words(80, 5) }] }],
          figures: [figure('f1')],
        }),
      );
      expect(violations(result), `${n} words`).toEqual([]);
      const placed = bodyItems(result).find(({ item }) => item.kind === 'figure')!;
      const fig = placed.item as Extract<PlacedItem, { kind: 'figure' }>;
      const page = result.pages[placed.page - 1]!;
      const paragraphEnd = Math.max(...page.items.filter((it) => it.kind === 'text' && it.block === 0 && it.column === fig.column).flatMap((it) => (it.kind === 'text' ? it.lines.map((l) => l.y) : [])), -1);
      if (paragraphEnd < 0) {
        expect(fig.y, 'a moved figure starts its column').toBe(page.columns[fig.column]!.top);
        moved++;
      } else expect(fig.y).toBeGreaterThan(paragraphEnd);
    }
    expect(moved, 'the sweep reaches the case where the figure does not fit').toBeGreaterThan(0);
  });

  it('lays out a brief with no figure and one with three', () => {
    const none = layout(composeData({ sections: [{ blocks: [{ paragraph: words(300) }] }] }));
    expect(bodyItems(none).filter(({ item }) => item.kind === 'figure')).toHaveLength(0);
    const three = layout(
      composeData({
        sections: [{ blocks: [{ paragraph: words(200) }, { figure: 'a' }, { paragraph: words(100, 1) }, { figure: 'b' }, { figure: 'c' }, { paragraph: words(150, 2) }] }],
        figures: [figure('a'), figure('b'), figure('c')],
      }),
    );
    expect(violations(three)).toEqual([]);
    const captions = bodyItems(three).flatMap(({ item }) => (item.kind === 'figure' ? [item.figure.caption] : []));
    expect(captions).toEqual(['Figure 1. Figure a', 'Figure 2. Figure b', 'Figure 3. Figure c']);
  });

  it('keeps a heading inside its column when waiting figures take the top of the next one', () => {
    for (const n of sweep) {
      const longCaption = (id: string) => ({ ...figure(id), title: `A figure whose caption is long enough to take two lines ${id}` });
      const result = layout(
        composeData({
          sections: [
            { blocks: [{ paragraph: words(n) }, { figure: 'a' }, { figure: 'b' }, { figure: 'c' }] },
            { heading: 'After the Figures', blocks: [{ paragraph: words(80, 1) }] },
          ],
          figures: [longCaption('a'), longCaption('b'), longCaption('c')],
        }),
      );
      expect(violations(result), `${n} words`).toEqual([]);
    }
  });

  it('places a figure that waits at the end of the text before the author block', () => {
    for (const n of sweep) {
      const result = layout(composeData({ sections: [{ blocks: [{ paragraph: words(n) }, { figure: 'z' }] }], figures: [figure('z')] }));
      const order = bodyItems(result).flatMap(({ item }) => (item.kind === 'figure' ? ['figure'] : item.kind === 'text' && item.block >= 1 ? ['authors'] : []));
      expect(order[0], `${n} words`).toBe('figure');
    }
  });

  it('ends when a single grapheme is wider than the column', () => {
    const result = layout(composeData({ sections: [{ blocks: [{ paragraph: `Before ${'\u1100'.repeat(60)} after.` }] }] }));
    const text = bodyItems(result).flatMap(({ item }) => (item.kind === 'text' && item.block === 0 ? item.lines.flatMap((l) => l.fragments.map((f) => f.text)) : [])).join('');
    expect(text.replace(/\s+/g, '')).toBe(`Before${'\u1100'.repeat(60)}after.`);
  });

  it('breaks a 10,000-character word instead of overflowing or hanging', () => {
    const result = layout(composeData({ sections: [{ blocks: [{ paragraph: 'x'.repeat(10_000) }] }] }));
    expect(violations(result)).toEqual([]);
    const chars = bodyItems(result).reduce((n, { item }) => n + (item.kind === 'text' && item.block === 0 ? item.lines.reduce((m, l) => m + l.fragments.reduce((k, f) => k + f.text.length, 0), 0) : 0), 0);
    expect(chars).toBe(10_000);
  });

  it('keeps the space after a word that had to be cut', () => {
    const result = layout(composeData({ sections: [{ blocks: [{ paragraph: `${'X'.repeat(120)} applies here.` }] }] }));
    const text = bodyItems(result).flatMap(({ item }) => (item.kind === 'text' && item.block === 0 ? item.lines.flatMap((l) => l.fragments.map((f) => f.text)) : [])).join('');
    expect(text).toMatch(/X applies here\.$/);
  });
});

describe('measured blocks, which the flow places as measured', () => {
  const { theme, fonts } = sharedContext();
  const typesetter = new Typesetter(theme, fonts, "en-US");
  const width = bodyColumnWidth(theme);
  const leading = theme.pdf.body.leading;
  const measure = (brief: ComposedBrief) => measureBrief(brief, typesetter, width).blocks;

  /** The first of paragraphs of 1, 2, 3 … words that sets to each line count. */
  function paragraphsByLineCount(): Map<number, MeasuredBlock> {
    const blocks = measure(composeData({ sections: [{ blocks: Array.from({ length: 60 }, (_, i) => ({ paragraph: words(i + 1) })) }] }));
    const byLines = new Map<number, MeasuredBlock>();
    for (const block of blocks) if (block.kind === 'paragraph' && !byLines.has(block.lines.length)) byLines.set(block.lines.length, block);
    return byLines;
  }

  it('splits lines so that neither column holds a single line of a split block', () => {
    const rule = { orphans: 2, widows: 2 };
    // Room for 0 … 6 lines, five to place: a split leaves two here and two for the next column at the least.
    expect([0, 1, 2, 3, 4, 5, 6].map((room) => linesHere(5, room, rule))).toEqual([0, 0, 2, 3, 3, 5, 5]);
    // Three lines cannot split two and one: all or nothing.
    expect([0, 1, 2, 3].map((room) => linesHere(3, room, rule))).toEqual([0, 0, 0, 3]);
    expect([1, 2, 3, 4, 5, 6].map((total) => footLines(total, rule))).toEqual([1, 2, 3, 2, 2, 2]);
    expect(footLines(6, { orphans: 3, widows: 2 })).toBe(3);
  });

  it('asks of a column foot room for the lines the widow and orphan rule would leave there', () => {
    const byLines = paragraphsByLineCount();
    const needs = [1, 2, 3, 4, 5].map((lines) => byLines.get(lines)?.footNeed);
    expect(needs).toEqual([1, 2, 3, 2, 2].map((lines) => lines * leading));
  });

  it('keeps a heading in its column exactly when the room left holds it and its next block\'s foot need', () => {
    const { spaceBefore } = theme.pdf.heading;
    let moved = 0;
    let kept = 0;
    for (const nextWords of [22, 60]) {
      for (let n = 150; n < 400; n += 2) {
        const brief = composeData({ sections: [{ blocks: [{ paragraph: words(n) }] }, { heading: 'Kept With What Follows', blocks: [{ paragraph: words(nextWords, 2) }] }] });
        const [, heading, next] = measure(brief);
        const need = spaceBefore + (heading as MeasuredHeading).height + next!.footNeed;
        const result = layout(brief);
        const columns = result.pages.flatMap((page) => page.columns.map((col, c) => ({ col, items: page.items.filter((it) => it.kind === 'text' && it.column === c && it.block >= 0) })));
        const at = columns.findIndex(({ items }) => items.some((it) => it.kind === 'text' && it.role === 'H2'));
        const placed = columns[at]!.items.find((it) => it.kind === 'text' && it.role === 'H2') as Extract<PlacedItem, { kind: 'text' }>;
        const atTop = placed.lines[0]!.y === columns[at]!.col.top;
        // Where the text before the heading ended: in the heading's column, or at the foot of the one before.
        const before = atTop ? columns[at - 1]! : columns[at]!;
        const lastLine = before.items.filter((it) => it.kind === 'text' && it.block === 0).flatMap((it) => (it.kind === 'text' ? it.lines : [])).at(-1)!;
        const room = before.col.bottom - (lastLine.y + leading);
        expect(atTop, `${n} words, then ${nextWords}: room ${room}, need ${need}`).toBe(room < need);
        if (atTop) moved++;
        else kept++;
      }
    }
    expect(moved, 'the sweep reaches a heading that must move').toBeGreaterThan(0);
    expect(kept).toBeGreaterThan(0);
  });

  it('places a figure as tall as measured and takes its measured outer height from the column', () => {
    const brief = composeData({
      sections: [{ blocks: [{ paragraph: words(40) }, { figure: 'f1' }, { paragraph: words(30, 1) }] }],
      figures: [{ ...figure('f1'), subtitle: 'Billions of dollars, 2018' }],
    });
    const measured = measure(brief)[1] as MeasuredFigure;
    const items = bodyItems(layout(brief)).map(({ item }) => item);
    const placed = items.find((item) => item.kind === 'figure') as Extract<PlacedItem, { kind: 'figure' }>;
    const after = items.find((item) => item.kind === 'text' && item.block === 2) as Extract<PlacedItem, { kind: 'text' }>;
    expect(placed.height).toBeCloseTo(measured.height, 9);
    expect(placed.chart.height).toBe(measured.parts.chartHeight);
    expect(placed.caption).toHaveLength(measured.parts.caption.lines.length + measured.parts.subtitle.lines.length);
    expect(after.lines[0]!.y).toBeCloseTo(placed.y + measured.outerHeight + theme.pdf.body.paragraphGap, 9);
  });

  it('places the lines it measured, word for word, in every body column of the sample', () => {
    const { brief: data } = validateDir(sampleDir).result!;
    const brief = compose({ brief: data, charts: new Map(data.figures.map((f) => [f.id, fakeChart(f.id)])), tables: new Map(), images: new Map(), templates: sharedContext().templates });
    const result = layout(brief);
    const text = (lines: ReadonlyArray<{ readonly fragments: ReadonlyArray<{ readonly text: string }> }>) => lines.map((l) => l.fragments.map((f) => f.text).join(''));
    measure(brief).forEach((block) => {
      const placed = bodyItems(result).flatMap(({ item }) => (item.kind === 'text' && item.block === block.index ? text(item.lines) : []));
      if (block.kind === 'paragraph' || block.kind === 'heading') expect(placed, `block ${block.index}`).toEqual(text(block.lines));
      if (block.kind === 'bullets') expect(placed, `block ${block.index}`).toEqual(block.items.flatMap(text));
    });
    for (const page of result.pages.filter((p) => p.kind !== 'disclaimer')) for (const col of page.columns) expect(col.width).toBe(width);
  });

  it('refuses blocks measured at another width than the columns they flow into', () => {
    const brief = composeData({ sections: [{ blocks: [{ paragraph: words(40) }] }] });
    expect(() => flowBrief(brief, measureBrief(brief, typesetter, width - 1), typesetter)).toThrow(/measured .* pt wide for a column/);
  });
});

// The layout as data: typesetting rules checked on placed boxes, no PDF opened.
// Crafted briefs sweep a block's length so that headings, paragraphs, lists and
// figures land at every position of a column, including its foot.
import { describe, expect, it } from 'vitest';
import type { ChartArtifact } from '../pipeline/charts/charts.ts';
import { compose, type ComposedBrief } from '../pipeline/compose/compose.ts';
import { layoutBrief, type Layout, type PlacedItem } from '../pipeline/pdf/layout.ts';
import { flowBrief } from '../pipeline/pdf/flow.ts';
import { bodyColumnWidth, contentWidth } from '../pipeline/pdf/frame.ts';
import { footLines, linesHere, measureBrief, type MeasuredBlock, type MeasuredFigure, type MeasuredHeading, type MeasuredTable } from '../pipeline/pdf/measure.ts';
import { autoColumnWidths } from '../pipeline/pdf/table.ts';
import { Typesetter } from '../pipeline/pdf/typesetter.ts';
import { contentWidths, setLines } from '../pipeline/core/typeset.ts';
import type { z } from 'zod';
import { briefSchema } from '../pipeline/input/schema.ts';
import type { ImageData, TableData } from '../pipeline/validate/validate.ts';
import { copyBrief, everyElementDir, sampleDir, sharedContext, validateDir } from './helpers.ts';

const WORDS = 'policy alliance trade security negotiations agreement economy regional relations cooperation tariffs investment'.split(' ');
const words = (n: number, seed = 0) => Array.from({ length: n }, (_, i) => WORDS[(i * 7 + seed) % WORDS.length]).join(' ') + '.';

function fakeChart(id: string): ChartArtifact {
  return { figureId: id, type: 'bar', orientation: 'horizontal', categories: ['A'], series: [{ label: 'S', values: [1], color: '#000000' }], numberFormat: { decimals: 0, prefix: '', suffix: '' }, language: 'en-US', stacked: false, annotations: [], svg: '<svg xmlns="http://www.w3.org/2000/svg"/>', widthPt: 261, heightPt: 132 };
}

type BriefInput = z.input<typeof briefSchema>;

function composeData(
  data: Partial<BriefInput> & Pick<BriefInput, 'sections'>,
  files: { tables?: ReadonlyMap<string, TableData>; images?: ReadonlyMap<string, ImageData> } = {},
): ComposedBrief {
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
  const charts = new Map(brief.figures.filter((f) => f.chart).map((f) => [f.id, fakeChart(f.id)]));
  return compose({ brief, charts, tables: files.tables ?? new Map(), images: files.images ?? new Map(), templates: sharedContext().templates });
}

const layout = (brief: ComposedBrief) => layoutBrief(brief, sharedContext().theme, sharedContext().fonts);

const figure = (id: string) => ({ id, title: `Figure ${id}`, source: 'Test data.', alt: 'A chart.', chart: { type: 'bar' as const, data: 'x.csv', categoryColumn: 'c', series: [{ column: 'v', label: 'V' }] } });

/** Every typesetting rule the layout promises, as a list of violations (empty when all hold). */
function violations(result: Layout): string[] {
  const problems: string[] = [];
  const body = sharedContext().theme.pdf.body;
  for (const page of result.pages) {
    const where = (item: PlacedItem, i: number) => `page ${page.number} item ${i} (${item.kind}${item.kind === 'text' ? ` ${item.role} block ${item.block}` : ''})`;
    // Text, figures, tables and text boxes stay inside their column, or across both columns inside the margins.
    const { margin, page: size } = sharedContext().theme.pdf;
    page.items.forEach((item, i) => {
      if (item.kind === 'table' || item.kind === 'textbox') {
        const box = item.column >= 0 ? page.columns[item.column]! : { x: margin.left, width: size.width - margin.left - margin.right, top: margin.top, bottom: page.columns[0]!.bottom };
        if (item.x < box.x - 0.01 || item.x + item.width > box.x + box.width + 0.01 || item.y < box.top - 0.01 || item.y + item.height > box.bottom + 0.5) {
          problems.push(`${where(item, i)} overflows its ${item.column >= 0 ? 'column' : 'page'}`);
        }
        const lines = item.kind === 'table' ? [...item.caption, ...[item.header, ...item.rows].flatMap((r) => r.cells.flat()), ...item.apparatus.flat()] : item.pieces.flatMap((p) => p.lines);
        for (const line of lines) {
          const right = line.x + line.fragments.reduce((m, f) => Math.max(m, f.dx + f.width), 0);
          if (line.x < item.x - 0.01 || right > item.x + item.width + 0.5 || line.y < item.y - 0.01 || line.y > item.y + item.height) problems.push(`${where(item, i)} has a line outside its box`);
        }
        if (item.kind === 'table') {
          const whole = item.part === 0 && item.last;
          if (!whole && item.rows.length < body.orphans && !item.last) problems.push(`${where(item, i)} leaves ${item.rows.length} row(s) under the header at a column's foot`);
          if (item.part > 0 && item.rows.length < body.widows) problems.push(`${where(item, i)} carries ${item.rows.length} row(s) alone to the next column`);
        }
      }
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
      const items = page.items.filter((it) => (it.kind === 'text' || it.kind === 'figure' || it.kind === 'table' || it.kind === 'textbox') && it.column === c && it.block >= 0);
      items.forEach((item, i) => {
        if (item.kind !== 'text') return;
        const next = items[i + 1];
        if ((item.role === 'H2' || item.role === 'H3') && (!next || (next.kind === 'text' && next.lines.length < 2 && !isWholeBlock(result, next)))) {
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
    expect(result.errors).toEqual([]);
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

  it('reports how full each column is: full until the body’s last column, which the text ends part-way down', () => {
    const fills = result.pages.slice(0, 2).flatMap((page) => page.fill);
    for (const fill of fills.slice(0, -1)) expect(fill).toBeGreaterThan(0.9);
    expect(fills.at(-1)).toBeGreaterThan(0.1);
    expect(fills.at(-1)).toBeLessThan(0.95);
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

  it('sets a paragraph a line shorter or longer where a widow would leave a column short, filling it', () => {
    let resets = 0;
    for (const n of sweep) {
      const result = layout(
        composeData({ sections: [{ blocks: [{ paragraph: words(n) }, ...[1, 2, 3, 4, 5, 6].map((seed) => ({ paragraph: words(70 + seed * 11, seed) }))] }] }),
      );
      expect(violations(result), `first paragraph of ${n} words`).toEqual([]);
      for (const reset of result.widowResets) {
        resets++;
        expect(Math.abs(reset.lines)).toBe(1);
        const set = result.justified.find((j) => j.block === reset.block)!;
        expect(set.lines).toHaveLength(reset.from + reset.lines);
        // The paragraph's part in the column where it starts reaches that column's foot (within a line), or holds it all.
        const parts = bodyItems(result).filter(({ item }) => item.kind === 'text' && item.block === reset.block);
        const { page, item } = parts[0]!;
        const text = item as Extract<PlacedItem, { kind: 'text' }>;
        const column = result.pages[page - 1]!.columns[text.column]!;
        const bottom = text.lines.at(-1)!.y + sharedContext().theme.pdf.body.leading;
        if (parts.length > 1) expect(column.bottom - bottom, `${n} words`).toBeLessThan(sharedContext().theme.pdf.body.leading);
      }
    }
    expect(resets, 'some position of the sweep asked for a reset').toBeGreaterThan(0);
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

// ---- tables, text boxes, sub-headings, superscripts, image figures ------------------------

const tableSpec = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `Grants by year ${id}`, data: 'x.csv', source: 'Test data.', ...extra });

/** A table of `n` years: a text column and two of numbers. */
function yearsTable(id: string, n: number): TableData {
  return {
    tableId: id,
    columns: [
      { label: 'Year', align: 'left' },
      { label: 'Grants awarded', align: 'right' },
      { label: 'Amount ($ millions)', align: 'right' },
    ],
    rows: Array.from({ length: n }, (_, i) => [String(1990 + i), String(100 + 7 * i), (10 + i * 1.5).toFixed(1)]),
  };
}

const tableParts = (result: Layout, block: number) =>
  result.pages.flatMap((page) => page.items.flatMap((item) => (item.kind === 'table' && item.block === block ? [{ page: page.number, item }] : [])));
const boxParts = (result: Layout, block: number) =>
  result.pages.flatMap((page) => page.items.flatMap((item) => (item.kind === 'textbox' && item.block === block ? [{ page: page.number, item }] : [])));
const lineText = (line: { readonly fragments: ReadonlyArray<{ readonly text: string }> }) => line.fragments.map((f) => f.text).join('');

describe('table column widths, as a browser lays out an automatic table', () => {
  const { theme, fonts } = sharedContext();
  const typesetter = new Typesetter(theme, fonts, 'en-US');

  it('gives every column its widest text when the table fits, sharing what is left in proportion', () => {
    const widths = autoColumnWidths([{ min: 10, max: 40 }, { min: 20, max: 60 }], 200)!;
    expect(widths).toEqual([80, 120]);
  });

  it('otherwise gives each its longest word plus a share of the rest in proportion to max − min', () => {
    const widths = autoColumnWidths([{ min: 10, max: 40 }, { min: 20, max: 60 }], 80)!;
    expect(widths[0]).toBeCloseTo(10 + (50 * 30) / 70, 9);
    expect(widths[1]).toBeCloseTo(20 + (50 * 40) / 70, 9);
    expect(widths[0]! + widths[1]!).toBeCloseTo(80, 9);
    expect(autoColumnWidths([{ min: 10, max: 40 }, { min: 20, max: 60 }], 25)).toBeUndefined();
  });

  it('reads a cell\'s min (its longest word) and max (its text unbroken) as set', () => {
    const style = typesetter.style('sans', 8.5);
    const key = { face: 'sans', weight: 'regular' } as const;
    const w = contentWidths([{ text: 'Amount of grants awarded', bold: false, italic: false }], style, fonts);
    expect(w.min).toBeCloseTo(fonts.width('awarded', key, 8.5), 9);
    expect(w.max).toBeCloseTo(fonts.width('Amount of grants awarded', key, 8.5), 6);
  });

  it('never sets a column narrower than its longest word, and wraps the rest inside it', () => {
    const words = 'Procurement, construction, and improvements of facilities across every region'.split(' ');
    const data: TableData = {
      tableId: 't',
      columns: [
        { label: 'Account', align: 'left' },
        { label: 'FY2024', align: 'right' },
        { label: 'Change, FY2024–FY2025 (%)', align: 'right' },
      ],
      rows: [[words.join(' '), '1,301.2', '4.2']],
    };
    const brief = composeData({ sections: [{ blocks: [{ table: 't' }] }], tables: [tableSpec('t')] }, { tables: new Map([['t', data]]) });
    const [table] = measureBrief(brief, typesetter, bodyColumnWidth(theme)).blocks as [MeasuredTable];
    const pad = theme.pdf.table.cellPaddingX;
    const longest = Math.max(...words.map((word) => fonts.width(word, { face: 'sans', weight: 'regular' }, theme.pdf.table.size)));
    expect(table.columnWidths[0]! - 2 * pad).toBeGreaterThanOrEqual(longest - 1e-9);
    expect(table.rows[0]!.cells[0]!.lines.length).toBeGreaterThan(1);
    expect(table.header.cells[2]!.lines.length).toBeGreaterThan(1);
    expect(table.columnWidths.reduce((a, b) => a + b, 0)).toBeCloseTo(bodyColumnWidth(theme), 9);
    for (const [c, cell] of table.rows[0]!.cells.entries()) for (const line of cell.lines) expect(line.width).toBeLessThanOrEqual(table.columnWidths[c]! - 2 * pad + 0.01);
  });

  it('puts a column table whose longest words do not fit a column across both columns', () => {
    const data: TableData = {
      tableId: 't',
      columns: Array.from({ length: 6 }, (_, i) => ({ label: `Appropriations${i}`, align: 'left' as const })),
      rows: [Array.from({ length: 6 }, (_, i) => `Supercalifragilistic${i}`)],
    };
    const brief = composeData({ sections: [{ blocks: [{ table: 't' }] }], tables: [tableSpec('t')] }, { tables: new Map([['t', data]]) });
    const [table] = measureBrief(brief, typesetter, bodyColumnWidth(theme)).blocks as [MeasuredTable];
    expect(table.span).toBe(true);
    expect(table.width).toBe(contentWidth(theme));
  });

  it('aligns numbers of different decimal counts on the decimal point, whole numbers ending there', () => {
    const data: TableData = {
      tableId: 't',
      columns: [
        { label: 'Item', align: 'left' },
        { label: 'Value', align: 'right' },
      ],
      rows: [['a', '1.5'], ['b', '22.25'], ['c', '300'], ['d', '4,000.125']],
    };
    const brief = composeData({ sections: [{ blocks: [{ table: 't' }] }], tables: [tableSpec('t')] }, { tables: new Map([['t', data]]) });
    const [part] = tableParts(layout(brief), 0);
    const anchors = part!.item.rows.map((row) => {
      const line = row.cells[1]![0]!;
      const text = lineText(line);
      const dot = text.indexOf('.');
      const font = line.fragments[0]!.font;
      return line.x + fonts.width(dot < 0 ? text : text.slice(0, dot), font, theme.pdf.table.size);
    });
    for (const x of anchors) expect(x).toBeCloseTo(anchors[0]!, 6);
    // Right alignment would not line them up: the right edges differ.
    const rights = part!.item.rows.map((row) => row.cells[1]![0]!.x + row.cells[1]![0]!.fragments[0]!.width);
    expect(new Set(rights.map((r) => r.toFixed(2))).size).toBeGreaterThan(1);
  });
});

describe('tables in the flow', () => {
  const sweep = Array.from({ length: 40 }, (_, i) => 100 + i * 11);

  it('continue in the next column with the header repeated, never leaving a header alone at a column foot', () => {
    let split = 0;
    for (const n of sweep) {
      const brief = composeData(
        { sections: [{ blocks: [{ paragraph: words(n) }, { table: 't' }, { paragraph: words(60, 3) }] }], tables: [tableSpec('t', { notes: 'Some notes.' })] },
        { tables: new Map([['t', yearsTable('t', 30)]]) },
      );
      const result = layout(brief);
      expect(violations(result), `${n} words`).toEqual([]);
      const parts = tableParts(result, 1).map(({ item }) => item);
      const block = brief.body[1]!;
      const table = block.kind === 'table' ? block.table : undefined;
      expect(parts.flatMap((p) => p.rows.map((r) => r.index)), `${n} words: every row once, in order`).toEqual(Array.from({ length: 30 }, (_, i) => i));
      parts.forEach((part, i) => {
        expect(part.part).toBe(i);
        expect(part.header.cells.map((cell) => cell.map(lineText).join(' '))).toEqual(['Year', 'Grants awarded', 'Amount ($ millions)']);
        expect(lineText(part.caption[0]!)).toBe(i === 0 ? table!.caption : table!.continuedCaption);
        expect(part.apparatus.length > 0, `apparatus under the last part only`).toBe(i === parts.length - 1);
        expect(part.last).toBe(i === parts.length - 1);
      });
      if (parts.length > 1) split++;
    }
    expect(split, 'the sweep reaches tables that split').toBeGreaterThan(0);
  });

  it('moves a table of three rows whole: no part could keep two rows on each side', () => {
    for (const n of sweep) {
      const brief = composeData(
        { sections: [{ blocks: [{ paragraph: words(n) }, { table: 't' }, { paragraph: words(60, 3) }] }], tables: [tableSpec('t')] },
        { tables: new Map([['t', yearsTable('t', 3)]]) },
      );
      const result = layout(brief);
      expect(violations(result)).toEqual([]);
      expect(tableParts(result, 1), `${n} words`).toHaveLength(1);
    }
  });

  it('keeps a heading with the caption, header and first rows of the table after it', () => {
    for (const n of sweep) {
      const brief = composeData(
        { sections: [{ blocks: [{ paragraph: words(n) }] }, { heading: 'Grants by Year', blocks: [{ table: 't' }, { paragraph: words(40, 3) }] }], tables: [tableSpec('t')] },
        { tables: new Map([['t', yearsTable('t', 30)]]) },
      );
      const result = layout(brief);
      const heading = bodyItems(result).find(({ item }) => item.kind === 'text' && item.role === 'H2')!;
      const [first] = tableParts(result, 2);
      expect(first!.page, `${n} words`).toBe(heading.page);
      expect(first!.item.column).toBe((heading.item as { column: number }).column);
      expect(first!.item.rows.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('puts a table across both columns at the top of its page when the columns are empty, else at the top of the next page', () => {
    const { theme } = sharedContext();
    const first = composeData({ sections: [{ blocks: [{ table: 'w' }, { paragraph: words(200) }] }], tables: [tableSpec('w', { width: 'page' })] }, { tables: new Map([['w', yearsTable('w', 6)]]) });
    const atTop = layout(first);
    const [part] = tableParts(atTop, 0);
    expect(part!.page).toBe(1);
    expect(part!.item.column).toBe(-1);
    expect(part!.item.width).toBe(contentWidth(theme));
    const page1 = atTop.pages[0]!;
    const firstText = page1.items.find((item) => item.kind === 'text' && item.block === 1) as Extract<PlacedItem, { kind: 'text' }>;
    expect(firstText.lines[0]!.y).toBeGreaterThan(part!.item.y + part!.item.height);
    expect(page1.columns[0]!.top).toBe(page1.columns[1]!.top);
    expect(violations(atTop)).toEqual([]);

    const later = composeData(
      { sections: [{ blocks: [{ paragraph: words(60) }, { table: 'w' }, { paragraph: words(400, 1) }] }], tables: [tableSpec('w', { width: 'page' })] },
      { tables: new Map([['w', yearsTable('w', 6)]]) },
    );
    const result = layout(later);
    const [moved] = tableParts(result, 1);
    expect(moved!.page).toBe(2);
    const page2 = result.pages[1]!;
    // The first thing under the running header, before either column's text.
    const bodyTop = Math.min(...page2.items.flatMap((item) => (item.kind === 'text' && item.block >= 0 ? item.lines.map((l) => l.y) : [])));
    expect(moved!.item.y).toBeLessThan(bodyTop);
    expect(page2.items.indexOf(moved!.item)).toBeLessThan(page2.items.findIndex((item) => item.kind === 'text' && item.block >= 0));
    // The text after the table went on in the columns of page 1 meanwhile.
    expect(bodyItems(result).some(({ page, item }) => page === 1 && item.kind === 'text' && item.block === 2)).toBe(true);
    expect(violations(result)).toEqual([]);
  });

  it('names the table as where the text first runs past the budget', () => {
    const { theme, fonts } = sharedContext();
    for (const n of [700, 760, 820]) {
      const brief = composeData(
        { sections: [{ blocks: [{ paragraph: words(n) }, { table: 't' }, { paragraph: words(30, 2) }] }], tables: [tableSpec('t')] },
        { tables: new Map([['t', yearsTable('t', 60)]]) },
      );
      const result = layoutBrief(brief, theme, fonts, 1);
      expect(result.overflow, `${n} words`).toBeDefined();
      const firstOnPage2 = Math.min(...result.pages[1]!.items.flatMap((item) => ('block' in item && item.block >= 0 ? [item.block] : [])));
      expect(result.overflow!.firstBlock).toBe(firstOnPage2);
      expect(tableParts(result, 1).some(({ page }) => page === 2)).toBe(true);
      expect(result.overflow!.firstBlock).toBeLessThanOrEqual(1);
    }
  });
});

describe('text boxes', () => {
  const box = (paragraphs: number, width: 'column' | 'page' = 'column') => ({
    textbox: {
      title: 'How the Program Works',
      width,
      source: 'Test description.',
      blocks: [...Array.from({ length: paragraphs }, (_, i) => ({ paragraph: words(70, i) })), { bullets: ['First point.', 'Second point, a little longer than the first.'] }],
    },
  });

  it('keeps a box that fits a column whole, where it is placed or at the top of the next column', () => {
    let waited = 0;
    for (const n of Array.from({ length: 40 }, (_, i) => 100 + i * 11)) {
      const result = layout(composeData({ sections: [{ blocks: [{ paragraph: words(n) }, box(1), { paragraph: words(120, 2) }] }] }));
      expect(violations(result), `${n} words`).toEqual([]);
      const parts = boxParts(result, 1);
      expect(parts, `${n} words`).toHaveLength(1);
      const { item, page } = parts[0]!;
      const col = result.pages[page - 1]!.columns[item.column]!;
      if (item.y === col.top) waited++;
      expect(item.pieces.map((p) => p.role)).toEqual(['title', 'P', 'LI', 'LI', 'source']);
    }
    expect(waited, 'the sweep reaches boxes that wait for the next column').toBeGreaterThan(0);
  });

  it('breaks a box taller than a column between lines, drawing the frame on every part', () => {
    for (const n of [40, 150, 260]) {
      const brief = composeData({ sections: [{ blocks: [{ paragraph: words(n) }, box(9), { paragraph: words(60, 2) }] }] });
      const result = layout(brief);
      expect(violations(result), `${n} words`).toEqual([]);
      const parts = boxParts(result, 1).map(({ item }) => item);
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) {
        expect(part.rule.y1).toBeGreaterThanOrEqual(part.y);
        expect(part.rule.x2 - part.rule.x1).toBe(part.width);
        expect(part.fill).toBe(sharedContext().theme.colors.boxFill);
      }
      // Every paragraph's lines once, in order; no part holds a single line of a split paragraph.
      const texts = parts.flatMap((p) => p.pieces.filter((piece) => piece.role === 'P').map((piece) => ({ inner: piece.inner, lines: piece.lines.length })));
      const inners = texts.map((t) => t.inner);
      expect(inners).toEqual([...inners].sort((a, b) => a - b));
      for (const t of texts) if (inners.filter((i) => i === t.inner).length > 1) expect(t.lines).toBeGreaterThanOrEqual(2);
      expect(parts.at(-1)!.pieces.at(-1)!.role).toBe('source');
      expect(parts[0]!.pieces[0]!.role).toBe('title');
    }
  });

  it('tags the title one level below the heading it follows', () => {
    const roles = (sections: BriefInput['sections']) => boxParts(layout(composeData({ sections })), sections.flatMap((s) => [...(s.heading ? [0] : []), ...s.blocks]).length - 1)[0]!.item.titleRole;
    expect(roles([{ blocks: [{ paragraph: words(20) }, box(1)] }])).toBe('H2');
    expect(roles([{ heading: 'A Section', blocks: [box(1)] }])).toBe('H3');
    expect(roles([{ heading: 'A Section', blocks: [{ paragraph: words(20) }] }, { heading: 'A Part', level: 2, blocks: [box(1)] }])).toBe('H4');
  });

  it('never leaves a page\'s columns empty while a box waits: under a table across the page, it breaks instead', () => {
    // Nothing but floats follows the box, so no text fills a column it leaves empty.
    // The text fills page 1, so the table and the box both wait for page 2, where the box is
    // shorter than a full column but taller than what the table leaves of one.
    for (const n of [450, 550, 650]) {
      const brief = composeData(
        {
          sections: [{ blocks: [{ paragraph: words(n) }, { table: 'w' }, box(4), { figure: 'f' }] }],
          tables: [tableSpec('w', { width: 'page' })],
          figures: [figure('f')],
        },
        { tables: new Map([['w', yearsTable('w', 25)]]) },
      );
      const result = layout(brief);
      expect(violations(result), `${n} words`).toEqual([]);
      for (const page of result.pages.filter((p) => p.kind !== 'disclaimer')) {
        const inColumns = page.items.filter((item) => 'column' in item && item.column >= 0 && 'block' in item && item.block >= 0);
        expect(inColumns.length, `${n} words: page ${page.number} has column content`).toBeGreaterThan(0);
      }
      expect(boxParts(result, 2).length).toBeGreaterThan(0);
    }
  });

  it('puts a box across both columns at the top of a page, like a table', () => {
    const result = layout(composeData({ sections: [{ blocks: [box(2, 'page'), { paragraph: words(300) }] }] }));
    const [part] = boxParts(result, 0);
    expect(part!.page).toBe(1);
    expect(part!.item.column).toBe(-1);
    expect(part!.item.width).toBe(contentWidth(sharedContext().theme));
    expect(violations(result)).toEqual([]);
  });
});

describe('sub-headings', () => {
  it('are set smaller, in the text colour, tagged H3, and kept with what follows', () => {
    const { theme } = sharedContext();
    for (const n of Array.from({ length: 50 }, (_, i) => 150 + i * 9)) {
      const result = layout(
        composeData({
          sections: [
            { blocks: [{ paragraph: words(n) }] },
            { heading: 'A Section', blocks: [{ paragraph: words(40, 1) }] },
            { heading: 'A Part of It', level: 2, blocks: [{ paragraph: words(90, 2) }] },
            { heading: 'Another Part', level: 2, blocks: [{ paragraph: words(30, 5) }] },
          ],
        }),
      );
      expect(violations(result), `${n} words`).toEqual([]);
      const subs = bodyItems(result).filter(({ item }) => item.kind === 'text' && item.role === 'H3');
      expect(subs).toHaveLength(2);
      for (const { item } of subs) {
        const fragment = (item as Extract<PlacedItem, { kind: 'text' }>).lines[0]!.fragments[0]!;
        expect(fragment.size).toBe(theme.pdf.subheading.size);
        expect(fragment.color).toBe(theme.colors.text);
        expect(fragment.font.weight).toBe('bold');
      }
    }
  });
});

describe('superscripts', () => {
  it('are set smaller and raised, and measured at the size they are drawn', () => {
    const { theme, fonts } = sharedContext();
    const typesetter = new Typesetter(theme, fonts, 'en-US');
    const style = typesetter.style('serif', 10);
    const [line] = setLines(
      [
        { text: 'improvements', bold: false, italic: false },
        { text: 'a', bold: false, italic: false, superscript: true },
        { text: ' follow', bold: false, italic: false },
      ],
      style,
      fonts,
      () => 300,
    );
    const [word, mark, rest] = line!.fragments;
    expect(word!.rise).toBeUndefined();
    expect(mark!.text).toBe('a');
    expect(mark!.size).toBeCloseTo(10 * theme.pdf.superscript.scale, 9);
    expect(mark!.rise).toBeCloseTo(10 * theme.pdf.superscript.rise, 9);
    expect(mark!.width).toBeCloseTo(fonts.width('a', { face: 'serif', weight: 'regular' }, mark!.size), 9);
    expect(mark!.dx).toBeCloseTo(word!.width, 9);
    expect(rest!.dx).toBeCloseTo(word!.width + mark!.width, 9);
  });
});

describe('image figures', () => {
  const image = (format: 'png' | 'svg', width: number, height: number): ImageData => ({ figureId: 'map', format, bytes: Buffer.alloc(0), width, height });
  const brief = (img: ImageData) =>
    composeData(
      { sections: [{ blocks: [{ paragraph: words(40) }, { figure: 'map' }] }], figures: [{ id: 'map', title: 'A Map', alt: 'A map.', source: 'Test.', image: 'map.png' }] },
      { images: new Map([['map', img]]) },
    );

  it('are placed at the column width in their aspect ratio, and a raster image under the theme\'s dpi is reported', () => {
    const { theme } = sharedContext();
    const width = bodyColumnWidth(theme);
    const low = layout(brief(image('png', 300, 200)));
    const placed = bodyItems(low).find(({ item }) => item.kind === 'figure')!.item as Extract<PlacedItem, { kind: 'figure' }>;
    expect(placed.chart.width).toBe(width);
    expect(placed.chart.height).toBeCloseTo((width * 200) / 300, 9);
    expect(low.warnings).toEqual([{ kind: 'low-resolution-image', figureId: 'map', dpi: Math.floor((300 / width) * 72), minDpi: theme.pdf.figure.minImageDpi }]);
    expect(layout(brief(image('png', 1200, 800))).warnings).toEqual([]);
    expect(layout(brief(image('svg', 300, 200))).warnings).toEqual([]);
  });

  it('report a raster image of one pixel as printing at 1 dpi, not 0', () => {
    const { theme } = sharedContext();
    expect(layout(brief(image('png', 1, 1))).warnings).toEqual([{ kind: 'low-resolution-image', figureId: 'map', dpi: 1, minDpi: theme.pdf.figure.minImageDpi }]);
  });

  it('shrink an image too tall for a column, centred, so the figure fits one', () => {
    const { theme } = sharedContext();
    const result = layout(brief(image('png', 2000, 8000)));
    expect(violations(result)).toEqual([]);
    const placed = bodyItems(result).find(({ item }) => item.kind === 'figure')!.item as Extract<PlacedItem, { kind: 'figure' }>;
    expect(placed.chart.width).toBeLessThan(bodyColumnWidth(theme));
    expect(placed.chart.height / placed.chart.width).toBeCloseTo(4, 6);
    expect(placed.chart.x - placed.x).toBeCloseTo((placed.width - placed.chart.width) / 2, 9);
  });
});

describe('lines under a figure or table taller than a column can give', () => {
  const { theme, fonts } = sharedContext();
  const typesetter = new Typesetter(theme, fonts, 'en-US');
  /** The lines of each apparatus paragraph of body block `index`, measured in a column with no foot. */
  const fullApparatus = (brief: ComposedBrief, index: number) => {
    const block = measureBrief(brief, typesetter, bodyColumnWidth(theme), { pageWidth: contentWidth(theme), columnHeight: 1e9 }).blocks[index]!;
    const parts = block.kind === 'figure' ? block.parts.apparatus : block.kind === 'table' ? block.apparatus : [];
    return parts.map((part) => part.lines.length);
  };
  /** Every apparatus line of the placed items of block `index`, with the bottom of the box it must stay in. */
  const apparatusLines = (result: Layout, index: number) =>
    result.pages.flatMap((page) =>
      page.items.flatMap((item) => {
        if ((item.kind !== 'figure' && item.kind !== 'table') || item.block !== index) return [];
        const bottom = item.column >= 0 ? page.columns[item.column]!.bottom : page.columns[0]!.bottom;
        return item.apparatus.flat().map((line) => ({ line, bottom }));
      }),
    );
  const overflows = (result: Layout) => violations(result).filter((v) => /overflow|outside/.test(v));
  /**
   * The error the layout owes when it placed `placed` of apparatus paragraphs whose
   * full line counts are `full`: at the first paragraph it cut short (or left out),
   * counting every line from there on.
   */
  const expectedError = (
    block: 'figure' | 'table',
    id: string,
    fields: ReadonlyArray<{ field: 'source' | 'notes' | 'footnotes'; footnote?: number }>,
    full: readonly number[],
    placed: ReadonlyArray<readonly unknown[]>,
  ) => {
    const last = placed.length - 1;
    const cut = last >= 0 && placed[last]!.length < full[last]! ? last : last + 1;
    const linesOver = full.slice(cut).reduce((a, b) => a + b, 0) - (cut === last ? placed[last]!.length : 0);
    return { kind: 'too-tall', block, id, ...fields[cut], linesOver };
  };
  const footnoteFields = (n: number) => Array.from({ length: n }, (_, footnote) => ({ field: 'footnotes' as const, footnote }));

  it('keep a figure whole in one column, its drawing no smaller than the theme allows, and report the notes left out', () => {
    const minimum = theme.pdf.figure.minDrawingHeight;
    for (const n of [40, 200, 420]) {
      const brief = composeData({
        sections: [{ blocks: [{ paragraph: words(n) }, { figure: 'f' }, { paragraph: words(60, 1) }] }],
        // Each within its field's limit, together taller than a column.
        figures: [{ ...figure('f'), source: words(200, 1), notes: words(400, 2) }],
      });
      const result = layout(brief);
      expect(overflows(result), `${n} words`).toEqual([]);
      const placed = bodyItems(result).find(({ item }) => item.kind === 'figure')!.item as Extract<PlacedItem, { kind: 'figure' }>;
      // Never a drawing of 0 × 0, which svg-to-pdfkit draws at its own size, over the notes: at
      // least the theme's least, growing into what the last line that fits leaves.
      const leading = theme.pdf.figure.sourceSize * theme.pdf.figure.sourceLineHeight;
      expect(placed.chart.height).toBeGreaterThanOrEqual(minimum);
      expect(placed.chart.height).toBeLessThan(minimum + leading);
      expect(placed.chart.width).toBeCloseTo((placed.chart.height * 261) / 132, 6);
      for (const { line, bottom } of apparatusLines(result, 1)) expect(line.y + leading).toBeLessThanOrEqual(bottom + 0.01);
      const full = fullApparatus(brief, 1);
      expect(placed.apparatus[0]).toHaveLength(full[0]!);
      expect(placed.apparatus[1]!.length).toBeGreaterThan(0);
      expect(result.errors, `${n} words`).toEqual([expectedError('figure', 'f', [{ field: 'source' }, { field: 'notes' }], full, placed.apparatus)]);
      expect(result.errors[0]!.field).toBe('notes');
    }
  });

  it('name the footnote where a figure\'s lines first pass the column\'s foot', () => {
    const brief = composeData({
      sections: [{ blocks: [{ paragraph: words(40) }, { figure: 'f' }] }],
      figures: [
        {
          ...figure('f'),
          notes: 'Short notes.',
          footnotes: [
            { mark: 'a', text: 'A short footnote.' },
            { mark: 'b', text: words(400, 3) },
            { mark: 'c', text: words(400, 4) },
            { mark: 'd', text: 'Another.' },
          ],
        },
      ],
    });
    const result = layout(brief);
    expect(overflows(result)).toEqual([]);
    const placed = bodyItems(result).find(({ item }) => item.kind === 'figure')!.item as Extract<PlacedItem, { kind: 'figure' }>;
    const fields = [{ field: 'source' as const }, { field: 'notes' as const }, ...footnoteFields(4)];
    expect(result.errors).toEqual([expectedError('figure', 'f', fields, fullApparatus(brief, 1), placed.apparatus)]);
    expect(result.errors[0]!.footnote).toBeGreaterThanOrEqual(1);
  });

  it('set a figure whose lines fit a column with its drawing as before, with no error', () => {
    // The notes fill most of a column: the drawing shrinks, but not below the theme's least.
    const brief = composeData({ sections: [{ blocks: [{ paragraph: words(40) }, { figure: 'f' }] }], figures: [{ ...figure('f'), source: words(100, 1), notes: words(300, 2) }] });
    const result = layout(brief);
    expect(violations(result)).toEqual([]);
    expect(result.errors).toEqual([]);
    const placed = bodyItems(result).find(({ item }) => item.kind === 'figure')!.item as Extract<PlacedItem, { kind: 'figure' }>;
    expect(placed.chart.height).toBeGreaterThanOrEqual(theme.pdf.figure.minDrawingHeight);
    expect(placed.chart.height, 'the drawing shrank').toBeLessThan((bodyColumnWidth(theme) * 132) / 261);
    expect(placed.apparatus.flat().length).toBe(fullApparatus(brief, 1).reduce((a, b) => a + b, 0));
  });

  it('keep every part of a table and its lines inside a column, and report the notes left out', () => {
    for (const width of ['column', 'page'] as const) {
      for (const n of [40, 200, 420]) {
        const brief = composeData(
          {
            sections: [{ blocks: [{ paragraph: words(n) }, { table: 't' }, { paragraph: words(60, 3) }] }],
            // Across the page the lines are twice as long: footnotes make them taller than a page's columns too.
            tables: [tableSpec('t', { width, source: words(200, 1), notes: words(400, 2), footnotes: [0, 1, 2].map((i) => ({ mark: 'abc'[i]!, text: words(400, 5 + i) })) })],
          },
          { tables: new Map([['t', yearsTable('t', 12)]]) },
        );
        const result = layout(brief);
        expect(overflows(result), `${width} table after ${n} words`).toEqual([]);
        const parts = tableParts(result, 1).map(({ item }) => item);
        expect(parts.flatMap((p) => p.rows.map((r) => r.index)), `${width}, ${n} words: every row once, in order`).toEqual(Array.from({ length: 12 }, (_, i) => i));
        for (const { line, bottom } of apparatusLines(result, 1)) expect(line.y + theme.pdf.figure.sourceSize * theme.pdf.figure.sourceLineHeight).toBeLessThanOrEqual(bottom + 0.01);
        const last = parts.at(-1)!;
        const full = fullApparatus(brief, 1);
        expect(last.apparatus[0]).toHaveLength(full[0]!);
        const fields = [{ field: 'source' as const }, { field: 'notes' as const }, ...footnoteFields(3)];
        expect(result.errors, `${width}, ${n} words`).toEqual([expectedError('table', 't', fields, full, last.apparatus)]);
        // The rows are not spread one to a column to make room: at most the widow rule's rows wait for the lines.
        expect(parts.length, `${width}, ${n} words`).toBeLessThanOrEqual(3);
      }
    }
  });
});

describe('a heading before a table or text box across the page', () => {
  const wide = { tables: [tableSpec('w', { width: 'page' })] };
  const data = { tables: new Map([['w', yearsTable('w', 6)]]) };
  const pageBox = { textbox: { title: 'A Box Across the Page', width: 'page' as const, blocks: [{ paragraph: words(120, 4) }] } };
  /** The page and item of the first placed piece of block `index`. */
  const firstOf = (result: Layout, index: number) =>
    result.pages.flatMap((page) => page.items.flatMap((item, at) => ('block' in item && item.block === index ? [{ page: page.number, item, at, span: item.column < 0 }] : [])))[0]!;
  /** Body blocks in the order the pages give them (a block continued later counts where it starts). */
  const readingOrder = (result: Layout) => {
    const seen: number[] = [];
    for (const page of result.pages) for (const item of page.items) if ('block' in item && item.block >= 0 && !seen.includes(item.block)) seen.push(item.block);
    return seen;
  };

  it('goes above it, at the top of the page it goes to, when nothing but a heading or the author block follows it', () => {
    for (const n of Array.from({ length: 30 }, (_, i) => 100 + i * 23)) {
      for (const [kind, block] of [['table', { table: 'w' }], ['box', pageBox]] as const) {
        for (const after of [[], [{ heading: 'Next Section', blocks: [{ paragraph: words(80, 5) }] }]]) {
          const brief = composeData({ sections: [{ blocks: [{ paragraph: words(n) }] }, { heading: 'Data Across the Page', blocks: [block] }, ...after], ...wide }, data);
          const result = layout(brief);
          const label = `${kind} after ${n} words${after.length ? ', then a section' : ''}`;
          expect(violations(result), label).toEqual([]);
          const heading = firstOf(result, 1);
          const spanning = firstOf(result, 2);
          // Right above it, across the top of the page, before the columns in reading order.
          expect([heading.page, heading.span, spanning.at], label).toEqual([spanning.page, true, heading.at + 1]);
          const lines = (heading.item as Extract<PlacedItem, { kind: 'text' }>).lines;
          expect(lines.at(-1)!.y, label).toBeLessThan((spanning.item as { y: number }).y);
          // Nothing after the heading is read before it.
          expect(readingOrder(result), label).toEqual([...readingOrder(result)].sort((a, b) => a - b));
        }
      }
    }
  });

  it('goes above it at the top of the first page when the brief starts with them', () => {
    const brief = composeData({ sections: [{ heading: 'Data Across the Page', blocks: [{ table: 'w' }, { paragraph: words(200, 1) }] }], ...wide }, data);
    const result = layout(brief);
    expect(violations(result)).toEqual([]);
    const heading = firstOf(result, 0);
    const table = firstOf(result, 1);
    expect([heading.page, heading.span, table.page, table.at]).toEqual([1, true, 1, heading.at + 1]);
    // The text after them starts below the table, in the first column.
    const text = firstOf(result, 2);
    expect([text.page, text.span, (text.item as { column: number }).column]).toEqual([1, false, 0]);

    // Under another table across the page, where the columns are still empty: there too, under it.
    const stacked = layout(
      composeData(
        { sections: [{ blocks: [{ table: 'v' }] }, { heading: 'Data Across the Page', blocks: [{ table: 'w' }, { paragraph: words(200, 1) }] }], tables: [tableSpec('v', { width: 'page' }), tableSpec('w', { width: 'page' })] },
        { tables: new Map([['v', yearsTable('v', 4)], ['w', yearsTable('w', 6)]]) },
      ),
    );
    expect(violations(stacked)).toEqual([]);
    const placed = [0, 1, 2].map((i) => firstOf(stacked, i));
    const at = placed[0]!.at;
    expect(placed.map(({ page, span, at }) => [page, span, at])).toEqual([
      [1, true, at],
      [1, true, at + 1],
      [1, true, at + 2],
    ]);
    const firstTable = placed[0]!.item as { y: number; height: number };
    expect((placed[1]!.item as Extract<PlacedItem, { kind: 'text' }>).lines[0]!.y).toBeGreaterThan(firstTable.y + firstTable.height);
  });

  it('stays in the columns with the text that follows the block, never alone at a column\'s foot', () => {
    let kept = 0;
    for (const n of Array.from({ length: 40 }, (_, i) => 100 + i * 17)) {
      const brief = composeData({ sections: [{ blocks: [{ paragraph: words(n) }] }, { heading: 'Data Across the Page', blocks: [{ table: 'w' }, { paragraph: words(50, 2) }, { paragraph: words(90, 3) }] }], ...wide }, data);
      const result = layout(brief);
      expect(violations(result), `${n} words`).toEqual([]);
      const heading = firstOf(result, 1);
      if (!heading.span) {
        kept++;
        const page = result.pages[heading.page - 1]!;
        const column = (heading.item as { column: number }).column;
        const next = page.items.slice(heading.at + 1).find((item) => 'column' in item && item.column === column && 'block' in item && item.block >= 0);
        expect(next && 'block' in next ? next.block : undefined, `${n} words`).toBe(3);
      }
    }
    expect(kept, 'the sweep reaches headings that stay with the text after the block').toBeGreaterThan(0);
  });
});

describe('a column label with a footnote mark', () => {
  it('sets the mark raised and smaller in the header row', () => {
    const { dir } = copyBrief(everyElementDir, (y) => y.replace('      - { column: Account, align: left }', '      - { column: Account, align: left, label: "Account^a" }'));
    const valid = validateDir(dir).result!;
    const charts = new Map(valid.brief.figures.filter((f) => f.chart).map((f) => [f.id, fakeChart(f.id)]));
    const composed = compose({ brief: valid.brief, charts, tables: valid.tableData, images: valid.images, templates: sharedContext().templates });
    const table = layout(composed).pages.flatMap((p) => p.items).find((i) => i.kind === 'table' && i.table.id === 'budget-by-account');
    if (table?.kind !== 'table') throw new Error('no table');
    const fragments = table.header.cells[0]!.flatMap((line) => line.fragments);
    expect(fragments.map((f) => f.text)).toEqual(['Account', 'a']);
    expect(fragments[1]!.size).toBeLessThan(fragments[0]!.size);
    expect(fragments[1]!.rise ?? 0).toBeGreaterThan(0);
  });
});

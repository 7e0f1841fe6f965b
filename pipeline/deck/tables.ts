// A table on slides: a native table (never a picture), measured before it is
// placed. Columns share the content width in proportion to their longest text,
// none narrower than the theme's minimum or its longest word. The table takes the
// largest size at which it fits one slide with its source, notes and footnotes
// under it; past the minimum size its rows continue on "(cont.)" slides, each
// with the header row again, and those lines go under the last part.
import type { DeckExhibit } from '../compose/compose.ts';
import { acrossContent } from './masters.ts';
import { POINTS_PER_INCH, type BodyShape, type CellBorder, type Paragraph, type SlidePlan, type SlideShape, type TableCell, type TableShape } from './model.ts';
import { boxHeight, contentSlide, deckRuns, type Planner } from './planner.ts';

type TableExhibit = Extract<DeckExhibit, { kind: 'table' }>;

/** Column widths and row heights (header first) at one font size; inches. */
interface Grid {
  readonly widths: number[];
  readonly heights: number[];
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const textOf = (cell: TableCell) => cell.runs.map((r) => r.text).join('');

export function tableSlides(entry: TableExhibit, planner: Planner, kicker?: string): SlidePlan[] {
  const { theme, fitter, body } = planner;
  const { deck, colors } = theme;
  const spec = deck.table;
  const { table } = entry;
  const top = table.subtitle ? deck.figure.chart.y : deck.content.bodyTop;
  const frame = acrossContent(deck, top, body.y + body.h - top);
  const rows = tableRows(entry, planner);

  const apparatus: Paragraph[] = [table.apparatus.source, table.apparatus.notes, ...table.apparatus.footnotes].flatMap((runs) =>
    runs ? [{ runs: deckRuns(runs, colors.link) }] : [],
  );
  const apparatusHeight =
    apparatus.length === 0
      ? 0
      : boxHeight(fitter.height(apparatus, spec.apparatusSize, frame, 0, spec.apparatusSpaceAfter), planner);
  const apparatusRoom = apparatus.length === 0 ? 0 : spec.apparatusGap + apparatusHeight;

  let size = spec.size;
  let grid = measureGrid(rows, size, frame.w, planner);
  while (size > spec.minSize && sum(grid.heights) + apparatusRoom > frame.h) grid = measureGrid(rows, --size, frame.w, planner);
  const parts = splitRows(grid.heights, frame.h, apparatusRoom, table.totalRow);

  const subtitle: SlideShape[] = table.subtitle
    ? [{ kind: 'text', box: acrossContent(deck, deck.figure.subtitle.y, deck.figure.subtitle.height), text: table.subtitle, style: { fontSize: deck.figure.subtitle.size, color: colors.muted } }]
    : [];
  return parts.map((part, p) => {
    const indices = [0, ...part];
    const heights = indices.map((i) => grid.heights[i]!);
    const shape: TableShape = {
      kind: 'table',
      box: { ...frame, h: sum(heights) },
      columnWidths: grid.widths,
      rowHeights: heights,
      rows: indices.map((i) => rows[i]!),
      fontSize: size,
      color: colors.text,
      cellMargin: { x: spec.cellMarginX, y: spec.cellMarginY },
    };
    const last = p === parts.length - 1;
    const under: BodyShape[] =
      last && apparatus.length > 0
        ? [
            {
              kind: 'body',
              box: { ...frame, y: frame.y + shape.box.h + spec.apparatusGap, h: apparatusHeight },
              fontSize: spec.apparatusSize,
              color: colors.muted,
              paragraphSpaceAfter: spec.apparatusSpaceAfter,
              paragraphs: apparatus,
            },
          ]
        : [];
    return contentSlide(p === 0 ? entry.title : entry.continuedTitle, planner, [...subtitle, shape, ...under], entry.notes, kicker);
  });
}

/** The header row, then the rows: bold header with a rule under it, a rule under each row, the total bold with a rule above it. */
function tableRows({ table }: TableExhibit, { theme }: Planner): TableCell[][] {
  const { colors } = theme;
  const spec = theme.deck.table;
  const headerRule: CellBorder = { color: colors.brand, weight: spec.headerRuleWeight };
  const rowRule: CellBorder = { color: colors.rule, weight: spec.rowRuleWeight };
  const totalRule: CellBorder = { color: colors.text, weight: spec.totalRuleWeight };
  const totalAt = table.totalRow ? table.rows.length - 1 : -1;
  const header = table.columns.map((c): TableCell => ({ runs: deckRuns(c.labelRuns, colors.link), align: c.align, valign: 'bottom', bold: true, borderBottom: headerRule }));
  const body = table.rows.map((row, r) =>
    row.map(
      (cell, c): TableCell => ({
        runs: deckRuns(cell, colors.link),
        align: table.columns[c]?.align ?? 'left',
        valign: 'top',
        bold: r === totalAt,
        // The rule between the last row and the total is the total's: drawn alike from both sides.
        borderBottom: r + 1 === totalAt ? totalRule : rowRule,
        ...(r === totalAt ? { borderTop: totalRule } : {}),
      }),
    ),
  );
  return [header, ...body];
}

/**
 * Widths in proportion to each column's longest text (all on one line), scaled to
 * the table's width; a column that would come out narrower than its minimum (the
 * theme's, or its longest word) gets the minimum and the others share the rest.
 */
function measureGrid(rows: readonly TableCell[][], size: number, width: number, { theme, fitter }: Planner): Grid {
  const spec = theme.deck.table;
  const marginPt = 2 * spec.cellMarginX * POINTS_PER_INCH;
  const columns = rows[0]!.length;
  const natural: number[] = [];
  const minimum: number[] = [];
  for (let c = 0; c < columns; c++) {
    const cells = rows.map((row) => row[c]).filter((cell): cell is TableCell => cell !== undefined);
    natural.push((Math.max(...cells.map((cell) => fitter.width(textOf(cell), size, cell.bold))) + marginPt) / POINTS_PER_INCH);
    minimum.push(Math.max(spec.minColumnWidth, (Math.max(...cells.map((cell) => fitter.widestWord(textOf(cell), size, cell.bold))) + marginPt) / POINTS_PER_INCH));
  }
  const widths = shareWidth(natural, minimum, width);
  const heights = rows.map((row) => {
    const lines = row.map((cell, c) => Math.max(1, fitter.lines(textOf(cell), size, widths[c]! * POINTS_PER_INCH - marginPt, cell.bold)));
    return (Math.max(...lines) * size * theme.deck.text.lineHeight) / POINTS_PER_INCH + 2 * spec.cellMarginY;
  });
  return { widths, heights };
}

export function shareWidth(natural: readonly number[], minimum: readonly number[], width: number): number[] {
  const atMinimum = new Set<number>();
  if (sum(minimum) >= width) return minimum.map((m) => (m * width) / sum(minimum));
  for (;;) {
    const free = natural.flatMap((_, c) => (atMinimum.has(c) ? [] : [c]));
    const scale = (width - sum([...atMinimum].map((c) => minimum[c]!))) / sum(free.map((c) => natural[c]!));
    const tooNarrow = free.filter((c) => natural[c]! * scale < minimum[c]!);
    if (tooNarrow.length === 0) return natural.map((n, c) => (atMinimum.has(c) ? minimum[c]! : n * scale));
    for (const c of tooNarrow) atMinimum.add(c);
  }
}

/**
 * The body rows (indices into `heights`, whose 0 is the header) in parts that
 * each fit `room` under a repeated header; the last part also holds the lines
 * under the table, and a total row never stands alone on a part.
 */
export function splitRows(heights: readonly number[], room: number, roomUnder: number, totalRow: boolean): number[][] {
  const header = heights[0]!;
  const height = (part: readonly number[]) => header + sum(part.map((i) => heights[i]!));
  const parts: number[][] = [[]];
  for (let i = 1; i < heights.length; i++) {
    const current = parts[parts.length - 1]!;
    if (current.length > 0 && height([...current, i]) > room) parts.push([i]);
    else current.push(i);
  }
  const carried: number[] = [];
  const last = parts[parts.length - 1]!;
  while (last.length > 1 && height(last) + roomUnder > room) carried.unshift(last.pop()!);
  if (carried.length > 0) parts.push(carried);
  const final = parts[parts.length - 1]!;
  const before = parts[parts.length - 2];
  if (totalRow && final.length === 1 && before && before.length > 1 && height([before[before.length - 1]!, ...final]) + roomUnder <= room) {
    final.unshift(before.pop()!);
  }
  return parts;
}


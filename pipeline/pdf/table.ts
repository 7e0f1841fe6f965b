// Tables: measured once (column widths from their content, every cell set in its
// column), split into parts where a column or page ends, and each part placed as
// boxes. The flow decides where a part goes; this module decides what a part holds
// and how it looks: caption, header row between rules, rows, the rule under the
// last row, and the source, notes and footnotes under the last part.
import type { ComposedTable } from '../compose/compose.ts';
import type { Run } from '../core/text.ts';
import { contentWidths, type SetLine, type TextStyle } from '../core/typeset.ts';
import { apparatusHeight, fitApparatus, type ApparatusPart, type FittedApparatus } from './apparatus.ts';
import type { PlacedLine, PlacedRow, PlacedRule, PlacedTable } from './layout.ts';
import type { FigurePart, MeasuredCommon } from './measure.ts';
import { canSplit, mayBreakAfter, type WidowRule } from './widows.ts';
import type { Typesetter } from './typesetter.ts';

/** Points of rounding a part may be over its room by and still count as fitting. */
const TOLERANCE = 0.01;
/** Room added to a cell's width when its text is set, so a line measured at exactly the width is not broken by rounding. */
const SET_SLACK = 0.001;

/** A column's narrowest and widest useful width, padding included. */
export interface WidthRange {
  /** Its longest unbreakable word: the column is never narrower. */
  readonly min: number;
  /** Its text unbroken. */
  readonly max: number;
}

/**
 * Column widths as a browser's automatic table layout gives them for a table as
 * wide as `available`: when every column can have its widest text unbroken, each
 * gets that and the room left over is shared in proportion to it; otherwise each
 * gets its longest word plus a share of the rest in proportion to how much wider
 * it would like to be (max − min). Undefined when even the longest words do not fit.
 */
export function autoColumnWidths(columns: readonly WidthRange[], available: number): number[] | undefined {
  const minSum = columns.reduce((s, c) => s + c.min, 0);
  const maxSum = columns.reduce((s, c) => s + c.max, 0);
  if (minSum > available + TOLERANCE) return undefined;
  if (maxSum <= available) {
    const extra = available - maxSum;
    return columns.map((c) => c.max + (maxSum > 0 ? (extra * c.max) / maxSum : extra / columns.length));
  }
  const rest = available - minSum;
  const wanted = maxSum - minSum;
  return columns.map((c) => c.min + (rest * (c.max - c.min)) / wanted);
}

/** A cell as set: its lines, where each starts, and how far below the row's top the first one is. */
export interface MeasuredCell {
  readonly lines: readonly SetLine[];
  /** x of each line from the left edge of the cell's column. */
  readonly offsets: readonly number[];
  readonly top: number;
}

export interface MeasuredRow {
  readonly cells: readonly MeasuredCell[];
  readonly height: number;
}

export type MeasuredTable = MeasuredCommon & {
  readonly kind: 'table';
  readonly table: ComposedTable;
  /** Across both columns: `width: page`, or a column table whose longest words do not fit a column. */
  readonly span: boolean;
  readonly columnWidths: readonly number[];
  readonly style: TextStyle;
  readonly leading: number;
  readonly caption: FigurePart;
  readonly continuedCaption: FigurePart;
  readonly subtitle: FigurePart;
  readonly header: MeasuredRow;
  readonly rows: readonly MeasuredRow[];
  /** Source, notes, each footnote: one part each, under the table's last part (those that fit a column with it). */
  readonly apparatus: readonly ApparatusPart[];
  /** Present when the lines under the table do not all fit a column with its smallest last part. */
  readonly apparatusOver?: FittedApparatus['over'];
};

/** What measuring a table needs from the measure stage. */
export interface TableContext {
  readonly typesetter: Typesetter;
  readonly columnWidth: number;
  readonly pageWidth: number;
  /** The tallest a column gets (across the page too): the table's last part and its lines must fit one. */
  readonly columnHeight: number;
  /** The headings right before the table: across the page, they go above its first part (flow.ts). */
  readonly headingsAbove: number;
  readonly rule: WidowRule;
  /** A caption, subtitle or apparatus paragraph set at `width`, in the style figures use. */
  readonly part: (runs: readonly Run[] | undefined, kind: 'caption' | 'subtitle' | 'source', width: number) => FigurePart;
  readonly apparatus: (width: number) => ApparatusPart[];
}

const boldRuns = (runs: readonly Run[]): Run[] => runs.map((r) => ({ ...r, bold: true }));

/** "1,204.5", "−9.1", "(3)", "42%", "$25": a cell whose text aligns on its decimal point. */
const NUMBER = /^[(\-+−]?[$€£¥]?\d[\d.,\u00A0\u202F]*%?\)?$/u;

export function measureTable(table: ComposedTable, index: number, context: TableContext): MeasuredTable {
  const { typesetter, rule } = context;
  const t = typesetter.theme.pdf.table;
  const style = typesetter.style('sans', t.size);
  const pad = t.cellPaddingX;
  const header = table.columns.map((c): readonly Run[] => c.labelRuns.map((run) => ({ ...run, bold: true })));
  const body = table.rows.map((row, r) => (table.totalRow && r === table.rows.length - 1 ? row.map(boldRuns) : row));

  // Each number's width before and after its decimal point (or after its last digit), per column.
  const anchors = table.columns.map((column, c) =>
    body.map((row) => {
      const runs = row[c] ?? [];
      if (column.align !== 'right') return undefined;
      const plain = runs.filter((r) => !r.superscript).map((r) => r.text).join('');
      if (!NUMBER.test(plain)) return undefined;
      const [line] = typesetter.set(runs, style, Number.POSITIVE_INFINITY);
      if (!line) return undefined;
      const before = typesetter.widthBefore(line, anchorIndex(line, typesetter.decimal));
      return { before, after: line.width - before };
    }),
  );
  const aligned = anchors.map((cells) => {
    const present = cells.filter((a) => a !== undefined);
    return { before: Math.max(0, ...present.map((a) => a.before)), after: Math.max(0, ...present.map((a) => a.after)), any: present.length > 0 };
  });

  const ranges = table.columns.map((_, c): WidthRange => {
    let min = 0;
    let max = 0;
    const widen = (runs: readonly Run[]) => {
      const w = contentWidths(runs, style, typesetter.measurer);
      min = Math.max(min, w.min);
      max = Math.max(max, w.max);
    };
    widen(header[c]!);
    body.forEach((row, r) => {
      if (anchors[c]![r] === undefined) widen(row[c] ?? []);
    });
    const a = aligned[c]!;
    if (a.any) {
      min = Math.max(min, a.before + a.after);
      max = Math.max(max, a.before + a.after);
    }
    return { min: min + 2 * pad, max: max + 2 * pad };
  });

  let span = table.width === 'page';
  let widths = autoColumnWidths(ranges, span ? context.pageWidth : context.columnWidth);
  if (!widths && !span) {
    // Too wide for a column even with every word on a line of its own: across both columns instead.
    span = true;
    widths = autoColumnWidths(ranges, context.pageWidth);
  }
  const width = span ? context.pageWidth : context.columnWidth;
  if (!widths) {
    // Not even the page is wide enough: the longest words are broken, every column shrunk alike.
    const minSum = ranges.reduce((s, r) => s + r.min, 0);
    widths = ranges.map((r) => (r.min * width) / minSum);
  }

  const cell = (runs: readonly Run[], c: number, r: number | undefined): Omit<MeasuredCell, 'top'> => {
    const columnWidth = widths[c]!;
    const inner = Math.max(0, columnWidth - 2 * pad);
    const lines = typesetter.set(runs, style, inner + SET_SLACK);
    const align = table.columns[c]!.align;
    const anchor = r === undefined ? undefined : anchors[c]![r];
    const right = columnWidth - pad;
    const offsets = lines.map((line) => {
      if (anchor && lines.length === 1) return right - aligned[c]!.after - anchor.before;
      if (align === 'right') return right - line.width;
      if (align === 'center') return pad + (inner - line.width) / 2;
      return pad;
    });
    return { lines, offsets };
  };
  const row = (cells: ReadonlyArray<Omit<MeasuredCell, 'top'>>, bottomAligned: boolean): MeasuredRow => {
    const most = Math.max(1, ...cells.map((x) => x.lines.length));
    return {
      cells: cells.map((x) => ({ ...x, top: t.cellPaddingY + (bottomAligned ? (most - x.lines.length) * t.leading : 0) })),
      height: most * t.leading + 2 * t.cellPaddingY,
    };
  };
  // Header labels sit on the rule under them, as in print, when some wrap to more lines than others.
  const headerRow = row(header.map((runs, c) => cell(runs, c, undefined)), true);
  const rows = body.map((cells, r) => row(table.columns.map((_, c) => cell(cells[c] ?? [], c, r)), false));

  const unfitted: MeasuredTable = {
    kind: 'table',
    index,
    width,
    footNeed: 0,
    table,
    span,
    columnWidths: widths,
    style,
    leading: t.leading,
    caption: context.part([{ text: table.caption, bold: true, italic: false }], 'caption', width),
    continuedCaption: context.part([{ text: table.continuedCaption, bold: true, italic: false }], 'caption', width),
    subtitle: context.part(table.subtitle === undefined ? undefined : [{ text: table.subtitle, bold: false, italic: false }], 'subtitle', width),
    header: headerRow,
    rows,
    apparatus: context.apparatus(width),
  };
  const measured = fitLastPart(unfitted, context, typesetter);
  // A table across both columns waits for the top of a page and asks nothing of a heading before it.
  if (span) return measured;
  const first = fewestRowsFirst(rows.length, rule);
  return { ...measured, footNeed: tablePartHeight(measured, 0, first, typesetter) };
}

/**
 * The table with the lines under it that fit a column together with its smallest last
 * part: its caption (or continued caption, the taller), the header row and the last
 * `widows` rows, or every row of a table too short to split. The rest are left out and
 * counted in `apparatusOver`, so that no part the flow places runs past a column's foot.
 */
function fitLastPart(t: MeasuredTable, context: TableContext, typesetter: Typesetter): MeasuredTable {
  const pdf = typesetter.theme.pdf;
  const whole = !canSplit(t.rows.length, context.rule);
  const least = t.rows.slice(whole ? 0 : t.rows.length - context.rule.widows);
  const caption = whole ? linesHeight(t.caption) : Math.max(linesHeight(t.caption), linesHeight(t.continuedCaption));
  // A table across the page that cannot split may have its headings above it in the same part (flow.ts).
  const above = whole && t.span ? context.headingsAbove : 0;
  const part = above + caption + linesHeight(t.subtitle) + pdf.table.captionSpaceBelow + t.header.height + least.reduce((h, row) => h + row.height, 0);
  const fitted = fitApparatus(t.apparatus, context.columnHeight - part - pdf.table.apparatusSpaceAbove, pdf.figure.apparatusGap);
  return fitted.over ? { ...t, apparatus: fitted.parts, apparatusOver: fitted.over } : t;
}

/** Offset of the decimal separator in the line's text, or just after its last digit; footnote marks do not count. */
function anchorIndex(line: SetLine, decimal: string): number {
  const text = line.fragments.map((f) => f.text).join('');
  const raised = line.fragments.flatMap((f) => Array.from({ length: f.text.length }, () => f.rise !== undefined));
  const digit = (i: number) => !raised[i] && /\d/.test(text[i] ?? '');
  let separator = -1;
  let lastDigit = -1;
  for (let i = 0; i < text.length; i++) {
    if (digit(i)) lastDigit = i;
    else if (!raised[i] && text.startsWith(decimal, i) && digit(i + decimal.length)) separator = i;
  }
  return separator >= 0 ? separator : lastDigit + 1;
}

/** The fewest rows a first part may hold: the widow rule's orphans, or all when the table cannot split. */
function fewestRowsFirst(total: number, rule: WidowRule): number {
  return canSplit(total, rule) ? rule.orphans : total;
}

function linesHeight(part: FigurePart): number {
  return part.lines.length * part.leading;
}

/** The caption (or continued caption) and subtitle, and the space under them. */
function headHeight(t: MeasuredTable, first: boolean, typesetter: Typesetter): number {
  return linesHeight(first ? t.caption : t.continuedCaption) + linesHeight(t.subtitle) + typesetter.theme.pdf.table.captionSpaceBelow + t.header.height;
}

function tailHeight(t: MeasuredTable, typesetter: Typesetter): number {
  if (t.apparatus.length === 0) return 0;
  const pdf = typesetter.theme.pdf;
  return pdf.table.apparatusSpaceAbove + apparatusHeight(t.apparatus, pdf.figure.apparatusGap);
}

/** Height of the part holding rows [from, to): caption, header, rows, and under the last part its apparatus. */
export function tablePartHeight(t: MeasuredTable, from: number, to: number, typesetter: Typesetter): number {
  let h = headHeight(t, from === 0, typesetter);
  for (let r = from; r < to; r++) h += t.rows[r]!.height;
  return h + (to === t.rows.length ? tailHeight(t, typesetter) : 0);
}

/**
 * How many rows from `from` on the part placed in `room` points holds: all the
 * rest, or as many as fit while the part holds at least `orphans` rows and leaves
 * at least `widows` for the next (so a header row never stands alone at a column's
 * foot). 0 means the part should start in the next column. `forced` (at the top of
 * an empty column) takes what fits; when nothing does, it takes one row anyway so
 * that the table always ends, unless `taller` says the column is shorter than a full
 * one (the first page's, or one under a table across the page): then the part waits
 * for a full column, where its rows and the lines under them fit (fitLastPart).
 */
export function rowsForPart(t: MeasuredTable, from: number, room: number, forced: boolean, rule: WidowRule, typesetter: Typesetter, taller = false): number {
  const total = t.rows.length;
  const remaining = total - from;
  let height = headHeight(t, from === 0, typesetter);
  let best = 0;
  let fitting = 0;
  for (let k = 1; k <= remaining; k++) {
    height += t.rows[from + k - 1]!.height;
    const last = k === remaining;
    if (height + (last ? tailHeight(t, typesetter) : 0) > room + TOLERANCE) {
      if (height > room + TOLERANCE) break;
      continue;
    }
    fitting = k;
    if (last || mayBreakAfter(k, remaining, rule)) best = k;
  }
  if (best === 0 && forced) return fitting > 0 ? fitting : taller ? 0 : 1;
  return best;
}

/** The part holding rows [from, to), its top left corner at (x, top). */
export function placeTablePart(t: MeasuredTable, from: number, to: number, x: number, top: number, column: number, part: number, typesetter: Typesetter): PlacedTable {
  const pdf = typesetter.theme.pdf;
  const tt = pdf.table;
  const colors = typesetter.theme.colors;
  const first = from === 0;
  const last = to === t.rows.length;
  const right = x + t.width;
  const columns: Array<{ x: number; width: number }> = [];
  t.columnWidths.reduce((cx, w) => (columns.push({ x: cx, width: w }), cx + w), x);
  const rules: PlacedRule[] = [];
  const rule = (y: number, outer: boolean) =>
    rules.push({ kind: 'rule', x1: x, y1: y, x2: right, y2: y, color: outer ? colors.brand : colors.rule, width: outer ? tt.outerRuleWeight : tt.innerRuleWeight });

  let y = top;
  const captionPart = first ? t.caption : t.continuedCaption;
  const caption = [
    ...typesetter.position(captionPart.lines, x, y, captionPart.leading, captionPart.style),
    ...typesetter.position(t.subtitle.lines, x, y + linesHeight(captionPart), t.subtitle.leading, t.subtitle.style),
  ];
  y += linesHeight(captionPart) + linesHeight(t.subtitle) + tt.captionSpaceBelow;

  const placeRow = (row: (typeof t.rows)[number], index: number): PlacedRow => {
    const placed: PlacedRow = {
      index,
      top: y,
      height: row.height,
      cells: row.cells.map((cell, c): PlacedLine[] =>
        cell.lines.flatMap((line, i) => typesetter.position([line], columns[c]!.x + cell.offsets[i]!, y + cell.top + i * t.leading, t.leading, t.style)),
      ),
    };
    y += row.height;
    return placed;
  };
  rule(y, true);
  const header = placeRow(t.header, -1);
  rule(y, false);
  const rows: PlacedRow[] = [];
  for (let r = from; r < to; r++) {
    // The total row: a rule above it, as above a sum on paper.
    if (t.table.totalRow && r === t.rows.length - 1 && r > from) rule(y, false);
    rows.push(placeRow(t.rows[r]!, r));
  }
  rule(y, true);

  const apparatus: PlacedLine[][] = [];
  if (last && t.apparatus.length > 0) {
    y += tt.apparatusSpaceAbove;
    t.apparatus.forEach((part, i) => {
      if (i > 0) y += pdf.figure.apparatusGap;
      apparatus.push(typesetter.position(part.lines, x, y, part.leading, part.style));
      y += linesHeight(part);
    });
  }
  return { kind: 'table', block: t.index, column, x, y: top, width: t.width, height: y - top, table: t.table, part, last, columns, caption, header, rows, rules, apparatus };
}

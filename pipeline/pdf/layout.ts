// Stage 5a: the page layout of the PDF brief, as plain data. Composed blocks and
// font metrics in; pages of placed boxes out (page, column, x, y, lines). Drawing
// them is render.ts's job, so every typesetting rule here is testable without a PDF.
//
// Coordinates are PDF points with the origin at the top left of the page, y down.
import type { ComposedBrief, ComposedFigure, ComposedTable, ComposedTextbox } from '../compose/compose.ts';
import type { Measurer } from '../core/fonts.ts';
import type { Theme } from '../core/theme.ts';
import type { Fragment, SetLine } from '../core/typeset.ts';
import { copyfit } from './copyfit.ts';
import { flowBrief } from './flow.ts';
import { bodyColumnHeight, bodyColumnWidth, contentWidth } from './frame.ts';
import { measureBrief, type MeasuredBrief } from './measure.ts';
import { Typesetter } from './typesetter.ts';

/** Structure roles, named after the PDF structure types the renderer tags them with. */
export type TextRole = 'H1' | 'H2' | 'H3' | 'H4' | 'P' | 'LI' | 'Caption' | 'Artifact';

export interface PlacedLine {
  readonly x: number;
  /** Top of the line box. */
  readonly y: number;
  readonly baseline: number;
  readonly fragments: readonly Fragment[];
}

export type PlacedItem =
  | {
      readonly kind: 'text';
      readonly role: TextRole;
      /** Index of the body block this text belongs to; -1 for page furniture. */
      readonly block: number;
      readonly column: number;
      readonly lines: readonly PlacedLine[];
      /** A bullet drawn in the margin of the first line, when this piece starts a list item. */
      readonly label?: PlacedLine;
      /** For list items (role LI): the item's index within its list. */
      readonly item?: number;
      /**
       * Drawn as glyph outlines, not text: running headers and footers sit between the
       * columns' text in any extraction (pdftotext splices them into sentences that
       * cross a page), and screen readers skip them as artifacts anyway.
       */
      readonly outlined?: boolean;
    }
  | (PlacedBox & {
      readonly kind: 'figure';
      readonly figure: ComposedFigure;
      readonly caption: readonly PlacedLine[];
      /** The lines under the figure, one group per paragraph: source, notes, each footnote. */
      readonly apparatus: ReadonlyArray<readonly PlacedLine[]>;
      readonly chart: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
    })
  | PlacedTable
  | PlacedTextbox
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly color: string }
  | PlacedRule
  | { readonly kind: 'link'; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly url: string };

/**
 * Every line of text a placed item holds, in the order render.ts draws them
 * (its labels included): what registers its fonts, and what the thumbnail paints.
 */
export function placedLines(item: PlacedItem): PlacedLine[] {
  switch (item.kind) {
    case 'text':
      return item.label ? [...item.lines, item.label] : [...item.lines];
    case 'figure':
      return [...item.caption, ...item.apparatus.flat()];
    case 'table':
      return [...item.caption, ...[item.header, ...item.rows].flatMap((row) => row.cells.flat()), ...item.apparatus.flat()];
    case 'textbox':
      return item.pieces.flatMap((piece) => (piece.label ? [piece.label, ...piece.lines] : piece.lines));
    default:
      return [];
  }
}

export interface PlacedRule {
  readonly kind: 'rule';
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly color: string;
  readonly width: number;
}

/** A table's row as placed: each cell's lines, in column order (an empty cell has none). */
export interface PlacedRow {
  /** Index into the table's rows; -1 for the header row. */
  readonly index: number;
  readonly top: number;
  readonly height: number;
  readonly cells: ReadonlyArray<readonly PlacedLine[]>;
}

/**
 * One part of a table: the whole table, or the piece of it one column (or page)
 * holds. A part after the first repeats the header row under the continued caption.
 */
/** Where a body block's box is: which block, in which column (-1 across both), at which place and size. */
interface PlacedBox {
  readonly block: number;
  readonly column: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** One part of a block that may break across columns (a table, a text box): its box and its place among the parts. */
interface PlacedPart extends PlacedBox {
  /** 0 for the first part. */
  readonly part: number;
  readonly last: boolean;
}

export interface PlacedTable extends PlacedPart {
  readonly kind: 'table';
  readonly table: ComposedTable;
  /** Left edge and width of each column of the table. */
  readonly columns: ReadonlyArray<{ readonly x: number; readonly width: number }>;
  /** The caption (or, after the first part, the continued caption) and the subtitle. */
  readonly caption: readonly PlacedLine[];
  readonly header: PlacedRow;
  readonly rows: readonly PlacedRow[];
  readonly rules: readonly PlacedRule[];
  /** Under the last part only: source, notes, each footnote. */
  readonly apparatus: ReadonlyArray<readonly PlacedLine[]>;
}

/** A run of lines of one of a text box's paragraphs, list items, its title or its source line. */
export interface PlacedBoxPiece {
  readonly role: 'title' | 'P' | 'LI' | 'source';
  /** Index of the text box's block the lines belong to (-1 for the title). */
  readonly inner: number;
  /** For list items: the item's index in its list. */
  readonly item?: number;
  readonly lines: readonly PlacedLine[];
  readonly label?: PlacedLine;
}

/** One part of a text box: the frame (shading and the rule on top) and what it holds. */
export interface PlacedTextbox extends PlacedPart {
  readonly kind: 'textbox';
  readonly textbox: ComposedTextbox;
  /** The structure role of the title: one level below the heading the box follows. */
  readonly titleRole: 'H2' | 'H3' | 'H4';
  readonly fill: string;
  readonly rule: PlacedRule;
  readonly pieces: readonly PlacedBoxPiece[];
}

/** What the layout noticed that the author should hear about; run/ reports it with its place in brief.yaml. */
export interface LayoutWarning {
  readonly kind: 'low-resolution-image';
  readonly figureId: string;
  /** Dots per inch the image prints at, at its placed size (rounded down, at least 1). */
  readonly dpi: number;
  /** The theme's `pdf.figure.minImageDpi`. */
  readonly minDpi: number;
}

/** The field of a figure or table an apparatus line comes from. */
export type ApparatusField = 'source' | 'notes' | 'footnotes';

/**
 * What the layout cannot set as the brief asks; run/ refuses the brief with it, at its
 * place in brief.yaml. The layout still returns pages, with nothing outside a column.
 */
export interface LayoutError {
  /**
   * The caption, the smallest drawing (`pdf.figure.minDrawingHeight`, or the drawing's
   * own height when less) or the smallest last part of a table, and the lines under it
   * (source, notes, footnotes) are taller than a body column: the figure or table
   * cannot stay in one column with its lines. The lines that do not fit are left out.
   */
  readonly kind: 'too-tall';
  readonly block: 'figure' | 'table';
  /** The figure's or table's id. */
  readonly id: string;
  /** The field whose lines first pass the column's foot. */
  readonly field: ApparatusField;
  /** With field `footnotes`: the index of that footnote in the figure's or table's `footnotes`. */
  readonly footnote?: number;
  /** Lines under the figure or table (at their own leading) past the column's foot, at least 1. */
  readonly linesOver: number;
}

export interface ColumnBox {
  readonly x: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
}

export interface PageLayout {
  readonly number: number;
  readonly kind: 'first' | 'body' | 'disclaimer';
  /** Where the column text flows: below any table or text box across both columns. */
  readonly columns: readonly ColumnBox[];
  /** In reading order: furniture at the top, tables and text boxes across both columns, column 1, column 2, furniture at the bottom. */
  readonly items: readonly PlacedItem[];
  /** How far down each column the text reaches, 0–1. */
  readonly fill: readonly number[];
}

/** A paragraph (or list item) set one line shorter than its best setting, to keep the brief inside its budget. */
export interface Tightening {
  /** Index of the body block. */
  readonly block: number;
  /** The list item, for a bulleted list. */
  readonly item?: number;
  /** Lines gained: -1. */
  readonly lines: number;
  /** Its lines at its best setting. */
  readonly from: number;
  /** What the tighter setting costs, in demerits over the best. */
  readonly cost: number;
}

/** The lines of one justified paragraph or list item as set, and the measure they were set to. */
export interface JustifiedBlock {
  readonly block: number;
  /** A list's item, or a text box's piece. */
  readonly item?: number;
  readonly width: number;
  readonly lines: readonly SetLine[];
  /** Words wider than the column, cut between letters. */
  readonly wideWords: number;
}

/** A paragraph (or list item) the flow set a line shorter or longer than its best setting, so that no widow left a column short. */
export interface WidowReset {
  readonly block: number;
  readonly item?: number;
  /** -1 or +1. */
  readonly lines: number;
  readonly from: number;
  readonly set: readonly SetLine[];
}

/** What the flow makes of measured blocks; the layout adds how the text was fitted. */
export type FlowedLayout = Omit<Layout, 'tightened' | 'justified' | 'widowResets'> & { readonly widowResets: readonly WidowReset[] };

export interface Layout {
  readonly pages: readonly PageLayout[];
  readonly bodyPages: number;
  /** Present when the body needs more pages than the series' budget allows. */
  readonly overflow?: {
    /** Body block where the text first runs past the budget; body.length or more for the author block. */
    readonly firstBlock: number;
    /** Lines of body text (at the body leading) beyond the budget. */
    readonly lines: number;
  };
  readonly warnings: readonly LayoutWarning[];
  /** Empty when the layout set everything as the brief asks. */
  readonly errors: readonly LayoutError[];
  /** Paragraphs set tighter to keep the brief inside its budget; usually none. */
  readonly tightened: readonly Tightening[];
  /** Every justified paragraph and list item of the body as set: what the typesetting's quality is judged on. */
  readonly justified: readonly JustifiedBlock[];
  /** Paragraphs set a line shorter or longer so that no widow left a column short. */
  readonly widowResets: ReadonlyArray<Omit<WidowReset, 'set'>>;
}

/**
 * Measure, then distribute: each body block is typeset once at the body column's
 * width (measure.ts), then the flow places the measured blocks down the columns,
 * page by page, around each page's furniture (flow.ts, furniture.ts).
 * `budget` is the series' number of body pages, when it declares one.
 */
export function layoutBrief(brief: ComposedBrief, theme: Theme, measurer: Measurer, budget?: number, typesetter = new Typesetter(theme, measurer, brief.language)): Layout {
  const measured = measureBrief(brief, typesetter, bodyColumnWidth(theme), { pageWidth: contentWidth(theme), columnHeight: bodyColumnHeight(theme) });
  const flow = (blocks: MeasuredBrief): Layout => {
    const { widowResets, ...flowed } = flowBrief(brief, blocks, typesetter, budget);
    return { ...flowed, tightened: [], justified: justifiedOf(blocks, widowResets), widowResets: widowResets.map(({ set: _set, ...reset }) => reset) };
  };
  const layout = flow(measured);
  if (!layout.overflow) return layout;
  const fitted = copyfit(measured, flow, theme.pdf.body);
  return fitted ? { ...fitted.layout, tightened: fitted.tightened } : layout;
}

/** The justified text as placed: the measured lines, or the setting the flow chose to avoid a widow. */
function justifiedOf(measured: MeasuredBrief, resets: readonly WidowReset[]): JustifiedBlock[] {
  const placed = (block: number, item: number | undefined, lines: readonly SetLine[]) => resets.find((r) => r.block === block && r.item === item)?.set ?? lines;
  return measured.blocks.flatMap((block): JustifiedBlock[] => {
    if (block.kind === 'paragraph') return [{ block: block.index, width: block.width, lines: placed(block.index, undefined, block.lines), wideWords: block.setting.wideWords }];
    if (block.kind === 'textbox') {
      return block.pieces.flatMap((piece, p) => (piece.justifiedWidth === undefined ? [] : [{ block: block.index, item: p, width: piece.justifiedWidth, lines: piece.lines, wideWords: 0 }]));
    }
    if (block.kind !== 'bullets') return [];
    return block.items.map((lines, item) => ({ block: block.index, item, width: block.settings[item]!.width, lines: placed(block.index, item, lines), wideWords: block.settings[item]!.wideWords }));
  });
}

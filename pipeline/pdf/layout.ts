// Stage 5a: the page layout of the PDF brief, as plain data. Composed blocks and
// font metrics in; pages of placed boxes out (page, column, x, y, lines). Drawing
// them is render.ts's job, so every typesetting rule here is testable without a PDF.
//
// Coordinates are PDF points with the origin at the top left of the page, y down.
import type { ComposedBrief, ComposedFigure } from '../compose/compose.ts';
import type { Measurer } from '../core/fonts.ts';
import type { Theme } from '../core/theme.ts';
import type { Fragment } from '../core/typeset.ts';
import { flowBrief } from './flow.ts';
import { bodyColumnWidth } from './frame.ts';
import { measureBrief } from './measure.ts';
import { Typesetter } from './typesetter.ts';

/** Structure roles, named after the PDF structure types the renderer tags them with. */
export type TextRole = 'H1' | 'H2' | 'P' | 'LI' | 'Caption' | 'Artifact';

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
  | {
      readonly kind: 'figure';
      readonly block: number;
      readonly column: number;
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly figure: ComposedFigure;
      readonly caption: readonly PlacedLine[];
      readonly source: readonly PlacedLine[];
      readonly chart: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
    }
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly color: string }
  | { readonly kind: 'rule'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly color: string; readonly width: number }
  | { readonly kind: 'link'; readonly x: number; readonly y: number; readonly width: number; readonly height: number; readonly url: string };

export interface ColumnBox {
  readonly x: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
}

export interface PageLayout {
  readonly number: number;
  readonly kind: 'first' | 'body' | 'disclaimer';
  readonly columns: readonly ColumnBox[];
  /** In reading order: furniture at the top, column 1, column 2, furniture at the bottom. */
  readonly items: readonly PlacedItem[];
  /** How far down each column the text reaches, 0–1. */
  readonly fill: readonly number[];
}

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
}

/**
 * Measure, then distribute: each body block is typeset once at the body column's
 * width (measure.ts), then the flow places the measured blocks down the columns,
 * page by page, around each page's furniture (flow.ts, furniture.ts).
 * `budget` is the series' number of body pages, when it declares one.
 */
export function layoutBrief(brief: ComposedBrief, theme: Theme, measurer: Measurer, budget?: number): Layout {
  const typesetter = new Typesetter(theme, measurer, brief.language);
  const measured = measureBrief(brief, typesetter, bodyColumnWidth(theme));
  return flowBrief(brief, measured, typesetter, budget);
}

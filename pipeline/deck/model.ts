// The deck as plain data: what deck/plan.ts decides and deck/render.ts draws.
// Positions and sizes of boxes are in inches (pptxgenjs's unit), font sizes and
// line weights in points, colors as the theme writes them (#RRGGBB).

/** A unit conversion, not a design choice: PowerPoint's point is 1/72 inch. */
export const POINTS_PER_INCH = 72;

/** inches */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface TextStyle {
  readonly fontSize: number;
  readonly color: string;
  readonly bold?: boolean;
  readonly align?: 'left' | 'right';
  readonly valign?: 'top' | 'middle' | 'bottom';
  /** points between letters */
  readonly charSpacing?: number;
}

/** One line of text in one style (it may wrap). */
export interface TextShape {
  readonly kind: 'text';
  readonly box: Rect;
  readonly text: string;
  readonly style: TextStyle;
}

export interface Run {
  readonly text: string;
  readonly bold?: boolean;
  readonly italic?: boolean;
  /** Overrides the box's color; a hyperlink needs one, as pptxgenjs does not give links the box's color. */
  readonly color?: string;
  readonly hyperlink?: { readonly url: string; readonly tooltip: string };
  /** A footnote mark, raised (PowerPoint sets it smaller). */
  readonly superscript?: boolean;
}

export interface Paragraph {
  /**
   * The hanging indent of the bullet, in points; no bullet when absent. A list's
   * item under the sentence that leads into it is at `level` 2: indented twice, with a dash.
   */
  readonly bullet?: { readonly indent: number; readonly level?: 2 };
  readonly runs: readonly Run[];
}

/** Paragraphs of body text, top-aligned and single-spaced, as the fitter measured them. */
export interface BodyShape {
  readonly kind: 'body';
  readonly box: Rect;
  readonly fontSize: number;
  readonly color: string;
  /** points */
  readonly paragraphSpaceAfter: number;
  readonly paragraphs: readonly Paragraph[];
}

/** The slide's title placeholder, filled with text fitted to it. */
export interface TitleShape {
  readonly kind: 'title';
  readonly text: string;
  readonly fontSize: number;
}

export interface ChartText {
  readonly fontSize: number;
  readonly color: string;
}

/** One series of a native chart: a column of the chart's workbook. */
export interface ChartSeries {
  readonly name: string;
  readonly labels: readonly string[];
  readonly values: readonly number[];
  readonly color: string;
  /**
   * How a line is drawn: every series of a line chart, and on a bar chart the
   * series drawn as a line over the bars (a combination chart). A reference line
   * is dashed and has no markers.
   */
  readonly line?: { readonly dashed: boolean; readonly markers: boolean };
}

/** A native chart with its workbook: the figure's data and how it is shown. */
export interface ChartShape {
  readonly kind: 'chart';
  readonly box: Rect;
  readonly type: 'bar' | 'line' | 'pie';
  /** Bars run left to right, the first category at the top (as the PDF's chart draws it). */
  readonly horizontal: boolean;
  /** The bars of several series stacked rather than side by side. */
  readonly stacked: boolean;
  readonly series: readonly ChartSeries[];
  /** One per series, or per slice of a pie (as many as it has slices: pptxgenjs picks a random color past the end). */
  readonly colors: readonly string[];
  /** For screen readers, on the chart frame. */
  readonly altText: string;
  /** Language tag of the chart's text. */
  readonly language: string;
  /** `low`: category labels at the low end of the value axis, clear of bars below zero. */
  readonly categoryAxis: ChartText & { readonly labelPosition?: 'low' };
  /** `format` is an Excel number format. */
  readonly valueAxis: ChartText & { readonly format: string; readonly title?: ChartText & { readonly text: string } };
  readonly dataLabels: ChartText & { readonly show: boolean; readonly format: string; readonly position: 'bestFit' | 'outEnd' };
  readonly legend: { readonly show: boolean; readonly position: 'r' | 'b'; readonly fontSize: number };
  readonly gridLine: { readonly color: string; readonly weight: number };
  /** % of a bar's width left between categories */
  readonly gapWidthPct: number;
  /** points: lines and their markers */
  readonly lineWeight: number;
  readonly markerSize: number;
}

/** A border of a table cell; points. */
export interface CellBorder {
  readonly color: string;
  readonly weight: number;
}

export interface TableCell {
  readonly runs: readonly Run[];
  readonly align: 'left' | 'right' | 'center';
  /** Header cells sit on their rule, so a one-line label lines up with a wrapped one; body cells hang from the top. */
  readonly valign: 'top' | 'bottom';
  readonly bold: boolean;
  readonly borderTop?: CellBorder;
  readonly borderBottom?: CellBorder;
}

/** A native table: text stays editable, and the rows were measured to fit `box`. */
export interface TableShape {
  readonly kind: 'table';
  /** `h` is the sum of the row heights. */
  readonly box: Rect;
  /** inches; they add up to `box.w` */
  readonly columnWidths: readonly number[];
  /** inches, one per row, as measured (viewers grow a row that needs more) */
  readonly rowHeights: readonly number[];
  /** The first row is the header row (marked as such for screen readers and table styles). */
  readonly rows: ReadonlyArray<readonly TableCell[]>;
  readonly fontSize: number;
  readonly color: string;
  /** inches inside each cell */
  readonly cellMargin: { readonly x: number; readonly y: number };
}

/** An image figure, sized to its box with its aspect ratio kept. */
export interface PictureShape {
  readonly kind: 'picture';
  readonly box: Rect;
  readonly format: 'svg' | 'png' | 'jpeg';
  readonly bytes: Uint8Array;
  /** For screen readers, on the picture. */
  readonly altText: string;
  /** An SVG also carries a PNG of this many pixels (at least one each way), for viewers that cannot draw SVG. */
  readonly fallback?: { readonly width: number; readonly height: number };
}

/** What a slide holds, in reading order (which is also the order the shapes are written). */
export type SlideShape = TitleShape | TextShape | BodyShape | ChartShape | TableShape | PictureShape;

export type MasterName = 'BRIEF_TITLE' | 'BRIEF_CONTENT';

export interface SlidePlan {
  readonly master: MasterName;
  readonly shapes: readonly SlideShape[];
  /**
   * Speaker notes, in the data's italics and bold; a line break is text ('\n'),
   * each line a paragraph of the notes. A slide without them has none.
   */
  readonly notes?: readonly Run[];
}

/** A filled rectangle without an outline. */
export interface BandShape {
  readonly kind: 'band';
  readonly box: Rect;
  readonly color: string;
}

/** A horizontal line across `box.w`. */
export interface RuleShape {
  readonly kind: 'rule';
  readonly box: Rect;
  readonly color: string;
  /** points */
  readonly weight: number;
}

/** Where a master puts its slides' titles, and how they look before they are fitted. */
export interface TitlePlaceholder {
  readonly kind: 'titlePlaceholder';
  readonly box: Rect;
  readonly style: TextStyle;
}

export interface SlideMaster {
  readonly name: MasterName;
  readonly background: string;
  /** In drawing order. */
  readonly shapes: ReadonlyArray<BandShape | RuleShape | TitlePlaceholder | TextShape>;
  readonly slideNumber: { readonly box: Rect; readonly style: TextStyle };
}

export interface DeckPlan {
  /** inches */
  readonly width: number;
  readonly height: number;
  /** The one face every text names (the fitter measured its metric twin). */
  readonly fontFace: string;
  /** Language tag of all the deck's text, for proofing and screen readers. */
  readonly language: string;
  readonly properties: {
    readonly title: string;
    readonly subject: string;
    readonly author: string;
    readonly company: string;
    /** ISO date of the brief's version: the package's dates. */
    readonly date: string;
  };
  readonly masters: readonly SlideMaster[];
  readonly slides: readonly SlidePlan[];
}

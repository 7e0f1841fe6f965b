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
  /** Overrides the box's color; a hyperlink needs one, as pptxgenjs does not give links the box's color. */
  readonly color?: string;
  readonly hyperlink?: { readonly url: string; readonly tooltip: string };
}

export interface Paragraph {
  /** The hanging indent of the bullet, in points; no bullet when absent. */
  readonly bullet?: { readonly indent: number };
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

/** A native chart with its workbook: the figure's data and how it is shown. */
export interface ChartShape {
  readonly kind: 'chart';
  readonly box: Rect;
  readonly type: 'bar' | 'line' | 'pie';
  /** Bars run left to right, the first category at the top (as the PDF's chart draws it). */
  readonly horizontal: boolean;
  readonly series: ReadonlyArray<{ readonly name: string; readonly labels: readonly string[]; readonly values: readonly number[] }>;
  /** One per series, or per slice of a pie. */
  readonly colors: readonly string[];
  /** For screen readers, on the chart frame. */
  readonly altText: string;
  /** Language tag of the chart's text. */
  readonly language: string;
  readonly categoryAxis: ChartText;
  /** `format` is an Excel number format. */
  readonly valueAxis: ChartText & { readonly format: string; readonly title?: ChartText & { readonly text: string } };
  readonly dataLabels: ChartText & { readonly show: boolean; readonly format: string; readonly position: 'bestFit' | 'outEnd' };
  readonly legend: { readonly show: boolean; readonly position: 'r' | 'b'; readonly fontSize: number };
  readonly gridLine: { readonly color: string; readonly weight: number };
  /** % of a bar's width left between categories */
  readonly gapWidthPct: number;
}

/** What a slide holds, in reading order (which is also the order the shapes are written). */
export type SlideShape = TitleShape | TextShape | BodyShape | ChartShape;

export type MasterName = 'BRIEF_TITLE' | 'BRIEF_CONTENT';

export interface SlidePlan {
  readonly master: MasterName;
  readonly shapes: readonly SlideShape[];
  /** Speaker notes; a slide without them has none. */
  readonly notes?: string;
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

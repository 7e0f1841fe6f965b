// Measure: each composed body block typeset once, before the flow places it.
// A block's lines, leading and height do not depend on where it lands, because
// every body column has the same width (frame.ts's bodyColumnWidth; the flow
// checks it): the flow and its keep-with-next rule both read these numbers,
// never set a block's text again.
import type { Apparatus, BodyBlock, ComposedBrief, ComposedFigure } from '../compose/compose.ts';
import type { Run } from '../core/text.ts';
import type { Theme } from '../core/theme.ts';
import type { SetLine, TextStyle } from '../core/typeset.ts';
import { apparatusHeight, fitApparatus, type ApparatusPart } from './apparatus.ts';
import { bodyColumnHeight, contentWidth } from './frame.ts';
import type { LayoutError, LayoutWarning, PlacedTextbox } from './layout.ts';
import { measureTable, type MeasuredTable } from './table.ts';
import { measureTextbox, type MeasuredTextbox } from './textbox.ts';
import { bold, plain, type JustifiedText, type Typesetter } from './typesetter.ts';
import { mayBreakAfter, type WidowRule } from './widows.ts';

export type { WidowRule } from './widows.ts';

export type { MeasuredTable } from './table.ts';
export type { MeasuredTextbox } from './textbox.ts';

/** Text set in one style, its lines `leading` apart. */
interface MeasuredText {
  readonly style: TextStyle;
  readonly leading: number;
}

export interface MeasuredCommon {
  /** Index of the composed body block. */
  readonly index: number;
  /** The column width the block was set at. */
  readonly width: number;
  /** Height the block needs at the foot of a column to start there: what a heading before it keeps free below itself. */
  readonly footNeed: number;
}

export type MeasuredHeading = MeasuredCommon &
  MeasuredText & {
    readonly kind: 'heading';
    /** 1 for a section heading (tagged H2), 2 for a sub-heading (tagged H3). */
    readonly level: 1 | 2;
    readonly lines: readonly SetLine[];
    /** Its lines and the space after them. */
    readonly height: number;
    /** Space above it, dropped at the top of a column. */
    readonly spaceBefore: number;
    /** Space under it, part of `height`. */
    readonly spaceAfter: number;
  };
export type MeasuredParagraph = MeasuredCommon &
  MeasuredText & {
    readonly kind: 'paragraph';
    readonly lines: readonly SetLine[];
    /** The paragraph's settings: `lines` is the best, and copyfitting may choose one a line shorter. */
    readonly setting: JustifiedText;
  };
export type MeasuredBullets = MeasuredCommon &
  MeasuredText & {
    readonly kind: 'bullets';
    /** Each item's lines, set the bullet's indent narrower than the column. */
    readonly items: ReadonlyArray<readonly SetLine[]>;
    /** Each item's settings, as a paragraph's. */
    readonly settings: readonly JustifiedText[];
    /** The bullet, hung in the indent of each item's first line. */
    readonly label: SetLine | undefined;
  };
export type MeasuredFigure = MeasuredCommon & {
  readonly kind: 'figure';
  readonly figure: ComposedFigure;
  readonly parts: FigureParts;
  /** From the caption's top to the source line's foot. */
  readonly height: number;
  /** What the figure takes from a column: its height and the space after it. */
  readonly outerHeight: number;
};
export type MeasuredBlock = MeasuredHeading | MeasuredParagraph | MeasuredBullets | MeasuredFigure | MeasuredTable | MeasuredTextbox;

export interface FigurePart {
  readonly lines: readonly SetLine[];
  readonly style: TextStyle;
  readonly leading: number;
}

export interface FigureParts {
  readonly caption: FigurePart;
  /** No lines when the figure has no subtitle. */
  readonly subtitle: FigurePart;
  /** The lines under the chart: source, notes, each footnote (those that fit a column with it). */
  readonly apparatus: readonly ApparatusPart[];
  /** The chart at the column's width, in its own aspect ratio; never 0. */
  readonly chartHeight: number;
  /** The column's width, or less for a drawing that had to shrink for its figure to fit a column (centred); never 0. */
  readonly chartWidth: number;
}

/** The author block and the product code, which close the body. */
export interface MeasuredAuthors {
  readonly style: TextStyle;
  readonly leading: number;
  readonly authors: ReadonlyArray<readonly SetLine[]>;
  readonly productCode: readonly SetLine[];
  readonly lineCount: number;
  /** The space between the last author and the product code. */
  readonly productCodeSpace: number;
}

export interface MeasuredBrief {
  readonly blocks: readonly MeasuredBlock[];
  readonly authors: MeasuredAuthors;
  readonly warnings: readonly LayoutWarning[];
  readonly errors: readonly LayoutError[];
}

/** The frame's other measures; from the theme when not given. */
export interface MeasureFrame {
  /** Width of a table or text box across both columns. */
  readonly pageWidth: number;
  /** The tallest a body column gets. */
  readonly columnHeight: number;
}


/**
 * How many of a block's `total` remaining lines go in a column with room for
 * `room` lines: all of them, or as many as fit while leaving at least
 * `widows` for the next column, if that is at least `orphans`; else none.
 */
export function linesHere(total: number, room: number, rule: WidowRule): number {
  if (room >= total) return total;
  const take = Math.min(room, total - rule.widows);
  return mayBreakAfter(take, total, rule) ? take : 0;
}


/** The fewest lines of a block of `total` lines a column's foot must have room for, by the same rule the flow splits with. */
export function footLines(total: number, rule: WidowRule): number {
  for (let room = 1; room < total; room++) if (linesHere(total, room, rule) > 0) return room;
  return total;
}

/**
 * A paragraph with these lines (its best setting, or another the copyfitting chose),
 * and the room for the fewest lines the flow would leave at a column's foot: what
 * keeps a heading before it company.
 */
export function withLines(paragraph: MeasuredParagraph, lines: readonly SetLine[], rule: WidowRule): MeasuredParagraph {
  return { ...paragraph, lines, footNeed: footLines(lines.length, rule) * paragraph.leading };
}

/** A list with these items' lines, and the foot room its first item asks. */
export function withItems(bullets: MeasuredBullets, items: ReadonlyArray<readonly SetLine[]>, rule: WidowRule): MeasuredBullets {
  return { ...bullets, items, footNeed: footLines(items[0]?.length ?? 0, rule) * bullets.leading };
}

/** The height of the headings that end `blocks`: above a table across the page, they may go with it (flow.ts). */
function headingsBefore(blocks: readonly MeasuredBlock[]): number {
  let height = 0;
  for (let i = blocks.length - 1; i >= 0; i--) {
    const block = blocks[i]!;
    if (block.kind !== 'heading') break;
    height += block.height;
  }
  return height;
}

export function measureBrief(brief: ComposedBrief, typesetter: Typesetter, width: number, frame?: MeasureFrame): MeasuredBrief {
  const theme = typesetter.theme;
  const measure = new Measure(typesetter, width, frame ?? { pageWidth: contentWidth(theme), columnHeight: bodyColumnHeight(theme) });
  const blocks: MeasuredBlock[] = [];
  brief.body.forEach((block, index) => blocks.push(measure.block(block, index, blocks)));
  return { blocks, authors: measure.authors(brief.authors, brief.productCode), warnings: measure.warnings, errors: measure.errors };
}

class Measure {
  private readonly pdf: Theme['pdf'];
  private readonly bodyStyle: TextStyle;
  private readonly rule: WidowRule;
  readonly warnings: LayoutWarning[] = [];
  readonly errors: LayoutError[] = [];
  /** The structure level of the last heading measured: a text box's title is tagged one below it. */
  private headingTag = 1;

  constructor(
    private readonly typesetter: Typesetter,
    private readonly width: number,
    private readonly frame: MeasureFrame,
  ) {
    this.pdf = typesetter.theme.pdf;
    this.bodyStyle = typesetter.style('serif', this.pdf.body.size);
    this.rule = this.pdf.body;
  }

  /** `before`: the blocks measured so far. */
  block(block: BodyBlock, index: number, before: readonly MeasuredBlock[] = []): MeasuredBlock {
    switch (block.kind) {
      case 'heading':
        this.headingTag = block.level + 1;
        return this.heading(block.text, block.level, index);
      case 'paragraph':
        return this.paragraph(block.runs, index);
      case 'bullets':
        return this.bullets(block.items, index);
      case 'figure':
        return this.figure(block.figure, index);
      case 'table': {
        const table = measureTable(block.table, index, {
          typesetter: this.typesetter,
          columnWidth: this.width,
          pageWidth: this.frame.pageWidth,
          columnHeight: this.frame.columnHeight,
          headingsAbove: headingsBefore(before),
          rule: this.rule,
          part: (runs, kind, width) => this.exhibitPart(runs, kind, width),
          apparatus: (width) => this.apparatus(block.table.apparatus, width),
        });
        if (table.apparatusOver) this.errors.push({ kind: 'too-tall', block: 'table', id: block.table.id, ...table.apparatusOver });
        return table;
      }
      case 'textbox':
        return measureTextbox(block.textbox, index, {
          typesetter: this.typesetter,
          columnWidth: this.width,
          pageWidth: this.frame.pageWidth,
          columnHeight: this.frame.columnHeight,
          rule: this.rule,
          titleRole: `H${Math.min(4, this.headingTag + 1)}` as PlacedTextbox['titleRole'],
        });
    }
  }

  /** A figure's or table's caption, subtitle or one line of its apparatus, as figures set them. */
  private exhibitPart(runs: readonly Run[] | undefined, kind: 'caption' | 'subtitle' | 'source', width: number): FigurePart {
    const f = this.pdf.figure;
    const { brand, muted } = this.typesetter.theme.colors;
    const [size, lineHeight, color] = kind === 'caption' ? [f.captionSize, f.captionLineHeight, brand] : kind === 'subtitle' ? [f.subtitleSize, f.subtitleLineHeight, muted] : [f.sourceSize, f.sourceLineHeight, muted];
    const style = this.typesetter.style('sans', size, color);
    return { lines: runs ? this.typesetter.set(runs, style, width) : [], style, leading: size * lineHeight };
  }

  /** Source, notes and each footnote, a small paragraph each. */
  private apparatus(apparatus: Apparatus, width: number): ApparatusPart[] {
    const part = (runs: readonly Run[] | undefined, field: ApparatusPart['field'], footnote?: number): ApparatusPart[] =>
      runs ? [{ ...this.exhibitPart(runs, 'source', width), field, ...(footnote === undefined ? {} : { footnote }) }] : [];
    return [...part(apparatus.source, 'source'), ...part(apparatus.notes, 'notes'), ...apparatus.footnotes.flatMap((runs, i) => part(runs, 'footnotes', i))];
  }

  private heading(text: string, level: 1 | 2, index: number): MeasuredHeading {
    // A sub-heading: smaller, and in the text's colour rather than the brand's.
    const h = level === 1 ? this.pdf.heading : this.pdf.subheading;
    const { leading, spaceAfter, spaceBefore } = h;
    const { brand, text: textColor } = this.typesetter.theme.colors;
    const style = this.typesetter.style('sans', h.size, level === 1 ? brand : textColor);
    const lines = this.typesetter.set([bold(text)], style, this.width);
    // A heading that follows a heading needs room for its first line only.
    return { kind: 'heading', level, index, width: this.width, style, leading, lines, height: lines.length * leading + spaceAfter, spaceBefore, spaceAfter, footNeed: leading };
  }

  private paragraph(runs: readonly Run[], index: number): MeasuredParagraph {
    const leading = this.pdf.body.leading;
    const setting = this.typesetter.justified(runs, this.bodyStyle, this.width);
    return withLines({ kind: 'paragraph', index, width: this.width, style: this.bodyStyle, leading, lines: setting.lines, setting, footNeed: 0 }, setting.lines, this.rule);
  }

  private bullets(runs: ReadonlyArray<readonly Run[]>, index: number): MeasuredBullets {
    const { indent, glyph } = this.pdf.bullet;
    const leading = this.pdf.body.leading;
    const style = this.bodyStyle;
    const settings = runs.map((item) => this.typesetter.justified(item, style, this.width - indent));
    const [label] = this.typesetter.set([plain(glyph)], style, indent);
    const items = settings.map((setting) => setting.lines);
    return withItems({ kind: 'bullets', index, width: this.width, style, leading, items, settings, label, footNeed: 0 }, items, this.rule);
  }

  private figure(figure: ComposedFigure, index: number): MeasuredFigure {
    const f = this.pdf.figure;
    const caption = this.exhibitPart([bold(figure.caption)], 'caption', this.width);
    const subtitle = this.exhibitPart(figure.subtitle ? [plain(figure.subtitle)] : undefined, 'subtitle', this.width);
    const aspect = figure.chart ? figure.chart.heightPt / figure.chart.widthPt : figure.image!.height / figure.image!.width;
    const natural = aspect * this.width;
    const head = caption.lines.length * caption.leading + subtitle.lines.length * subtitle.leading + f.chartSpaceAbove + f.chartSpaceBelow;
    // A figure stays in one column with its lines: those that do not fit under the smallest
    // drawing are left out and reported as an error (a figure parted from its notes, or a
    // drawing too small to read, serves no reader; the author shortens the notes).
    const smallest = Math.min(natural, f.minDrawingHeight);
    const fitted = fitApparatus(this.apparatus(figure.apparatus, this.width), this.frame.columnHeight - head - smallest, f.apparatusGap);
    if (fitted.over) this.errors.push({ kind: 'too-tall', block: 'figure', id: figure.id, ...fitted.over });
    const apparatus = fitted.parts;
    const linesHeight = apparatusHeight(apparatus, f.apparatusGap);
    let chartHeight = natural;
    let chartWidth = this.width;
    // A drawing too tall for a column with its figure shrinks, aspect kept, until the whole figure fits one.
    if (head + linesHeight + chartHeight > this.frame.columnHeight) {
      chartHeight = Math.max(smallest, this.frame.columnHeight - (head + linesHeight));
      chartWidth = chartHeight / aspect;
    }
    const image = figure.image;
    if (image && image.format !== 'svg') {
      // At least 1: an image a pixel wide prints at some resolution, and a hint divides by it.
      const dpi = Math.max(1, Math.floor((image.width / chartWidth) * 72));
      if (dpi < f.minImageDpi) this.warnings.push({ kind: 'low-resolution-image', figureId: figure.id, dpi, minDpi: f.minImageDpi });
    }
    const height = caption.lines.length * caption.leading + subtitle.lines.length * subtitle.leading + f.chartSpaceAbove + chartHeight + f.chartSpaceBelow + linesHeight;
    const parts = { caption, subtitle, apparatus, chartHeight, chartWidth };
    // A figure may wait for the next column, so it asks no room of a heading before it.
    return { kind: 'figure', index, width: this.width, figure, parts, height, outerHeight: height + f.spaceAfter, footNeed: 0 };
  }

  authors(authors: ComposedBrief['authors'], productCode: string): MeasuredAuthors {
    const { size, leading, productCodeSpaceBefore } = this.pdf.authors;
    const style = this.typesetter.style('serif', size);
    const lines = authors.map((author) => this.typesetter.set([bold(author.name), plain(author.detail)], style, this.width));
    const code = this.typesetter.set([bold(productCode)], style, this.width);
    const lineCount = lines.reduce((n, set) => n + set.length, 0) + code.length;
    return { style, leading, authors: lines, productCode: code, lineCount, productCodeSpace: leading * productCodeSpaceBefore };
  }
}

// Distribute: measured blocks placed down the columns, page after page. Column
// and page breaks, headings kept with what follows, widow and orphan control,
// figures that wait for the next column, the author block that closes the body,
// and how far the body runs past its page budget.
import type { ComposedBrief } from '../compose/compose.ts';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import type { Theme } from '../core/theme.ts';
import type { SetLine } from '../core/typeset.ts';
import { pageColumns } from './frame.ts';
import { disclaimerParts, pageFurniture } from './furniture.ts';
import type { ColumnBox, Layout, PageLayout, PlacedItem, TextRole } from './layout.ts';
import {
  linesHere,
  type MeasuredAuthors,
  type MeasuredBlock,
  type MeasuredBrief,
  type MeasuredBullets,
  type MeasuredFigure,
  type MeasuredHeading,
  type MeasuredParagraph,
} from './measure.ts';
import type { Typesetter } from './typesetter.ts';

/** Points of rounding a column may be over by and still hold a line, or still count as at its top. */
const TOLERANCE = 0.01;

/** A list item's place in its list, and the bullet hung in the indent of its first line. */
interface ListItem {
  readonly index: number;
  readonly indent: number;
  readonly label: SetLine | undefined;
}

interface MutablePage {
  number: number;
  kind: PageLayout['kind'];
  columns: ColumnBox[];
  top: PlacedItem[];
  body: PlacedItem[][];
  bottom: PlacedItem[];
  /** How far down each column something was placed. */
  reached: number[];
}

/** A page as the renderer reads it: its items in reading order, and how full each column is. */
function pageLayout(page: MutablePage): PageLayout {
  return {
    number: page.number,
    kind: page.kind,
    columns: page.columns,
    items: [...page.top, ...page.body.flat(), ...page.bottom],
    fill: page.columns.map((c, i) => Math.min(1, Math.max(0, ((page.reached[i] ?? c.top) - c.top) / (c.bottom - c.top)))),
  };
}

/** `budget` is the series' number of body pages, when it declares one. */
export function flowBrief(brief: ComposedBrief, measured: MeasuredBrief, typesetter: Typesetter, budget?: number): Layout {
  return new Flow(brief, typesetter).run(measured, budget);
}

class Flow {
  private readonly pages: MutablePage[] = [];
  private page!: MutablePage;
  private column = 0;
  private y = 0;
  private readonly pendingFigures: MeasuredFigure[] = [];
  /** A heading's own space after it replaces the gap before the block that follows. */
  private afterHeading = false;
  private readonly pdf: Theme['pdf'];

  constructor(
    private readonly brief: ComposedBrief,
    private readonly typesetter: Typesetter,
  ) {
    this.pdf = typesetter.theme.pdf;
  }

  run({ blocks, authors }: MeasuredBrief, budget?: number): Layout {
    this.newPage('first');
    blocks.forEach((block, i) => this.placeBlock(block, blocks[i + 1]));
    // Figures still waiting for a column go before the author block, which closes the body.
    while (this.pendingFigures.length > 0) this.nextColumn();
    this.placeAuthors(authors, blocks.length);
    const bodyPages = this.pages.length;
    const overflow = budget !== undefined && bodyPages > budget ? this.overflowBeyond(budget) : undefined;
    this.disclaimerPage();
    return { bodyPages, ...(overflow ? { overflow } : {}), pages: this.pages.map(pageLayout) };
  }

  private overflowBeyond(budget: number): NonNullable<Layout['overflow']> {
    const extra = this.pages.slice(budget);
    const firstBlock = Math.min(
      ...extra.flatMap((page) => page.body.flat().flatMap((item) => ('block' in item && item.block >= 0 ? [item.block] : []))),
    );
    const height = extra.reduce((sum, page) => sum + page.columns.reduce((h, col, i) => h + Math.max(0, (page.reached[i] ?? col.top) - col.top), 0), 0);
    return { firstBlock: Number.isFinite(firstBlock) ? firstBlock : this.brief.body.length, lines: Math.max(1, Math.ceil(height / this.pdf.body.leading)) };
  }

  // ---- columns and pages ----------------------------------------------------

  private get col(): ColumnBox {
    return this.page.columns[this.column]!;
  }

  private newPage(kind: PageLayout['kind']): void {
    const { top, bottom, bodyTop } = pageFurniture(this.brief, kind, this.typesetter);
    const columns = pageColumns(this.typesetter.theme, kind, bodyTop);
    this.page = { number: this.pages.length + 1, kind, columns, top, body: columns.map(() => []), bottom, reached: columns.map((c) => c.top) };
    this.pages.push(this.page);
    this.column = 0;
    this.y = columns[0]!.top;
  }

  private atColumnTop(): boolean {
    return this.y <= this.col.top + TOLERANCE;
  }

  private remaining(): number {
    return this.col.bottom - this.y;
  }

  private nextColumn(): void {
    this.page.reached[this.column] = Math.max(this.page.reached[this.column] ?? 0, this.y);
    if (this.column + 1 < this.page.columns.length) {
      this.column++;
      this.y = this.col.top;
    } else {
      this.newPage('body');
    }
    // Figures that did not fit where the text mentions them go to the top of the next column.
    while (this.pendingFigures.length > 0) {
      const next = this.pendingFigures[0]!;
      if (next.outerHeight > this.remaining() && !this.atColumnTop()) break;
      this.pendingFigures.shift();
      this.placeFigureHere(next);
    }
  }

  private emit(item: PlacedItem): void {
    this.page.body[this.column]!.push(item);
    this.page.reached[this.column] = Math.max(this.page.reached[this.column] ?? 0, this.y);
  }

  /** Space between blocks is dropped at the top of a column. */
  private gap(space: number): void {
    if (!this.atColumnTop() && !this.afterHeading) this.y += space;
    this.afterHeading = false;
  }

  // ---- body blocks ------------------------------------------------------------

  private placeBlock(block: MeasuredBlock, next: MeasuredBlock | undefined): void {
    // Blocks were set once, at one width: that holds only while every body column has it.
    if (block.width !== this.col.width) {
      throw new BriefpressError(ErrorCode.internal, `body block ${block.index} was measured ${block.width} pt wide for a column ${this.col.width} pt wide`);
    }
    switch (block.kind) {
      case 'heading':
        return this.placeHeading(block, next);
      case 'paragraph':
        return this.placeLines(block.lines, block, 'P');
      case 'bullets':
        return this.placeBullets(block);
      case 'figure':
        return this.placeFigure(block);
    }
  }

  private placeHeading(heading: MeasuredHeading, next: MeasuredBlock | undefined): void {
    const { spaceBefore, spaceAfter } = this.pdf.heading;
    const keepWithNext = next?.footNeed ?? 0;
    // Moving on may first place waiting figures at the top of the next column: check again there.
    while (!this.atColumnTop() && spaceBefore + heading.height + keepWithNext > this.remaining()) this.nextColumn();
    this.gap(spaceBefore);
    const lines = this.typesetter.position(heading.lines, this.col.x, this.y, heading.leading, heading.style);
    this.y += heading.lines.length * heading.leading;
    this.emit({ kind: 'text', role: 'H2', block: heading.index, column: this.column, lines });
    this.y += spaceAfter;
    this.afterHeading = true;
  }

  /**
   * Places a paragraph's (or a list item's) lines across columns, as many in each
   * as the widow and orphan rule allows (measure.ts's linesHere).
   */
  private placeLines(lines: readonly SetLine[], block: MeasuredParagraph | MeasuredBullets, role: TextRole, item?: ListItem): void {
    const { leading, style } = block;
    this.gap(this.pdf.body.paragraphGap);
    let rest = lines;
    let first = true;
    while (rest.length > 0) {
      const take = this.linesForColumn(rest.length, leading);
      if (take === 0) {
        this.nextColumn();
        continue;
      }
      const placed = this.typesetter.position(rest.slice(0, take), this.col.x + (item?.indent ?? 0), this.y, leading, style);
      const label = first && item?.label ? this.typesetter.position([item.label], this.col.x, this.y, leading, style)[0] : undefined;
      this.y += take * leading;
      this.emit({ kind: 'text', role, block: block.index, column: this.column, lines: placed, ...(label ? { label } : {}), ...(item ? { item: item.index } : {}) });
      rest = rest.slice(take);
      first = false;
      if (rest.length > 0) this.nextColumn();
    }
  }

  /** How many of a block's `count` remaining lines go in this column; 0 to move on to the next. */
  private linesForColumn(count: number, leading: number): number {
    const room = Math.floor((this.remaining() + TOLERANCE) / leading);
    const take = linesHere(count, room, this.pdf.body);
    // A column that can hold no more than this takes what fits, or the text would never end.
    return take === 0 && this.atColumnTop() ? Math.min(count, Math.max(1, room)) : take;
  }

  private placeBullets(bullets: MeasuredBullets): void {
    const { indent, itemSpacing } = this.pdf.bullet;
    const paragraphGap = this.pdf.body.paragraphGap;
    bullets.items.forEach((lines, index) => {
      // placeLines opens a paragraph's gap: items sit closer than paragraphs.
      if (index > 0) this.y -= paragraphGap * (1 - itemSpacing);
      this.placeLines(lines, bullets, 'LI', { index, indent, label: bullets.label });
    });
  }

  private placeFigure(figure: MeasuredFigure): void {
    const needed = (this.atColumnTop() ? 0 : this.pdf.figure.spaceBefore) + figure.outerHeight;
    if (needed <= this.remaining() && this.pendingFigures.length === 0) this.placeFigureHere(figure);
    else this.pendingFigures.push(figure);
  }

  /** Caption and subtitle, the chart at the column's width, the source line. */
  private placeFigureHere(figure: MeasuredFigure): void {
    this.gap(this.pdf.figure.spaceBefore);
    const { chartSpaceAbove, chartSpaceBelow, spaceAfter } = this.pdf.figure;
    const { caption, subtitle, source, chartHeight } = figure.parts;
    const { x, width } = this.col;
    const top = this.y;
    let y = top;
    const captionLines = [
      ...this.typesetter.position(caption.lines, x, y, caption.leading, caption.style),
      ...this.typesetter.position(subtitle.lines, x, y + caption.lines.length * caption.leading, subtitle.leading, subtitle.style),
    ];
    y += caption.lines.length * caption.leading + subtitle.lines.length * subtitle.leading + chartSpaceAbove;
    const chart = { x, y, width, height: chartHeight };
    y += chartHeight + chartSpaceBelow;
    const sourceLines = this.typesetter.position(source.lines, x, y, source.leading, source.style);
    y += source.lines.length * source.leading;
    this.y = y;
    this.emit({ kind: 'figure', block: figure.index, column: this.column, x, y: top, width, height: y - top, figure: figure.figure, caption: captionLines, source: sourceLines, chart });
    this.y += spaceAfter;
  }

  /** The author block and product code close the body, kept together in one column. */
  private placeAuthors(authors: MeasuredAuthors, index: number): void {
    const { spaceBefore } = this.pdf.authors;
    const { leading, style } = authors;
    const height = (this.atColumnTop() ? 0 : spaceBefore) + authors.lineCount * leading + authors.productCodeSpace;
    while (!this.atColumnTop() && height > this.remaining()) this.nextColumn();
    this.gap(spaceBefore);
    const placeEntry = (lines: readonly SetLine[], block: number) => {
      const placed = this.typesetter.position(lines, this.col.x, this.y, leading, style);
      this.y += lines.length * leading;
      this.emit({ kind: 'text', role: 'P', block, column: this.column, lines: placed });
    };
    authors.authors.forEach((lines, i) => placeEntry(lines, index + i));
    this.y += authors.productCodeSpace;
    placeEntry(authors.productCode, index + authors.authors.length);
  }

  private disclaimerPage(): void {
    this.newPage('disclaimer');
    const { body, bottom, textTop } = disclaimerParts(this.brief, this.typesetter, this.col);
    this.page.body[0]!.push(...body);
    this.page.bottom.push(...bottom);
    // The page's fill counts to the top of the disclaimer's text, as it always has
    // (run/ reports the fill of body pages only).
    this.page.reached[0] = Math.max(this.page.reached[0] ?? 0, textTop);
  }
}

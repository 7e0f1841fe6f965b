// Distribute: measured blocks placed down the columns, page after page. Column
// and page breaks, headings kept with what follows, widow and orphan control,
// figures and text boxes that wait for the next column, tables that continue in
// the next one, tables and text boxes across both columns at the top of a page,
// the author block that closes the body, and how far the body runs past its page budget.
import type { ComposedBrief } from '../compose/compose.ts';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import type { Theme } from '../core/theme.ts';
import type { SetLine } from '../core/typeset.ts';
import { bodyColumnHeight, contentWidth, pageColumns } from './frame.ts';
import { disclaimerParts, pageFurniture } from './furniture.ts';
import type { ColumnBox, FlowedLayout, PageLayout, PlacedItem, TextRole, WidowReset } from './layout.ts';
import {
  linesHere,
  type MeasuredAuthors,
  type MeasuredBlock,
  type MeasuredBrief,
  type MeasuredBullets,
  type MeasuredFigure,
  type MeasuredHeading,
  type MeasuredParagraph,
  type MeasuredTable,
  type MeasuredTextbox,
} from './measure.ts';
import { placeTablePart, rowsForPart } from './table.ts';
import { atomsForPart, placeBoxPart } from './textbox.ts';
import type { Typesetter } from './typesetter.ts';

/** Points of rounding a column may be over by and still hold a line, or still count as at its top. */
const TOLERANCE = 0.01;

/** A list item's place in its list, and the bullet hung in the indent of its first line. */
interface ListItem {
  readonly index: number;
  readonly indent: number;
  readonly label: SetLine | undefined;
}

/** What waits for the top of the next column: a figure, or a text box that fits a column whole. */
type Float = MeasuredFigure | MeasuredTextbox;

/** A table or text box across both columns, waiting for the top of a page; `from` is the row or line it continues at. */
interface Span {
  readonly block: MeasuredTable | MeasuredTextbox;
  /** Headings that introduce the block and go above its first part, kept with it. */
  readonly headings: readonly MeasuredHeading[];
  from: number;
  part: number;
}

interface MutablePage {
  number: number;
  kind: PageLayout['kind'];
  columns: ColumnBox[];
  /** Where the columns started before a table or text box across both took their top. */
  frameTop: number;
  top: PlacedItem[];
  /** Tables and text boxes across both columns, in reading order before the columns. */
  span: PlacedItem[];
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
    items: [...page.top, ...page.span, ...page.body.flat(), ...page.bottom],
    fill: page.columns.map((c, i) => Math.min(1, Math.max(0, ((page.reached[i] ?? page.frameTop) - page.frameTop) / (c.bottom - page.frameTop)))),
  };
}

/** `budget` is the series' number of body pages, when it declares one. */
export function flowBrief(brief: ComposedBrief, measured: MeasuredBrief, typesetter: Typesetter, budget?: number): FlowedLayout {
  return new Flow(brief, typesetter).run(measured, budget);
}

class Flow {
  private readonly pages: MutablePage[] = [];
  private page!: MutablePage;
  private column = 0;
  private y = 0;
  private readonly pendingFloats: Float[] = [];
  /** Paragraphs set a line shorter or longer to avoid a widow (avoidWidow). */
  private readonly resets: WidowReset[] = [];
  private readonly pendingSpans: Span[] = [];
  /** While a table or text box continues into the next column, what waits keeps waiting: the parts stay together. */
  private holdFloats = false;
  /** A heading's own space after it replaces the gap before the block that follows. */
  private afterHeading = false;
  /** Headings waiting for the table or text box across both columns they introduce (see placeHeading). */
  private travelling: MeasuredHeading[] = [];
  private readonly pdf: Theme['pdf'];
  private blocks: readonly MeasuredBlock[] = [];
  /** The height of a column on a body page, the tallest there is. */
  private readonly fullColumn: number;

  constructor(
    private readonly brief: ComposedBrief,
    private readonly typesetter: Typesetter,
  ) {
    this.pdf = typesetter.theme.pdf;
    this.fullColumn = bodyColumnHeight(typesetter.theme);
  }

  run({ blocks, authors, warnings, errors }: MeasuredBrief, budget?: number): FlowedLayout {
    this.blocks = blocks;
    this.newPage('first');
    blocks.forEach((block, i) => this.placeBlock(block, i));
    // Figures, boxes and tables still waiting go before the author block, which closes the body.
    while (this.pendingFloats.length > 0 || this.pendingSpans.length > 0) this.nextColumn();
    this.placeAuthors(authors, blocks.length);
    const bodyPages = this.pages.length;
    const overflow = budget !== undefined && bodyPages > budget ? this.overflowBeyond(budget) : undefined;
    this.disclaimerPage();
    return { bodyPages, ...(overflow ? { overflow } : {}), pages: this.pages.map(pageLayout), warnings, errors, widowResets: this.resets };
  }

  private overflowBeyond(budget: number): NonNullable<FlowedLayout['overflow']> {
    const extra = this.pages.slice(budget);
    const firstBlock = Math.min(
      ...extra.flatMap((page) => [...page.span, ...page.body.flat()].flatMap((item) => ('block' in item && item.block >= 0 ? [item.block] : []))),
    );
    // A table or text box across both columns takes its height from each of them.
    const height = extra.reduce((sum, page) => sum + page.columns.reduce((h, _, i) => h + Math.max(0, (page.reached[i] ?? page.frameTop) - page.frameTop), 0), 0);
    return { firstBlock: Number.isFinite(firstBlock) ? firstBlock : this.brief.body.length, lines: Math.max(1, Math.ceil(height / this.pdf.body.leading)) };
  }

  // ---- columns and pages ----------------------------------------------------

  private get col(): ColumnBox {
    return this.page.columns[this.column]!;
  }

  private newPage(kind: PageLayout['kind']): void {
    const { top, bottom, bodyTop } = pageFurniture(this.brief, kind, this.typesetter);
    const columns = pageColumns(this.typesetter.theme, kind, bodyTop);
    this.page = { number: this.pages.length + 1, kind, columns, frameTop: columns[0]!.top, top, span: [], body: columns.map(() => []), bottom, reached: columns.map((c) => c.top) };
    this.pages.push(this.page);
    this.column = 0;
    this.y = columns[0]!.top;
  }

  /** A body page, with what waits to span both columns at its top; another when that leaves the columns no room for a line. */
  private bodyPage(): void {
    do {
      this.newPage('body');
      this.placePendingSpans();
    } while (this.page.span.length > 0 && this.col.bottom - this.col.top < this.pdf.body.leading);
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
      this.bodyPage();
    }
    if (this.holdFloats) return;
    this.placeWaitingFloats();
  }

  /**
   * Figures and boxes that did not fit where the text mentions them go where there is
   * room for them: the top of the next column, or (after a table or box that went on
   * into it) under that. A figure too tall for a shorter column (page 1's, or one under
   * a table across the page) waits for a full one; a box breaks across columns instead.
   */
  private placeWaitingFloats(): void {
    while (this.pendingFloats.length > 0) {
      const next = this.pendingFloats[0]!;
      const fits = this.gapHere(next.kind === 'figure' ? this.pdf.figure.spaceBefore : this.pdf.textbox.spaceBefore) + next.outerHeight <= this.remaining();
      if (!fits && !this.atColumnTop()) break;
      if (!fits && next.kind === 'figure' && next.height > this.remaining() && next.height <= this.fullColumn) break;
      this.pendingFloats.shift();
      if (next.kind === 'figure') this.placeFigureHere(next);
      else this.placeTextboxParts(next);
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

  /** The space `gap(space)` would add here. */
  private gapHere(space: number): number {
    return this.atColumnTop() || this.afterHeading ? 0 : space;
  }

  // ---- body blocks ------------------------------------------------------------

  private placeBlock(block: MeasuredBlock, index: number): void {
    if (isSpan(block)) return this.placeSpan(block);
    // Blocks were set once, at one width: that holds only while every body column has it.
    if (block.width !== this.col.width) {
      throw new BriefpressError(ErrorCode.internal, `body block ${block.index} was measured ${block.width} pt wide for a column ${this.col.width} pt wide`);
    }
    switch (block.kind) {
      case 'heading':
        return this.placeHeading(block, index);
      case 'paragraph':
        return this.placeLines(block.lines, block, 'P');
      case 'bullets':
        return this.placeBullets(block);
      case 'figure':
        return this.placeFigure(block);
      case 'table':
        return this.placeTable(block);
      case 'textbox':
        return this.placeTextbox(block);
    }
  }

  /**
   * Room the block at `index` asks of a column's foot to start there: its foot
   * need, or for a heading its height and what it in turn keeps with it. A table
   * or text box across both columns goes to the top of a page, so what follows it
   * in the columns is what keeps a heading before it company.
   */
  private keepNeed(index: number): number {
    const block = this.blocks[index];
    if (!block) return 0;
    if (isSpan(block)) return this.keepNeed(index + 1);
    return block.kind === 'heading' ? block.height + this.keepNeed(index + 1) : block.footNeed;
  }

  /**
   * A heading is kept with what follows it. When that is a table or text box across
   * both columns (after any further headings), which only goes at the top of a page,
   * the heading goes above it there, at the column's width like any heading, when:
   * - the block would go at the top of this page now (nothing is in its columns yet):
   *   set in the columns, the heading would push it to the next page;
   * - or nothing but a heading or the author block follows the block: the heading
   *   would stand alone in its column while the block went on to the next page, and
   *   the next section would come between them. The rest of this page's columns stay
   *   empty then (figures already waiting may take them), so the reading order holds.
   * Otherwise the heading stays in the columns with the text after the block, which
   * goes on around it as it does after any block across the page.
   */
  private placeHeading(heading: MeasuredHeading, index: number): void {
    if (this.travelling.length > 0) {
      this.travelling.push(heading);
      return;
    }
    const introduced = this.spanIntroducedBy(index);
    const { spaceBefore } = heading;
    const keepWithNext = this.keepNeed(index + 1);
    if (introduced && !this.companyAfter(introduced.index)) {
      this.travelling.push(heading);
      return;
    }
    // Moving on may first place waiting figures at the top of the next column: check again there.
    for (;;) {
      if (introduced && this.spanGroupFitsHere(introduced, index)) {
        this.travelling.push(heading);
        return;
      }
      if (this.atColumnTop() || spaceBefore + heading.height + keepWithNext <= this.remaining()) break;
      this.nextColumn();
    }
    this.gap(spaceBefore);
    const lines = this.typesetter.position(heading.lines, this.col.x, this.y, heading.leading, heading.style);
    this.y += heading.lines.length * heading.leading;
    this.emit({ kind: 'text', role: heading.level === 1 ? 'H2' : 'H3', block: heading.index, column: this.column, lines });
    this.y += heading.spaceAfter;
    this.afterHeading = true;
  }

  /**
   * Places a paragraph's (or a list item's) lines across columns, as many in each
   * as the widow and orphan rule allows (measure.ts's linesHere).
   */
  private placeLines(lines: readonly SetLine[], block: MeasuredParagraph | MeasuredBullets, role: TextRole, item?: ListItem): void {
    const { leading, style } = block;
    this.gap(this.pdf.body.paragraphGap);
    let rest = this.avoidWidow(lines, block, item?.index);
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

  /**
   * Where the widow and orphan rule would leave this column a line or more short
   * (the paragraph's last line alone at the next column's head, so one more goes
   * with it), the paragraph set a line shorter or longer instead, as TeX's
   * \looseness does: whole in the column, or filling it with enough left for the
   * next. The cheaper of the two that fills the column is taken, within the same
   * quality limits as any setting.
   */
  private avoidWidow(lines: readonly SetLine[], block: MeasuredParagraph | MeasuredBullets, item: number | undefined): readonly SetLine[] {
    const room = this.roomInLines(block.leading);
    const take = linesHere(lines.length, room, this.pdf.body);
    if (take === 0 || take === lines.length || take === room) return lines;
    const setting = block.kind === 'paragraph' ? block.setting : block.settings[item ?? 0];
    if (!setting) return lines;
    const fills = (candidate: readonly SetLine[]) => candidate.length <= room || linesHere(candidate.length, room, this.pdf.body) === room;
    const choices = [setting.variant(-1), setting.variant(1)].filter((v): v is NonNullable<typeof v> => v !== undefined && fills(v.lines));
    const best = choices.sort((a, b) => a.demerits - b.demerits)[0];
    if (!best) return lines;
    this.resets.push({ block: block.index, ...(item === undefined ? {} : { item }), lines: best.lines.length - lines.length, from: lines.length, set: best.lines });
    return best.lines;
  }

  /** Whole lines of `leading` the rest of this column holds. */
  private roomInLines(leading: number): number {
    return Math.floor((this.remaining() + TOLERANCE) / leading);
  }

  /** How many of a block's `count` remaining lines go in this column; 0 to move on to the next. */
  private linesForColumn(count: number, leading: number): number {
    const room = this.roomInLines(leading);
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
    if (needed <= this.remaining() && this.pendingFloats.length === 0) this.placeFigureHere(figure);
    else this.pendingFloats.push(figure);
  }

  /** Caption and subtitle, the chart at the column's width, the source line. */
  private placeFigureHere(figure: MeasuredFigure): void {
    this.gap(this.pdf.figure.spaceBefore);
    const { chartSpaceAbove, chartSpaceBelow, spaceAfter, apparatusGap } = this.pdf.figure;
    const { caption, subtitle, apparatus, chartHeight, chartWidth } = figure.parts;
    const { x, width } = this.col;
    const top = this.y;
    let y = top;
    const captionLines = [
      ...this.typesetter.position(caption.lines, x, y, caption.leading, caption.style),
      ...this.typesetter.position(subtitle.lines, x, y + caption.lines.length * caption.leading, subtitle.leading, subtitle.style),
    ];
    y += caption.lines.length * caption.leading + subtitle.lines.length * subtitle.leading + chartSpaceAbove;
    const chart = { x: x + (width - chartWidth) / 2, y, width: chartWidth, height: chartHeight };
    y += chartHeight + chartSpaceBelow;
    const apparatusLines = apparatus.map((part, i) => {
      if (i > 0) y += apparatusGap;
      const lines = this.typesetter.position(part.lines, x, y, part.leading, part.style);
      y += part.lines.length * part.leading;
      return lines;
    });
    this.y = y;
    this.emit({ kind: 'figure', block: figure.index, column: this.column, x, y: top, width, height: y - top, figure: figure.figure, caption: captionLines, apparatus: apparatusLines, chart });
    this.y += spaceAfter;
  }

  /**
   * A table in the column: where it is placed when the caption, the header and
   * its first rows fit there, else at the top of the next column; rows that do
   * not fit continue in the next column under the header row repeated.
   */
  private placeTable(table: MeasuredTable): void {
    const parts = this.placeInParts(
      table.rows.length,
      this.pdf.table,
      // At the top of a column shorter than a full one (the first page's, or under a table
      // across the page), a part that fits nothing there waits for a full one.
      (from, room, atTop) => rowsForPart(table, from, room, atTop, this.pdf.body, this.typesetter, this.col.bottom - this.col.top < this.fullColumn - TOLERANCE),
      (from, to, part) => placeTablePart(table, from, to, this.col.x, this.y, this.column, part, this.typesetter),
    );
    if (parts > 1) this.placeWaitingFloats();
  }

  /**
   * Places a block that may break (a table's rows, a text box's lines) part by part
   * down the columns: `take` says how many of its pieces from `from` fit the room,
   * `place` sets them where the flow stands. Returns the number of parts.
   */
  private placeInParts(
    pieces: number,
    spacing: { readonly spaceBefore: number; readonly spaceAfter: number },
    take: (from: number, room: number, atColumnTop: boolean) => number,
    place: (from: number, to: number, part: number) => PlacedItem & { readonly height: number },
  ): number {
    let from = 0;
    let part = 0;
    for (;;) {
      const space = part === 0 ? this.gapHere(spacing.spaceBefore) : 0;
      const count = take(from, this.remaining() - space, this.atColumnTop());
      if (count === 0) {
        this.nextColumn();
        continue;
      }
      if (part === 0) this.gap(spacing.spaceBefore);
      const placed = place(from, from + count, part);
      this.y += placed.height;
      this.emit(placed);
      from += count;
      part++;
      if (from >= pieces) break;
      this.continueInNextColumn();
    }
    this.y += spacing.spaceAfter;
    return part;
  }

  private continueInNextColumn(): void {
    this.holdFloats = true;
    this.nextColumn();
    this.holdFloats = false;
  }

  /** A text box that fits a column is kept whole, waiting for the next column if need be; a taller one starts here. */
  private placeTextbox(box: MeasuredTextbox): void {
    if (box.footNeed > 0) return this.placeTextboxParts(box);
    const needed = this.gapHere(this.pdf.textbox.spaceBefore) + box.outerHeight;
    if (needed <= this.remaining() && this.pendingFloats.length === 0) this.placeTextboxParts(box);
    else this.pendingFloats.push(box);
  }

  private placeTextboxParts(box: MeasuredTextbox): void {
    const parts = this.placeInParts(
      box.atoms.length,
      this.pdf.textbox,
      (from, room, atTop) => atomsForPart(box, from, room, atTop, this.typesetter),
      (from, to, part) => placeBoxPart(box, from, to, this.col.x, this.y, this.column, part, this.typesetter),
    );
    // A box placed from the waiting floats must not place the others from inside itself.
    if (parts > 1 && !this.holdFloats) this.placeWaitingFloats();
  }

  /**
   * A table or text box across both columns goes to the top of this page when
   * nothing is in its columns yet, else to the top of the next page; the column
   * text goes on around it, and the columns start below it.
   */
  private placeSpan(block: MeasuredTable | MeasuredTextbox): void {
    const span: Span = { block, headings: this.travelling, from: 0, part: 0 };
    this.travelling = [];
    this.pendingSpans.push(span);
    if (this.spanMayStartHere()) this.placePendingSpans();
    // Headings above it keep their place in the reading order: nothing after them goes in this page's columns.
    if (span.headings.length > 0) while (span.part === 0) this.nextColumn();
  }

  /** A table or text box across both columns goes at the top of this page only while nothing is in its columns. */
  private spanMayStartHere(): boolean {
    return this.column === 0 && this.page.kind !== 'disclaimer' && this.page.body.every((items) => items.length === 0);
  }

  /** The table or text box across both columns the heading at `index` introduces, after any headings that follow it. */
  private spanIntroducedBy(index: number): (MeasuredTable | MeasuredTextbox) | undefined {
    let next = index + 1;
    while (this.blocks[next]?.kind === 'heading') next++;
    const block = this.blocks[next];
    return block && isSpan(block) ? block : undefined;
  }

  /** Whether column content (not a heading, not the author block) follows the block at `index` and any blocks across the page after it. */
  private companyAfter(index: number): boolean {
    let next = index + 1;
    while (this.blocks[next] && isSpan(this.blocks[next]!)) next++;
    const block = this.blocks[next];
    return block !== undefined && block.kind !== 'heading';
  }

  /** Whether the headings from `index` and the first part of `block` would go at the top of this page now. */
  private spanGroupFitsHere(block: MeasuredTable | MeasuredTextbox, index: number): boolean {
    if (!this.spanMayStartHere() || this.pendingSpans.length > 0) return false;
    const headings = this.blocks.slice(index, block.index).reduce((h, b) => h + (b.kind === 'heading' ? b.height : 0), 0);
    return this.spanTake({ block, headings: [], from: 0, part: 0 }, this.spanTop() + headings) > 0;
  }

  /** Where the next part across both columns goes: the top of the page's frame, or under the last one placed. */
  private spanTop(): number {
    return this.page.span.length > 0 ? this.page.columns[0]!.top : this.page.frameTop;
  }

  /** How many rows or lines of the span's next part fit between `top` and the foot of the page's columns. */
  private spanTake(span: Span, top: number): number {
    const { block } = span;
    const bottom = this.page.columns[0]!.bottom;
    // Alone on its page, a part takes what fits so that the brief always ends; a table
    // that fits nothing on the first page's shorter columns waits for a full page.
    const forced = this.page.span.length === 0;
    const room = bottom - top;
    return block.kind === 'table'
      ? rowsForPart(block, span.from, room, forced, this.pdf.body, this.typesetter, bottom - this.page.frameTop < this.fullColumn - TOLERANCE)
      : atomsForPart(block, span.from, room, forced, this.typesetter);
  }

  private placePendingSpans(): void {
    const x = this.typesetter.theme.pdf.margin.left;
    const width = contentWidth(this.typesetter.theme);
    while (this.pendingSpans.length > 0) {
      const span = this.pendingSpans[0]!;
      const { block } = span;
      if (block.width !== width) throw new BriefpressError(ErrorCode.internal, `body block ${block.index} was measured ${block.width} pt wide to span ${width} pt`);
      const spacing = block.kind === 'table' ? this.pdf.table : this.pdf.textbox;
      let top = this.spanTop();
      const bottom = this.page.columns[0]!.bottom;
      // The headings go only where the block's first part fits under them.
      const headingsHeight = span.headings.reduce((h, heading) => h + heading.height, 0);
      const take = this.spanTake(span, top + headingsHeight);
      if (take === 0) return;
      for (const heading of span.headings) {
        const lines = this.typesetter.position(heading.lines, x, top, heading.leading, heading.style);
        this.page.span.push({ kind: 'text', role: heading.level === 1 ? 'H2' : 'H3', block: heading.index, column: -1, lines });
        top += heading.height;
      }
      const to = span.from + take;
      const placed =
        block.kind === 'table'
          ? placeTablePart(block, span.from, to, x, top, -1, span.part, this.typesetter)
          : placeBoxPart(block, span.from, to, x, top, -1, span.part, this.typesetter);
      this.page.span.push(placed);
      const columnsTop = Math.min(bottom, top + placed.height + spacing.spaceAfter);
      this.page.columns = this.page.columns.map((c) => ({ ...c, top: columnsTop }));
      this.page.reached = this.page.reached.map((r) => Math.max(r, columnsTop));
      this.y = columnsTop;
      span.from = to;
      span.part++;
      const total = block.kind === 'table' ? block.rows.length : block.atoms.length;
      if (span.from < total) return;
      this.pendingSpans.shift();
    }
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

/** A table or text box across both columns. */
function isSpan(block: MeasuredBlock): block is (MeasuredTable | MeasuredTextbox) & { readonly span: true } {
  return (block.kind === 'table' || block.kind === 'textbox') && block.span;
}

// Stage 5a: the page layout of the PDF brief, as plain data. Composed blocks and
// font metrics in; pages of placed boxes out (page, column, x, y, lines). Drawing
// them is render-pdf's job, so every typesetting rule here is testable without a PDF.
//
// Coordinates are PDF points with the origin at the top left of the page, y down.
import type { BodyBlock, ComposedBrief, ComposedFigure } from '../compose/compose.ts';
import type { Measurer } from '../core/fonts.ts';
import type { Run } from '../core/text.ts';
import type { Theme } from '../core/theme.ts';
import { justify, setLines, type Fragment, type SetLine, type TextStyle } from '../core/typeset.ts';

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

interface MutablePage {
  number: number;
  kind: PageLayout['kind'];
  columns: ColumnBox[];
  top: PlacedItem[];
  body: PlacedItem[][];
  bottom: PlacedItem[];
  reached: number[];
}

/** `budget` is the series' number of body pages, when it declares one. */
export function layoutBrief(brief: ComposedBrief, theme: Theme, measurer: Measurer, budget?: number): Layout {
  return new Flow(brief, theme, measurer).run(budget);
}

class Flow {
  private readonly pages: MutablePage[] = [];
  private page!: MutablePage;
  private column = 0;
  private y = 0;
  private readonly pendingFigures: Array<{ figure: ComposedFigure; block: number }> = [];
  /** A heading's own space after it replaces the gap before the block that follows. */
  private afterHeading = false;
  private readonly p: Theme['pdf'];
  private readonly bodyStyle: TextStyle;

  constructor(
    private readonly brief: ComposedBrief,
    private readonly theme: Theme,
    private readonly measurer: Measurer,
  ) {
    this.p = theme.pdf;
    this.bodyStyle = { face: 'serif', size: this.p.body.size, color: theme.colors.text, linkColor: theme.colors.link };
  }

  run(budget?: number): Layout {
    this.newPage('first');
    const blocks = this.brief.body;
    blocks.forEach((block, index) => this.placeBlock(block, index, blocks[index + 1]));
    // Figures still waiting for a column go before the author block, which closes the body.
    while (this.pendingFigures.length > 0) this.nextColumn();
    this.placeAuthors(blocks.length);
    const bodyPages = this.pages.length;
    const overflow = budget !== undefined && bodyPages > budget ? this.overflowBeyond(budget) : undefined;
    this.disclaimerPage();
    return {
      bodyPages,
      ...(overflow ? { overflow } : {}),
      pages: this.pages.map((page) => ({
        number: page.number,
        kind: page.kind,
        columns: page.columns,
        items: [...page.top, ...page.body.flat(), ...page.bottom],
        fill: page.columns.map((c, i) => Math.min(1, Math.max(0, ((page.reached[i] ?? c.top) - c.top) / (c.bottom - c.top)))),
      })),
    };
  }

  private overflowBeyond(budget: number): { firstBlock: number; lines: number } {
    const extra = this.pages.slice(budget);
    const firstBlock = Math.min(
      ...extra.flatMap((page) => page.body.flat().flatMap((item) => ('block' in item && item.block >= 0 ? [item.block] : []))),
    );
    const height = extra.reduce((sum, page) => sum + page.columns.reduce((h, col, i) => h + Math.max(0, (page.reached[i] ?? col.top) - col.top), 0), 0);
    return { firstBlock: Number.isFinite(firstBlock) ? firstBlock : this.brief.body.length, lines: Math.max(1, Math.ceil(height / this.p.body.leading)) };
  }

  // ---- geometry -------------------------------------------------------------

  private get contentWidth(): number {
    return this.p.page.width - this.p.margin.left - this.p.margin.right;
  }

  private get col(): ColumnBox {
    return this.page.columns[this.column]!;
  }

  private style(face: 'serif' | 'sans', size: number, color = this.theme.colors.text): TextStyle {
    return { face, size, color, linkColor: this.theme.colors.link };
  }

  private set(runs: readonly Run[], style: TextStyle, width: number | ((line: number) => number)): SetLine[] {
    return setLines(runs, style, this.measurer, typeof width === 'number' ? () => width : width);
  }

  /** Body text: hyphenated where a line would be loose, then justified to the full width. */
  private setJustified(runs: readonly Run[], style: TextStyle, width: number): SetLine[] {
    const maxStretch = this.measurer.width(' ', { face: style.face, weight: 'regular' }, style.size) * 2.5;
    return setLines(runs, style, this.measurer, () => width, { hyphenate: true }).map((line) => justify(line, width, maxStretch, this.measurer));
  }

  private place(lines: readonly SetLine[], x: number, top: number, leading: number, style: TextStyle, align: 'left' | 'right' = 'left', width = 0): PlacedLine[] {
    const ascent = this.measurer.ascent({ face: style.face, weight: 'regular' }, style.size);
    // Centre the font's ascent within the leading so mixed sizes sit evenly.
    const baselineOffset = (leading - style.size) / 2 + ascent * 0.94;
    return lines.map((line, i) => {
      const y = top + i * leading;
      const lx = align === 'right' ? x + width - line.width : x;
      return { x: lx, y, baseline: y + baselineOffset, fragments: line.fragments };
    });
  }

  private newPage(kind: PageLayout['kind']): void {
    const { page, margin } = this.p;
    const number = this.pages.length + 1;
    const top: PlacedItem[] = [];
    const bottom: PlacedItem[] = [];
    let bodyTop: number;
    const colors = this.theme.colors;
    if (kind === 'first') {
      bodyTop = this.masthead(top);
    } else {
      bodyTop = this.runningHeader(top);
    }
    if (kind !== 'disclaimer') {
      const footerStyle = this.style('sans', this.p.footer.size, colors.muted);
      const footerTop = page.height - margin.bottom - this.p.footer.size;
      const lines = this.place(this.set([plain(this.brief.pdf.footer)], footerStyle, this.contentWidth), margin.left, footerTop, this.p.footer.size * 1.2, footerStyle);
      bottom.push({ kind: 'rule', x1: margin.left, y1: footerTop - 6, x2: page.width - margin.right, y2: footerTop - 6, color: colors.rule, width: 0.5 });
      bottom.push({ kind: 'text', role: 'Artifact', block: -1, column: -1, lines, outlined: true });
      bottom.push({ kind: 'link', x: margin.left, y: footerTop, width: lines[0]?.fragments.reduce((s, f) => s + f.width, 0) ?? 0, height: this.p.footer.size * 1.2, url: this.brief.pdf.footerUrl });
    }
    const bodyBottom = page.height - margin.bottom - this.p.footer.height;
    const colWidth = (this.contentWidth - this.p.columnGap) / 2;
    const columns: ColumnBox[] =
      kind === 'disclaimer'
        ? [{ x: margin.left, top: bodyTop, bottom: page.height - margin.bottom, width: this.contentWidth }]
        : [
            { x: margin.left, top: bodyTop, bottom: bodyBottom, width: colWidth },
            { x: margin.left + colWidth + this.p.columnGap, top: bodyTop, bottom: bodyBottom, width: colWidth },
          ];
    this.page = { number, kind, columns, top, body: columns.map(() => []), bottom, reached: columns.map((c) => c.top) };
    this.pages.push(this.page);
    this.column = 0;
    this.y = columns[0]!.top;
  }

  /** Page 1: the publisher's band, the date line, the title. Returns where the columns start. */
  private masthead(out: PlacedItem[]): number {
    const { margin } = this.p;
    const m = this.p.masthead;
    const colors = this.theme.colors;
    const x = margin.left;
    let y = margin.top;
    out.push({ kind: 'rect', x, y, width: this.contentWidth, height: m.height, color: colors.brand });
    const pad = 12;
    const wordStyle = { ...this.style('serif', m.wordmarkSize, '#FFFFFF') };
    const tagStyle = { ...this.style('serif', m.taglineSize, colors.brandLight) };
    const seriesStyle = { ...this.style('sans', m.seriesSize, '#FFFFFF') };
    const wordmark = this.place(this.set([bold(this.brief.pdf.publisherName)], wordStyle, this.contentWidth * 0.7), x + pad, y + 11, m.wordmarkSize * 1.15, wordStyle);
    out.push({ kind: 'text', role: 'Artifact', block: -1, column: -1, lines: wordmark });
    if (this.brief.pdf.publisherTagline) {
      const tagline = this.place(this.set([italic(this.brief.pdf.publisherTagline)], tagStyle, this.contentWidth * 0.7), x + pad, y + 11 + m.wordmarkSize * 1.25, m.taglineSize * 1.2, tagStyle);
      out.push({ kind: 'text', role: 'Artifact', block: -1, column: -1, lines: tagline });
    }
    const series = this.place(this.set([bold(this.brief.pdf.seriesLabel)], seriesStyle, this.contentWidth * 0.3), x, y + (m.height - m.seriesSize * 1.2) / 2, m.seriesSize * 1.2, seriesStyle, 'right', this.contentWidth - pad);
    out.push({ kind: 'text', role: 'Artifact', block: -1, column: -1, lines: series });
    y += m.height + this.p.dateLine.spaceBefore;

    const dateStyle = this.style('sans', this.p.dateLine.size, colors.muted);
    const date = this.place(this.set([plain(this.brief.pdf.dateLine)], dateStyle, this.contentWidth), x, y, this.p.dateLine.size * 1.2, dateStyle);
    out.push({ kind: 'text', role: 'P', block: -1, column: -1, lines: date });
    y += this.p.dateLine.size * 1.2 + this.p.title.spaceBefore;

    const t = this.p.title;
    const titleStyle = this.style('sans', t.size, colors.brand);
    const title = this.place(this.set([bold(this.brief.title)], titleStyle, this.contentWidth), x, y, t.leading, titleStyle);
    out.push({ kind: 'text', role: 'H1', block: -1, column: -1, lines: title });
    y += title.length * t.leading + t.spaceAfter * 0.5;
    out.push({ kind: 'rule', x1: x, y1: y, x2: x + this.contentWidth, y2: y, color: colors.accent, width: 1.2 });
    return y + t.spaceAfter * 0.5;
  }

  private runningHeader(out: PlacedItem[]): number {
    const { margin } = this.p;
    const h = this.p.runningHeader;
    const style = this.style('sans', h.size, this.theme.colors.muted);
    const lines = this.place(this.set([plain(this.brief.pdf.runningHeader)], style, this.contentWidth), margin.left, margin.top, h.size * 1.2, style);
    out.push({ kind: 'text', role: 'Artifact', block: -1, column: -1, lines, outlined: true });
    const ruleY = margin.top + h.size * 1.2 + 4;
    out.push({ kind: 'rule', x1: margin.left, y1: ruleY, x2: margin.left + this.contentWidth, y2: ruleY, color: this.theme.colors.rule, width: 0.5 });
    return margin.top + h.height;
  }

  // ---- flow -----------------------------------------------------------------

  private atColumnTop(): boolean {
    return this.y <= this.col.top + 0.01;
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
      const size = this.figureHeight(next.figure, this.col.width);
      if (size > this.remaining() && !this.atColumnTop()) break;
      this.pendingFigures.shift();
      this.placeFigureHere(next.figure, next.block);
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

  private placeBlock(block: BodyBlock, index: number, next: BodyBlock | undefined): void {
    switch (block.kind) {
      case 'heading':
        return this.placeHeading(block.text, index, next);
      case 'paragraph':
        return this.placeLines(this.setJustified(block.runs, this.bodyStyle, this.col.width), index, 'P', this.bodyStyle, this.p.body.leading);
      case 'bullets':
        return this.placeBullets(block.items, index);
      case 'figure':
        return this.placeFigure(block.figure, index);
    }
  }

  private headingStyle(): TextStyle {
    return this.style('sans', this.p.heading.size, this.theme.colors.brand);
  }

  /** Height the block after a heading needs next to it: its first two lines, or all of a shorter one. */
  private keepWithNext(next: BodyBlock | undefined): number {
    if (!next) return 0;
    const leading = this.p.body.leading;
    // As many lines as placeLines will put in this column at the least: a paragraph of three
    // cannot split two and one (widow rule), so it needs all three.
    const keep = (n: number) => (n <= 3 ? n : 2) * leading;
    if (next.kind === 'paragraph') return keep(this.setJustified(next.runs, this.bodyStyle, this.col.width).length);
    if (next.kind === 'bullets') return keep(this.setJustified(next.items[0] ?? [], this.bodyStyle, this.col.width - this.p.bullet.indent).length);
    if (next.kind === 'heading') return this.p.heading.leading;
    return 0;
  }

  private placeHeading(text: string, index: number, next: BodyBlock | undefined): void {
    const h = this.p.heading;
    const style = this.headingStyle();
    const lines = this.set([bold(text)], style, this.col.width);
    const height = lines.length * h.leading + h.spaceAfter;
    // Moving on may first place waiting figures at the top of the next column: check again there.
    while (!this.atColumnTop() && h.spaceBefore + height + this.keepWithNext(next) > this.remaining()) this.nextColumn();
    this.gap(h.spaceBefore);
    const placed = this.place(lines, this.col.x, this.y, h.leading, style);
    this.y += lines.length * h.leading;
    this.emit({ kind: 'text', role: 'H2', block: index, column: this.column, lines: placed });
    this.y += h.spaceAfter;
    this.afterHeading = true;
  }

  /**
   * Places a paragraph's lines across columns with widow and orphan control:
   * never a single line of a paragraph alone at the foot or the head of a column.
   */
  private placeLines(lines: readonly SetLine[], index: number, role: TextRole, style: TextStyle, leading: number, indent = 0, label?: SetLine, item?: number): void {
    this.gap(this.p.body.paragraphGap);
    let rest = [...lines];
    let first = true;
    while (rest.length > 0) {
      const fit = Math.floor((this.remaining() + 0.01) / leading);
      let take = Math.min(fit, rest.length);
      if (take < rest.length) {
        if (rest.length - take < 2) take = rest.length - 2; // widow: keep two lines for the next column
        if (take < 2) take = 0; // orphan: do not leave one line at the foot
      }
      if (take === 0) {
        if (this.atColumnTop()) take = Math.min(rest.length, Math.max(1, fit)); // a column can hold no more: place what fits
        else {
          this.nextColumn();
          continue;
        }
      }
      const x = this.col.x + indent;
      const placed = this.place(rest.slice(0, take), x, this.y, leading, style);
      const labelLine = first && label ? this.place([label], this.col.x, this.y, leading, style)[0] : undefined;
      this.y += take * leading;
      this.emit({ kind: 'text', role, block: index, column: this.column, lines: placed, ...(labelLine ? { label: labelLine } : {}), ...(item !== undefined ? { item } : {}) });
      rest = rest.slice(take);
      first = false;
      if (rest.length > 0) this.nextColumn();
    }
  }

  private placeBullets(items: ReadonlyArray<readonly Run[]>, index: number): void {
    const indent = this.p.bullet.indent;
    const [label] = this.set([plain(this.p.bullet.glyph)], this.bodyStyle, indent);
    items.forEach((item, i) => {
      const lines = this.setJustified(item, this.bodyStyle, this.col.width - indent);
      if (i > 0) this.y -= this.p.body.paragraphGap / 2; // items sit closer than paragraphs
      this.placeLines(lines, index, 'LI', this.bodyStyle, this.p.body.leading, indent, label, i);
    });
  }

  private figureParts(figure: ComposedFigure, width: number) {
    const f = this.p.figure;
    const colors = this.theme.colors;
    const captionStyle = this.style('sans', f.captionSize, colors.brand);
    const subtitleStyle = this.style('sans', f.subtitleSize, colors.muted);
    const sourceStyle = this.style('sans', f.sourceSize, colors.muted);
    const caption = this.set([bold(figure.caption)], captionStyle, width);
    const subtitle = figure.subtitle ? this.set([plain(figure.subtitle)], subtitleStyle, width) : [];
    const source = this.set([plain(figure.source)], sourceStyle, width);
    const captionLeading = f.captionSize * 1.25;
    const subtitleLeading = f.subtitleSize * 1.25;
    const sourceLeading = f.sourceSize * 1.25;
    const chartHeight = (figure.chart.heightPt / figure.chart.widthPt) * width;
    const height = caption.length * captionLeading + subtitle.length * subtitleLeading + 4 + chartHeight + 4 + source.length * sourceLeading;
    return { caption, subtitle, source, captionStyle, subtitleStyle, sourceStyle, captionLeading, subtitleLeading, sourceLeading, chartHeight, height };
  }

  private figureHeight(figure: ComposedFigure, width: number): number {
    return this.figureParts(figure, width).height + this.p.figure.spaceAfter;
  }

  private placeFigure(figure: ComposedFigure, index: number): void {
    const needed = (this.atColumnTop() ? 0 : this.p.figure.spaceBefore) + this.figureHeight(figure, this.col.width);
    if (needed <= this.remaining() && this.pendingFigures.length === 0) this.placeFigureHere(figure, index);
    else this.pendingFigures.push({ figure, block: index });
  }

  private placeFigureHere(figure: ComposedFigure, index: number): void {
    this.gap(this.p.figure.spaceBefore);
    const width = this.col.width;
    const parts = this.figureParts(figure, width);
    const x = this.col.x;
    const top = this.y;
    let y = top;
    const caption = [
      ...this.place(parts.caption, x, y, parts.captionLeading, parts.captionStyle),
      ...this.place(parts.subtitle, x, y + parts.caption.length * parts.captionLeading, parts.subtitleLeading, parts.subtitleStyle),
    ];
    y += parts.caption.length * parts.captionLeading + parts.subtitle.length * parts.subtitleLeading + 4;
    const chart = { x, y, width, height: parts.chartHeight };
    y += parts.chartHeight + 4;
    const source = this.place(parts.source, x, y, parts.sourceLeading, parts.sourceStyle);
    y += parts.source.length * parts.sourceLeading;
    this.y = y;
    this.emit({ kind: 'figure', block: index, column: this.column, x, y: top, width, height: y - top, figure, caption, source, chart });
    this.y += this.p.figure.spaceAfter;
  }

  /** The author block and product code close the body, kept together in one column. */
  private placeAuthors(index: number): void {
    const a = this.p.authors;
    const style = this.style('serif', a.size);
    const sets = this.brief.authors.map((author) => this.set([bold(author.name), plain(author.detail)], style, this.col.width));
    const code = this.set([bold(this.brief.productCode)], style, this.col.width);
    const lineCount = sets.reduce((n, s) => n + s.length, 0) + code.length;
    const height = (this.atColumnTop() ? 0 : a.spaceBefore) + lineCount * a.leading + a.leading * 0.5;
    while (!this.atColumnTop() && height > this.remaining()) this.nextColumn();
    this.gap(a.spaceBefore);
    sets.forEach((lines, i) => {
      const placed = this.place(lines, this.col.x, this.y, a.leading, style);
      this.y += lines.length * a.leading;
      this.emit({ kind: 'text', role: 'P', block: index + i, column: this.column, lines: placed });
    });
    this.y += a.leading * 0.5;
    const placed = this.place(code, this.col.x, this.y, a.leading, style);
    this.y += code.length * a.leading;
    this.emit({ kind: 'text', role: 'P', block: index + sets.length, column: this.column, lines: placed });
  }

  private disclaimerPage(): void {
    this.newPage('disclaimer');
    const d = this.p.disclaimer;
    const colors = this.theme.colors;
    const width = this.col.width;
    const headingStyle = this.style('sans', d.headingSize, colors.text);
    const heading = this.set([bold(this.brief.pdf.disclaimerHeading)], headingStyle, width);
    this.emit({ kind: 'text', role: 'H2', block: -2, column: 0, lines: this.place(heading, this.col.x, this.y, d.headingSize * 1.3, headingStyle) });
    this.y += heading.length * d.headingSize * 1.3 + 2;
    const textStyle = this.style('serif', d.size, colors.text);
    const text = this.setJustified([plain(this.brief.pdf.disclaimer)], textStyle, width);
    this.emit({ kind: 'text', role: 'P', block: -2, column: 0, lines: this.place(text, this.col.x, this.y, d.leading, textStyle) });
    this.y += text.length * d.leading;

    const lineStyle = this.style('sans', d.size, colors.muted);
    const product = this.set([plain(this.brief.pdf.productLine)], lineStyle, width);
    const top = this.col.bottom - product.length * d.leading;
    this.page.bottom.push({ kind: 'rule', x1: this.col.x, y1: top - 6, x2: this.col.x + width, y2: top - 6, color: colors.rule, width: 0.5 });
    this.page.bottom.push({ kind: 'text', role: 'P', block: -3, column: -1, lines: this.place(product, this.col.x, top, d.leading, lineStyle) });
  }
}

const plain = (text: string): Run => ({ text, bold: false, italic: false });
const bold = (text: string): Run => ({ text, bold: true, italic: false });
const italic = (text: string): Run => ({ text, bold: false, italic: true });


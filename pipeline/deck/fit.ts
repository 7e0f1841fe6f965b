// Text measured as PowerPoint will set it, so the plan can choose sizes and split
// slides before anything is drawn: the deck face's real metrics (Arimo, Arial's
// metric twin), the text box insets, single line spacing and the space after each
// paragraph, all from the theme's `deck.text`.
import type { FontBook } from '../core/fonts.ts';
import type { Theme } from '../core/theme.ts';
import { setLines } from '../core/typeset.ts';
import { POINTS_PER_INCH } from './model.ts';

/** The outer size of a text box, in inches. */
export interface Extent {
  readonly w: number;
  readonly h: number;
}

/** Font sizes in points: text starts at `size` and may shrink to `minSize`. */
export interface SizeRange {
  readonly size: number;
  readonly minSize: number;
}

/** A paragraph is measured as the text of its runs, joined. */
export interface Measurable {
  readonly runs: ReadonlyArray<{ readonly text: string }>;
}

/** Inches a paragraph's lines are narrowed by (a bullet's hanging indent): one for all, or each paragraph's own. */
export type Indent<P> = number | ((paragraph: P) => number);

const indentOf = <P>(indent: Indent<P>, paragraph: P): number => (typeof indent === 'number' ? indent : indent(paragraph));

export class TextFitter {
  constructor(
    private readonly fonts: FontBook,
    private readonly metrics: Theme['deck']['text'],
  ) {}

  private set(text: string, size: number, widthPt: number, bold: boolean) {
    // Colors do not change a line's width.
    return setLines([{ text, bold, italic: false }], { face: 'deck', size, color: '#000000', linkColor: '#000000' }, this.fonts, () => widthPt);
  }

  /** Lines `text` takes in a column `widthPt` points wide. */
  lines(text: string, size: number, widthPt: number, bold: boolean): number {
    return this.set(text, size, widthPt, bold).length;
  }

  /** Points the widest line of `text` takes unbroken (only its own line breaks break it). */
  width(text: string, size: number, bold: boolean): number {
    return Math.max(0, ...this.set(text, size, Number.POSITIVE_INFINITY, bold).map((line) => line.width));
  }

  /** Points the widest word of `text` takes: a column narrower than this would break a word. */
  widestWord(text: string, size: number, bold: boolean): number {
    return Math.max(0, ...text.split(/\s+/).map((word) => this.width(word, size, bold)));
  }

  /** Points of text a box holds inside its insets, top to bottom. */
  private room(box: Extent): number {
    return (box.h - 2 * this.metrics.inset) * POINTS_PER_INCH;
  }

  /** Points the paragraph takes, with the space after it; `indent` (inches) narrows its lines. */
  paragraphHeight(paragraph: Measurable, size: number, box: Extent, indent: number, spaceAfter = this.metrics.paragraphSpaceAfter): number {
    const widthPt = (box.w - 2 * this.metrics.inset - indent) * POINTS_PER_INCH;
    return this.lines(paragraph.runs.map((r) => r.text).join(''), size, widthPt, false) * size * this.metrics.lineHeight + spaceAfter;
  }

  /** Points the paragraphs take in `box`, each with the space after it. */
  height<P extends Measurable>(paragraphs: readonly P[], size: number, box: Extent, indent: Indent<P>, spaceAfter = this.metrics.paragraphSpaceAfter): number {
    return paragraphs.reduce((sum, p) => sum + this.paragraphHeight(p, size, box, indentOf(indent, p), spaceAfter), 0);
  }

  fits<P extends Measurable>(paragraphs: readonly P[], size: number, box: Extent, indent: Indent<P>, spaceAfter = this.metrics.paragraphSpaceAfter): boolean {
    return this.height(paragraphs, size, box, indent, spaceAfter) <= this.room(box);
  }

  /**
   * The largest size that fits all the paragraphs in one box; if even the minimum
   * does not, the paragraphs at the minimum size over as many boxes as they need
   * (a paragraph is never split).
   */
  paginate<P extends Measurable>(paragraphs: readonly P[], box: Extent, sizes: SizeRange, indent: Indent<P>): { size: number; pages: P[][] } {
    for (let size = sizes.size; size >= sizes.minSize; size--) {
      if (this.fits(paragraphs, size, box, indent)) return { size, pages: [[...paragraphs]] };
    }
    const room = this.room(box);
    const pages: P[][] = [[]];
    let used = 0;
    for (const paragraph of paragraphs) {
      const h = this.paragraphHeight(paragraph, sizes.minSize, box, indentOf(indent, paragraph));
      if (used + h > room && pages[pages.length - 1]!.length > 0) {
        pages.push([]);
        used = 0;
      }
      pages[pages.length - 1]!.push(paragraph);
      used += h;
    }
    return { size: sizes.minSize, pages };
  }

  /** The largest size that fits one paragraph in its box; at the minimum size, the text is shortened with an ellipsis to fit. */
  shrinkToFit(text: string, box: Extent, sizes: SizeRange, bold = true): { size: number; text: string } {
    const room = this.room(box);
    const widthPt = (box.w - 2 * this.metrics.inset) * POINTS_PER_INCH;
    const fits = (t: string, size: number) => this.lines(t, size, widthPt, bold) * size * this.metrics.lineHeight <= room;
    for (let size = sizes.size; size >= sizes.minSize; size--) if (fits(text, size)) return { size, text };
    let cut = text;
    // A tenth at a time: a long title is shortened in a few measurements.
    while (cut.length > 1 && !fits(cut + '…', sizes.minSize)) cut = cut.slice(0, Math.floor(cut.length * 0.9)).trimEnd();
    return { size: sizes.minSize, text: cut + '…' };
  }
}

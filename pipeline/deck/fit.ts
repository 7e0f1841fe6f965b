// Text measured as PowerPoint will set it, so the plan can choose sizes and split
// slides before anything is drawn: the deck face's real metrics (Arimo, Arial's
// metric twin), the text box insets, single line spacing and the space after each
// paragraph, all from the theme's `deck.text`. Every width is measured as if the
// face were as wide as the widest likely substitute (`substituteWidth`: LibreOffice
// without Arial or a twin sets DejaVu Sans), so text that fits here fits wherever
// the deck is opened. A paragraph taller than a box is cut between sentences (or,
// for a sentence taller than a box, between words) to continue in the next.
import LineBreaker from 'linebreak';
import type { FontBook } from '../core/fonts.ts';
import type { Theme } from '../core/theme.ts';
import { setLines } from '../core/typeset.ts';
import { POINTS_PER_INCH } from './model.ts';
import { sentences } from './sentences.ts';

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

/** A paragraph is measured as its runs, bold and italic as they are set. */
export interface Measurable {
  readonly runs: ReadonlyArray<{ readonly text: string; readonly bold?: boolean; readonly italic?: boolean }>;
}

/** Inches a paragraph's lines are narrowed by (a bullet's hanging indent): one for all, or each paragraph's own. */
export type Indent<P> = number | ((paragraph: P) => number);

const indentOf = <P>(indent: Indent<P>, paragraph: P): number => (typeof indent === 'number' ? indent : indent(paragraph));

export class TextFitter {
  constructor(
    private readonly fonts: FontBook,
    private readonly metrics: Theme['deck']['text'],
    /** The language of the text: where its sentences end. */
    private readonly language = 'en-US',
  ) {}

  /** How much wider than Arimo the widest substitute sets these runs. */
  private allowance(runs: Measurable['runs']): number {
    const { regular, bold } = this.metrics.substituteWidth;
    return runs.some((r) => r.bold && r.text.trim() !== '') ? bold : regular;
  }

  private setRuns(runs: Measurable['runs'], size: number, widthPt: number) {
    const styled = runs.map((r) => ({ text: r.text, bold: r.bold ?? false, italic: r.italic ?? false }));
    // Colors do not change a line's width; the substitute's wider letters narrow the column instead.
    const room = widthPt / this.allowance(runs);
    return setLines(styled, { face: 'deck', size, color: '#000000', linkColor: '#000000' }, this.fonts, () => room);
  }

  private set(text: string, size: number, widthPt: number, bold: boolean) {
    return this.setRuns([{ text, bold }], size, widthPt);
  }

  /** Lines `text` takes in a column `widthPt` points wide. */
  lines(text: string, size: number, widthPt: number, bold: boolean): number {
    return this.set(text, size, widthPt, bold).length;
  }

  /** Lines the runs take in a column `widthPt` points wide. */
  runLines(runs: Measurable['runs'], size: number, widthPt: number): number {
    return this.setRuns(runs, size, widthPt).length;
  }

  /** Points the widest line of `text` takes unbroken (only its own line breaks break it), in the widest substitute. */
  width(text: string, size: number, bold: boolean): number {
    const allowance = this.allowance([{ text, bold }]);
    return Math.max(0, ...this.set(text, size, Number.POSITIVE_INFINITY, bold).map((line) => line.width * allowance));
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
    return this.runLines(paragraph.runs, size, widthPt) * size * this.metrics.lineHeight + spaceAfter;
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
   * does not, the paragraphs at the minimum size over as many boxes as they need.
   * A paragraph that fits a box is never split: it moves whole to the next box. One
   * taller than a box is split (`cut`) and continues in the next, so no box holds
   * more than it has room for.
   */
  paginate<P extends Measurable>(paragraphs: readonly P[], box: Extent, sizes: SizeRange, indent: Indent<P>): { size: number; pages: P[][] } {
    for (let size = sizes.size; size >= sizes.minSize; size--) {
      if (this.fits(paragraphs, size, box, indent)) return { size, pages: [[...paragraphs]] };
    }
    const room = this.room(box);
    const height = (paragraph: P) => this.paragraphHeight(paragraph, sizes.minSize, box, indentOf(indent, paragraph));
    const pages: P[][] = [[]];
    let used = 0;
    const page = () => pages[pages.length - 1]!;
    const place = (paragraph: P, h: number) => {
      page().push(paragraph);
      used += h;
    };
    const turn = () => {
      pages.push([]);
      used = 0;
    };
    for (const paragraph of paragraphs) {
      let rest = paragraph;
      let h = height(rest);
      if (h <= room) {
        if (used + h > room && page().length > 0) turn();
        place(rest, h);
        continue;
      }
      for (;;) {
        if (used + h <= room) {
          place(rest, h);
          break;
        }
        const cut = this.cut(rest, height, room - used, room);
        if (cut) {
          place(cut.head, height(cut.head));
          turn();
          rest = cut.tail;
          h = height(rest);
        } else if (page().length > 0) {
          turn();
        } else {
          // Not one word of it fits an empty box (a single word taller than a slide): it is placed as it is.
          place(rest, h);
          break;
        }
      }
    }
    return { size: sizes.minSize, pages };
  }

  /**
   * The longest head of a paragraph that fits `roomLeft` points, and the rest of it:
   * cut between sentences, or, when its first sentence alone is taller than a whole
   * box (`room`), between words (where a line may break); undefined when not even
   * one sentence (or word) fits.
   */
  private cut<P extends Measurable>(paragraph: P, height: (p: P) => number, roomLeft: number, room: number): { head: P; tail: P } | undefined {
    const text = textOf(paragraph);
    const sentences = sentenceStarts(text, this.language);
    const firstEnd = sentences[0] ?? text.length;
    const starts = height(piece(paragraph, 0, firstEnd)) > room ? breakOpportunities(text).filter((at) => at <= firstEnd) : sentences;
    // Heights only grow with the head, so the longest head that fits is found by bisection.
    let fitting = -1;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (height(piece(paragraph, 0, starts[mid]!)) <= roomLeft) {
        fitting = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (fitting < 0) return undefined;
    const at = starts[fitting]!;
    return { head: piece(paragraph, 0, at), tail: piece(paragraph, at, text.length) };
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

const textOf = (paragraph: Measurable): string => paragraph.runs.map((r) => r.text).join('');

/** Where each sentence after the first begins (after the spaces between them). */
function sentenceStarts(text: string, language: string): number[] {
  return sentences(text, language)
    .slice(1)
    .map((s) => s.start);
}

/** Where a line may break inside the text (Unicode line breaking: after spaces, hyphens, between CJK characters), its end left out. */
function breakOpportunities(text: string): number[] {
  const breaker = new LineBreaker(text);
  const positions: number[] = [];
  for (let next = breaker.nextBreak(); next; next = breaker.nextBreak()) if (next.position > 0 && next.position < text.length) positions.push(next.position);
  return positions;
}

/**
 * The paragraph with only the text from `from` to `to` of its runs joined (each run
 * keeps its link, color and mark), without the spaces at either end: a piece of it
 * shown on one slide. It keeps everything else, a bullet included.
 */
function piece<P extends Measurable>(paragraph: P, from: number, to: number): P {
  type R = P['runs'][number];
  const runs: R[] = [];
  let start = 0;
  for (const run of paragraph.runs) {
    const end = start + run.text.length;
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a < b) runs.push(a === start && b === end ? run : { ...run, text: run.text.slice(a - start, b - start) });
    start = end;
  }
  // Runs of nothing but spaces at either end go; the first and last lose their outer spaces.
  while (runs.length > 0 && runs[0]!.text.trim() === '') runs.shift();
  while (runs.length > 0 && runs[runs.length - 1]!.text.trim() === '') runs.pop();
  const first = runs[0];
  if (first !== undefined) runs[0] = { ...first, text: first.text.trimStart() };
  const last = runs[runs.length - 1];
  if (last !== undefined) runs[runs.length - 1] = { ...last, text: last.text.trimEnd() };
  return { ...paragraph, runs };
}

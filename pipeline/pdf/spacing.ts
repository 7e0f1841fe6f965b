// How well justified text is set, measured as a reader would judge it: how wide
// the word spaces are against the font's own space, lines that stop short of the
// right margin inside a paragraph, and hyphenation. The typesetting report prints
// these figures, and the tests hold every sample to the targets.
import type { Measurer } from '../core/fonts.ts';
import type { JustifiedBlock } from './layout.ts';

export interface SpacingFigures {
  /** Lines of the justified paragraphs and list items. */
  readonly lines: number;
  /** Lines set flush to both margins: every line but each paragraph's last. */
  readonly justified: number;
  /** Lines ending in a hyphen (a broken word, or a break after a hyphen of the text). */
  readonly hyphenated: number;
  /** The widest word space of any line, and the mean over the justified lines, × the font's normal space. */
  readonly maxSpace: number;
  readonly meanSpace: number;
  /** The narrowest word space of any line, × normal. */
  readonly minSpace: number;
  /** Justified lines whose word spaces exceed 1.5× and 2× normal. */
  readonly over15: number;
  readonly over2: number;
  /** Lines inside a paragraph (not its last) that stop short of the right margin. */
  readonly ragged: number;
  /** Words wider than the column, cut between letters (their lines are exempt from the above). */
  readonly wideWords: number;
  /** The most hyphenated lines in a row. */
  readonly maxConsecutiveHyphens: number;
  /** Hyphens leaving fewer than `minBefore` letters on their line or `minAfter` on the next. */
  readonly shortHyphenations: number;
}

/** How far short of the margin a line may stop and still count as flush: rounding, well under a hair space. */
const FLUSH = 0.05;
const LETTERS = /\p{L}/gu;

export function spacingFigures(blocks: readonly JustifiedBlock[], measurer: Measurer, minBefore = 2, minAfter = 3): SpacingFigures {
  let lines = 0;
  let justified = 0;
  let hyphenated = 0;
  let maxSpace = 0;
  let minSpace = Infinity;
  let spaceSum = 0;
  let spaced = 0;
  let over15 = 0;
  let over2 = 0;
  let ragged = 0;
  let wideWords = 0;
  let maxConsecutiveHyphens = 0;
  let shortHyphenations = 0;
  for (const block of blocks) {
    wideWords += block.wideWords;
    let run = 0;
    block.lines.forEach((line, i) => {
      lines++;
      const text = line.fragments.map((f) => f.text).join('');
      const last = line.last || i === block.lines.length - 1;
      // The widest space of the line, × the normal space of the font it is set in.
      let ratio: number | undefined;
      for (const fragment of line.fragments) {
        if (!/ /.test(fragment.text.trim()) && !fragment.wordSpacing && !fragment.letterSpacing) continue;
        const space = measurer.width(' ', fragment.font, fragment.size);
        // A word space as the page shows it: widened by the word spacing, then scaled with the glyphs.
        const r = ((space + (fragment.wordSpacing ?? 0) + (fragment.letterSpacing ?? 0)) * (fragment.scale ?? 1)) / space;
        ratio = ratio === undefined ? r : Math.max(ratio, r);
      }
      if (ratio !== undefined) {
        maxSpace = Math.max(maxSpace, ratio);
        minSpace = Math.min(minSpace, ratio);
        if (!last) {
          spaceSum += ratio;
          spaced++;
          if (ratio > 1.5 + 1e-6) over15++;
          if (ratio > 2 + 1e-6) over2++;
        }
      }
      if (!last) {
        if (line.width >= block.width - FLUSH) justified++;
        else if (/ /.test(text.trim())) ragged++;
      }
      if (!last && /[-\u2010]$/u.test(text)) {
        hyphenated++;
        run++;
        maxConsecutiveHyphens = Math.max(maxConsecutiveHyphens, run);
        const before = (/(\S*)[-\u2010]$/u.exec(text)?.[1] ?? '').match(LETTERS)?.length ?? 0;
        const next = block.lines[i + 1];
        const after = next ? ((/^\S*/u.exec(next.fragments.map((f) => f.text).join('').trimStart())?.[0] ?? '').match(LETTERS)?.length ?? 0) : 0;
        // A break after a hyphen that follows a non-letter ("U.S.-Japan") breaks no word. A compound
        // ("e-commerce") broken at its own hyphen is counted like a hyphenation: the text cannot tell them apart.
        const explicit = /[^\p{L}][-\u2010]$/u.test(text);
        if (!explicit && (before < minBefore || after < minAfter)) shortHyphenations++;
      } else run = 0;
    });
  }
  return {
    lines,
    justified,
    hyphenated,
    maxSpace: round(maxSpace),
    meanSpace: round(spaced > 0 ? spaceSum / spaced : 1),
    minSpace: round(Number.isFinite(minSpace) ? minSpace : 1),
    over15,
    over2,
    ragged,
    wideWords,
    maxConsecutiveHyphens,
    shortHyphenations,
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

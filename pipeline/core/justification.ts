// The model of justified text that the line breaker (totalfit.ts) and the
// justification of a set line (typeset.ts's justify) share, so that what the
// breaker judges a line to look like is what the page shows.

/** The quality rules of justified text; the theme's `pdf.justification`. */
export interface Justification {
  /** How far a word space may stretch, × the font's space, at adjustment ratio 1. */
  readonly stretch: number;
  /** How far a word space may shrink, × the font's space: never further. */
  readonly shrink: number;
  /**
   * How far the glyphs may be widened or narrowed, as a fraction of their width, at
   * ratio ±1 and never further (pdfTeX's font expansion; InDesign's glyph scaling).
   * Spaces widen with the glyphs, so a word space still measures 1 + stretch × ratio.
   */
  readonly expansion: number;
  /**
   * Letter spacing added after every glyph, in ems at ratio ±1 and never further
   * (InDesign's letter spacing; a space counts as a glyph, so it widens with the letters).
   */
  readonly tracking: number;
  /** The largest adjustment ratio the first two passes accept (TeX's tolerance, as a ratio). */
  readonly tolerance: number;
  /** The widest word space, × the font's space, the emergency pass accepts. */
  readonly emergencySpace: number;
  /** Demerits: TeX's \linepenalty, \hyphenpenalty, \doublehyphendemerits, \finalhyphendemerits, \adjdemerits. */
  readonly linePenalty: number;
  readonly hyphenPenalty: number;
  readonly doubleHyphenDemerits: number;
  readonly finalHyphenDemerits: number;
  readonly fitnessDemerits: number;
  /** Hyphenated lines in a row, at most. */
  readonly maxConsecutiveHyphens: number;
  /** Letters a hyphen leaves before and after it, at least. */
  readonly hyphenMinBefore: number;
  readonly hyphenMinAfter: number;
}

export const DEFAULT_JUSTIFICATION: Justification = {
  stretch: 0.5,
  shrink: 0.2,
  expansion: 0.02,
  tracking: 0.0075,
  tolerance: 1,
  emergencySpace: 2,
  linePenalty: 10,
  hyphenPenalty: 50,
  doubleHyphenDemerits: 10000,
  finalHyphenDemerits: 5000,
  fitnessDemerits: 10000,
  maxConsecutiveHyphens: 2,
  hyphenMinBefore: 2,
  hyphenMinAfter: 3,
};

/** A line to justify: its natural width, its stretchable word spaces and its glyphs (the spaces counted). */
export interface LineMeasures {
  readonly natural: number;
  readonly spaces: number;
  /** Every glyph drawn, each space included: letter spacing follows each but the line's last. */
  readonly glyphs: number;
  /** The font's normal space, in points. */
  readonly space: number;
  /** The font size, in points: letter spacing is in ems. */
  readonly size: number;
}

/** How a line is brought to its measure. */
export interface Adjustment {
  /** TeX's adjustment ratio: −1 fully shrunk, 1 stretched as far as the tolerance; ±Infinity when nothing can stretch or shrink. */
  readonly ratio: number;
  /** The glyphs' horizontal scale, 1 ± expansion at most. */
  readonly scale: number;
  /** Points added after every glyph and space, before scaling. */
  readonly letterSpacing: number;
  /** Points added to each word space, before scaling (negative: taken away). */
  readonly wordSpacing: number;
  /** A word space as set, × the font's space. */
  readonly spaceFactor: number;
}

/**
 * The one model of justification the breaker and `justify` share: the slack is
 * spread over the word spaces, the glyphs' widths and the letter spacing in
 * proportion to what each may give; the glyphs' scale and the letter spacing stop
 * at their limits (ratio ±1), and past them only the word spaces give more. The
 * line as drawn is `scale × (natural + spaces × wordSpacing + (glyphs − 1) × letterSpacing)`.
 */
export function adjustment(line: LineMeasures, width: number, rules: Justification): Adjustment {
  const out = { ratio: 0, scale: 1, letterSpacing: 0, wordSpacing: 0, spaceFactor: 1 };
  adjustInto(out, line.natural, line.spaces, line.glyphs, line.space, line.size, width, rules);
  return out;
}

/** `adjustment` written into `out`: the line breaker asks it for every candidate line, so nothing is allocated. */
export function adjustInto(out: { -readonly [K in keyof Adjustment]: number }, natural: number, spaces: number, glyphs: number, space: number, size: number, width: number, rules: Justification): void {
  const gaps = Math.max(0, glyphs - 1);
  const slack = width - natural;
  if (Math.abs(slack) < 1e-9) {
    out.ratio = 0;
    out.scale = 1;
    out.letterSpacing = 0;
    out.wordSpacing = 0;
    out.spaceFactor = 1;
    return;
  }
  const boxes = Math.max(0, natural - spaces * space);
  // The spaces widen with the glyphs (scaled, and letter-spaced as glyphs are): counting only the letters' share
  // here, a word space at ratio r measures 1 + stretch × r (1 − shrink × |r|) of its width, to within a hair.
  const glyphsGive = boxes * rules.expansion + Math.max(0, gaps - spaces) * rules.tracking * size;
  const give = (slack > 0 ? spaces * space * rules.stretch : spaces * space * rules.shrink) + glyphsGive;
  const ratio = give > 0 ? slack / give : slack > 0 ? Infinity : -Infinity;
  const capped = Math.max(-1, Math.min(1, ratio));
  out.scale = 1 + rules.expansion * capped;
  out.letterSpacing = rules.tracking * size * capped;
  if (spaces === 0) {
    // Only the glyphs can give: a line of one word fits only within their limits.
    const fits = Math.abs(out.scale * (natural + gaps * out.letterSpacing) - width) < 0.01;
    out.ratio = fits ? ratio : slack > 0 ? Infinity : -Infinity;
    out.wordSpacing = 0;
    out.spaceFactor = 1;
    return;
  }
  out.ratio = ratio;
  out.wordSpacing = (width / out.scale - natural - gaps * out.letterSpacing) / spaces;
  out.spaceFactor = (out.scale * (space + out.wordSpacing + out.letterSpacing)) / space;
}

// Line breaking: styled runs → lines of measured fragments that fit a width.
// Break opportunities come from the Unicode line breaking algorithm (UAX #14,
// via the `linebreak` package pdfkit itself uses), so lines also break after
// hyphens and dashes, and between CJK characters.
import LineBreaker from 'linebreak';
import { fontName, hasRtl, type FontKey, type Measurer } from './fonts.ts';
import { hyphenationPoints } from './hyphenate.ts';
import { adjustment, type Justification } from './justification.ts';
import type { Run } from './text.ts';

export interface TextStyle {
  readonly face: FontKey['face'];
  readonly size: number;
  readonly color: string;
  readonly linkColor: string;
  /** How superscript runs (footnote marks) are set; DEFAULT_SUPERSCRIPT when absent. */
  readonly superscript?: SuperscriptStyle;
}

/** A superscript's size and how far its baseline is raised, both × the text's size. */
export interface SuperscriptStyle {
  readonly scale: number;
  readonly rise: number;
}

/** Close to what word processors use for a superscript: about two thirds the size, raised 0.3 em (under half its own size, or poppler's text extraction breaks the line after it). */
export const DEFAULT_SUPERSCRIPT: SuperscriptStyle = { scale: 0.65, rise: 0.3 };

export interface Fragment {
  readonly text: string;
  readonly font: FontKey;
  readonly size: number;
  readonly color: string;
  readonly href?: string;
  /** Offset from the line's x, in points. */
  readonly dx: number;
  readonly width: number;
  /** Extra space added to each space of a justified line, in points. */
  readonly wordSpacing?: number;
  /** A superscript: its baseline sits this many points above the line's. */
  readonly rise?: number;
  /** The glyphs' horizontal scale when justifying widened or narrowed them (PDF Tz); 1 when absent. */
  readonly scale?: number;
  /** Points added after each glyph when justifying spaced the letters (PDF Tc); 0 when absent. */
  readonly letterSpacing?: number;
}

export interface SetLine {
  readonly fragments: readonly Fragment[];
  readonly width: number;
  /** The last line of a paragraph, or one ended by a forced break: never justified. */
  readonly last: boolean;
}

export interface SetOptions {
  /** Break words at hyphenation points, by the patterns of the text's language, when a line would otherwise be loose. */
  readonly hyphenate?: { readonly language: string };
}

export interface Piece {
  text: string;
  run: Run;
  /** The run's face and weight, or the fallback font that has this text's glyphs. */
  font: FontKey;
  /** The style's size, or a superscript's smaller one: every width is measured at the size drawn. */
  size: number;
}

export interface Segment {
  pieces: Piece[];
  /** Width with its trailing spaces, as it stands inside a line. */
  full: number;
  /** Width without trailing spaces, as it stands at the end of a line. */
  trimmed: number;
  required: boolean;
  /** A part of a word cut to fit: placed on its own line even if one grapheme is still too wide. */
  cut?: boolean;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function fontFor(run: Run, style: TextStyle): FontKey {
  const weight = run.bold && run.italic ? 'boldItalic' : run.bold ? 'bold' : run.italic ? 'italic' : 'regular';
  return { face: style.face, weight };
}

/**
 * Width of a piece: its text without trailing spaces is shaped (and cached), the
 * spaces are added as space advances. A word then costs one shaping call whether it
 * stands inside a line ("word ") or ends one ("word").
 */
function textWidth(text: string, font: FontKey, size: number, measurer: Measurer): number {
  const spaces = trailingSpaceCount(text);
  const bare = spaces === 0 ? text : text.slice(0, text.length - spaces);
  return (bare ? measurer.width(bare, font, size) : 0) + (spaces > 0 ? spaces * measurer.width(' ', font, size) : 0);
}

/** Spaces (U+0020) at the end of `text`: counted, not matched by a regular expression (asked for every piece of every line tried). */
export function trailingSpaceCount(text: string): number {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return text.length - end;
}

function pieceWidth(piece: Piece, measurer: Measurer): number {
  return textWidth(piece.text, piece.font, piece.size, measurer);
}

function sizeOf(run: Run, style: TextStyle): number {
  return run.superscript ? style.size * (style.superscript ?? DEFAULT_SUPERSCRIPT).scale : style.size;
}

export function segmentsOf(runs: readonly Run[], style: TextStyle, measurer: Measurer): Segment[] {
  const text = runs.map((r) => r.text).join('');
  // Run index for every UTF-16 offset boundary.
  const starts: number[] = [];
  let offset = 0;
  for (const run of runs) {
    starts.push(offset);
    offset += run.text.length;
  }
  const source: RunSource = {
    runs,
    text,
    starts,
    fonts: runs.map((run) => fontFor(run, style)),
    sizes: runs.map((run) => sizeOf(run, style)),
    lineBreaks: /[\r\n]/.test(text),
    measurer,
    first: 0,
  };
  const segments: Segment[] = [];
  const breaker = new LineBreaker(text);
  let last = 0;
  let bk: { position: number; required: boolean } | null;
  while ((bk = breaker.nextBreak())) {
    const raw = text.slice(last, bk.position);
    const pieces = piecesBetween(source, last, bk.position);
    last = bk.position;
    if (!raw) continue;
    let full = 0;
    for (const p of pieces) full += pieceWidth(p, measurer);
    segments.push({ pieces, full, trimmed: trimmedWidth(pieces, measurer), required: bk.required });
  }
  return segments;
}

/** A paragraph's runs as segmentsOf reads them, with `first`, the first run a later segment can still reach. */
interface RunSource {
  readonly runs: readonly Run[];
  readonly text: string;
  readonly starts: readonly number[];
  readonly fonts: readonly FontKey[];
  readonly sizes: readonly number[];
  readonly lineBreaks: boolean;
  readonly measurer: Measurer;
  first: number;
}

/**
 * The pieces of the text from `from` to `to`. The segments come in order, so the runs
 * before `first` are never asked again: a paragraph of many runs (links, emphasis) is
 * not walked once a word. Not a closure of segmentsOf's, for the reason core/totalfit.ts's
 * atoms gives.
 */
function piecesBetween(source: RunSource, from: number, to: number): Piece[] {
  const { runs, starts, text } = source;
  const pieces: Piece[] = [];
  while (source.first < runs.length && starts[source.first]! + runs[source.first]!.text.length <= from) source.first++;
  for (let i = source.first; i < runs.length && starts[i]! < to; i++) {
    const run = runs[i]!;
    const a = Math.max(from, starts[i]!);
    const b = Math.min(to, starts[i]! + run.text.length);
    if (b <= a) continue;
    const size = source.sizes[i]!;
    const slice = text.slice(a, b);
    for (const part of source.measurer.split(source.lineBreaks ? slice.replace(/[\r\n]+/g, '') : slice, source.fonts[i]!)) pieces.push({ text: part.text, run, font: part.key, size });
  }
  return pieces;
}

/** `text` without trailing white space (as /\s+$/u): ASCII ends trimmed here, the rest by the expression. */
function trimEndSpace(text: string): string {
  let end = text.length;
  for (; end > 0; end--) {
    const unit = text.charCodeAt(end - 1);
    if (unit >= 0x80) return text.slice(0, end).replace(/\s+$/u, '');
    if (unit !== 0x20 && (unit < 0x09 || unit > 0x0d)) break;
  }
  return end === text.length ? text : text.slice(0, end);
}

/** The last piece with text once trailing white space is trimmed, and that text; index -1 when none has any. */
function lastWithText(pieces: readonly Piece[]): { readonly index: number; readonly text: string } {
  for (let index = pieces.length - 1; index >= 0; index--) {
    const text = trimEndSpace(pieces[index]!.text);
    if (text) return { index, text };
  }
  return { index: -1, text: '' };
}

/** The width of the pieces without trailing white space, summed in order, without copying them (every word of a paragraph asks). */
function trimmedWidth(pieces: readonly Piece[], measurer: Measurer): number {
  const last = lastWithText(pieces);
  let sum = 0;
  for (let i = 0; i < last.index; i++) sum += pieceWidth(pieces[i]!, measurer);
  if (last.index >= 0) sum += textWidth(last.text, pieces[last.index]!.font, pieces[last.index]!.size, measurer);
  return sum;
}

/** The pieces without trailing white space: those left as they are shared, the last one trimmed a copy. */
function withoutTrailingSpace(pieces: readonly Piece[]): readonly Piece[] {
  const { index, text } = lastWithText(pieces);
  if (index < 0) return [];
  const piece = pieces[index]!;
  if (text === piece.text) return index === pieces.length - 1 ? pieces : pieces.slice(0, index + 1);
  return [...pieces.slice(0, index), { ...piece, text }];
}

/** Splits a segment too wide for any line into pieces that fit, at grapheme boundaries. */
export function splitWide(segment: Segment, width: number, measurer: Measurer): Segment[] {
  const out: Segment[] = [];
  let current: Piece[] = [];
  let currentWidth = 0;
  for (const piece of withoutTrailingSpace(segment.pieces)) {
    for (const { segment: g } of graphemes.segment(piece.text)) {
      const w = measurer.width(g, piece.font, piece.size);
      if (currentWidth + w > width && current.length > 0) {
        out.push({ pieces: current, full: currentWidth, trimmed: currentWidth, required: true });
        current = [];
        currentWidth = 0;
      }
      const tail = current[current.length - 1];
      if (tail && tail.run === piece.run && tail.font === piece.font) tail.text += g;
      else current.push({ text: g, run: piece.run, font: piece.font, size: piece.size });
      currentWidth += w;
    }
  }
  if (current.length > 0) {
    // The word's trailing space stays after its last part, so the next word does not run into it.
    const lastPiece = segment.pieces[segment.pieces.length - 1];
    const trailing = lastPiece ? (/\s+$/u.exec(lastPiece.text)?.[0] ?? '') : '';
    const tail = current[current.length - 1]!;
    if (trailing) tail.text += trailing;
    out.push({ pieces: current, full: currentWidth + (segment.full - segment.trimmed), trimmed: currentWidth, required: segment.required });
  }
  return out.map((part) => ({ ...part, cut: true }));
}

/**
 * The widths a table's auto layout reads off a cell, as a browser does: `min`, its
 * widest unbreakable piece (a word, with a footnote mark glued to it), and `max`,
 * its widest line when it breaks only where the text forces a break.
 */
export function contentWidths(runs: readonly Run[], style: TextStyle, measurer: Measurer): { min: number; max: number } {
  let min = 0;
  let max = 0;
  let line = 0;
  let lastTrail = 0;
  for (const segment of segmentsOf(runs, style, measurer)) {
    min = Math.max(min, segment.trimmed);
    line += segment.full;
    lastTrail = segment.full - segment.trimmed;
    if (segment.required) {
      max = Math.max(max, line - lastTrail);
      line = 0;
      lastTrail = 0;
    }
  }
  return { min, max: Math.max(max, line - lastTrail) };
}

/**
 * Greedy line filling. `widths(i)` gives the width available to line i, so a
 * first-line or hanging indent is just a narrower or wider line.
 */
export function setLines(
  runs: readonly Run[],
  style: TextStyle,
  measurer: Measurer,
  widths: (line: number) => number,
  options: SetOptions = {},
): SetLine[] {
  const lines: SetLine[] = [];
  let current: Segment[] = [];
  let used = 0;
  let hyphenatedInARow = 0;
  const flush = (last: boolean) => {
    lines.push(buildLine(current, style, measurer, last));
    current = [];
    used = 0;
  };
  const spaceWidth = measurer.width(' ', { face: style.face, weight: 'regular' }, style.size);
  const queue = segmentsOf(runs, style, measurer);
  for (let i = 0; i < queue.length; i++) {
    const segment = queue[i]!;
    const width = widths(lines.length);
    if (current.length > 0 && used + segment.trimmed > width) {
      const split = options.hyphenate && hyphenatedInARow < 2 ? hyphenateToFit(segment, width - used, current, spaceWidth, measurer, options.hyphenate.language) : undefined;
      if (split) {
        current.push(split.head);
        queue.splice(i, 1, split.tail);
        i--;
        hyphenatedInARow++;
        flush(false);
        continue;
      }
      hyphenatedInARow = 0;
      flush(false);
    }
    // A single grapheme wider than the line (a long jamo cluster) is a part that cannot be cut further.
    if (current.length === 0 && segment.trimmed > width && !segment.cut) {
      const parts = splitWide(segment, widths(lines.length), measurer);
      queue.splice(i, 1, ...parts);
      i--;
      continue;
    }
    current.push(segment);
    used += segment.full;
    if (segment.required) flush(true);
  }
  if (current.length > 0) flush(true);
  return lines;
}

/**
 * When the line so far would have to stretch its spaces by more than half a
 * space to fill the width, breaks the next word at the last hyphenation point
 * that fits, with a hyphen at the end of the line.
 */
function hyphenateToFit(
  segment: Segment,
  room: number,
  line: readonly Segment[],
  spaceWidth: number,
  measurer: Measurer,
  language: string,
): { head: Segment; tail: Segment } | undefined {
  if (segment.pieces.length !== 1) return undefined;
  const spaces = line.reduce((n, s) => n + s.pieces.reduce((m, p) => m + (p.text.match(/ /g)?.length ?? 0), 0), 0) - 1;
  if (room / Math.max(1, spaces) < spaceWidth * 0.5) return undefined;
  const piece = segment.pieces[0]!;
  // "negotiations," breaks as "negoti-" + "ations,": punctuation stays with the tail.
  const match = /^(.*?)([.,;:!?)\]”’"']*)(\s*)$/u.exec(piece.text)!;
  const word = match[1]!;
  const trailing = match[2]! + match[3]!;
  const syllables = hyphenationPoints(word, language);
  const font = piece.font;
  const size = piece.size;
  for (let k = syllables.length - 1; k >= 1; k--) {
    const head = syllables.slice(0, k).join('') + '-';
    const tail = syllables.slice(k).join('');
    if (head.length < 3 || tail.length < 3) continue;
    const headWidth = measurer.width(head, font, size);
    if (headWidth > room) continue;
    const tailText = tail + trailing;
    return {
      head: { pieces: [{ text: head, run: piece.run, font, size }], full: headWidth, trimmed: headWidth, required: false },
      tail: {
        pieces: [{ text: tailText, run: piece.run, font, size }],
        full: measurer.width(tailText, font, size),
        trimmed: measurer.width(tailText.trimEnd(), font, size),
        required: segment.required,
      },
    };
  }
  return undefined;
}

export function buildLine(segments: ReadonlyArray<Pick<Segment, 'pieces'>>, style: TextStyle, measurer: Measurer, last: boolean): SetLine {
  const pieces = withoutTrailingSpace(segments.flatMap((s) => s.pieces));
  // Merge neighbours of one style: fewer text objects, and words stay whole for extraction.
  // A fragment's width is the sum of its words' widths, each measured (and cached)
  // once: re-shaping whole lines cost more than the rest of the layout, and pdfkit
  // shapes a word-spaced line word by word too.
  const merged: Array<Piece & { width: number; rtl: boolean }> = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    const width = textWidth(piece.text, piece.font, piece.size, measurer);
    const rtl = hasRtl(piece.text);
    // Right-to-left phrases stay pieces of their own: fontkit reverses a whole run it sees as RTL.
    if (last && fontName(last.font) === fontName(piece.font) && last.run.href === piece.run.href && last.run.superscript === piece.run.superscript && !last.rtl && !rtl) {
      last.text += piece.text;
      last.width += width;
    } else merged.push({ ...piece, width, rtl });
  }
  let dx = 0;
  const fragments: Fragment[] = merged.map((piece) => {
    const font = piece.font;
    const width = piece.width;
    const fragment: Fragment = {
      text: piece.text,
      font,
      size: piece.size,
      color: piece.run.href ? style.linkColor : style.color,
      ...(piece.run.href ? { href: piece.run.href } : {}),
      dx,
      width,
      ...(piece.run.superscript ? { rise: style.size * (style.superscript ?? DEFAULT_SUPERSCRIPT).rise } : {}),
    };
    dx += width;
    return fragment;
  });
  return { fragments, width: dx, last };
}

/** How justify spreads a line's slack: the model shared with the breaker, the font's space and size. */
export interface JustifyRules {
  readonly justification: Justification;
  readonly space: number;
  readonly size: number;
}

/**
 * Spreads a line's slack over its word spaces, and with `rules` over the glyphs'
 * widths and letter spacing too (within their limits). Leading spaces of a fragment
 * become part of its offset, since pdfkit draws a word-spaced fragment from its first
 * word. A line that would need more than `maxStretch` points per space stays as set;
 * a line set wider than `width` (total fit shrinks it) is narrowed.
 */
export function justify(line: SetLine, width: number, maxStretch: number, measurer: Measurer, rules?: JustifyRules): SetLine {
  let spaces = 0;
  for (const f of line.fragments) spaces += stretchableSpaces(f);
  const slack = width - line.width;
  // A last line stays ragged unless total fit set it shrunk (its natural width a little over the measure).
  if (Math.abs(slack) <= 0.01 || (line.last && slack > 0)) return line;
  if (!rules) {
    if (spaces === 0) return line;
    return spread(line, width, measurer, 1, slack / spaces, 0, maxStretch);
  }
  const slots: number[] = [];
  let glyphs = 0;
  for (const f of line.fragments) {
    const count = glyphSlots({ ...f, text: f.text.trimStart() }, measurer) + (f.text.length - f.text.trimStart().length);
    slots.push(count);
    glyphs += count;
  }
  const adjusted = adjustment({ natural: line.width, spaces, glyphs, space: rules.space, size: rules.size }, width, rules.justification);
  if (!Number.isFinite(adjusted.ratio)) return line;
  // Scale and letter spacing rounded (tidy numbers in the PDF); the word spacing is then solved from the rounded
  // values, so the line still ends exactly at the margin.
  const scale = Math.round(adjusted.scale * 10000) / 10000;
  const letterSpacing = Math.round(adjusted.letterSpacing * 10000) / 10000;
  const gaps = Math.max(0, glyphs - 1);
  const wordSpacing = spaces > 0 ? (width / scale - line.width - gaps * letterSpacing) / spaces : 0;
  return spread(line, width, measurer, scale, wordSpacing, letterSpacing, maxStretch, slots);
}

/** Spaces inside a right-to-left phrase do not stretch: pdfkit's word spacing would lay its words out left to right. */
function stretchableSpaces(f: Fragment): number {
  return hasRtl(f.text) ? 0 : (f.text.match(/ /g)?.length ?? 0);
}

/**
 * Glyphs drawn for a fragment once its leading spaces are taken off, each word
 * space counted as one: pdfkit draws a word-spaced fragment word by word and adds
 * the letter spacing after every glyph and in every gap.
 */
function glyphSlots(fragment: Fragment, measurer: Measurer): number {
  const text = fragment.text;
  if (hasRtl(text)) return glyphCount(text, fragment.font, measurer);
  let slots = 0;
  for (const word of text.split(' ')) slots += word ? glyphCount(word, fragment.font, measurer) : 0;
  return slots + (text.match(/ /g)?.length ?? 0);
}

function glyphCount(text: string, font: FontKey, measurer: Measurer): number {
  return measurer.glyphCount ? measurer.glyphCount(text, font) : [...text].length;
}

/** `slots`: each fragment's glyph slots, its leading spaces included (glyphSlots), when letters are spaced. */
function spread(line: SetLine, width: number, measurer: Measurer, scale: number, wordSpacing: number, letterSpacing: number, maxStretch: number, slots?: readonly number[]): SetLine {
  if (wordSpacing > maxStretch) return line;
  let spacesBefore = 0;
  let glyphsBefore = 0;
  const lastIndex = line.fragments.length - 1;
  const fragments = line.fragments.map((f, index) => {
    const adjusted = { ...(scale !== 1 ? { scale } : {}), ...(letterSpacing !== 0 ? { letterSpacing } : {}) };
    // The letter spacing after the line's last glyph is not seen: the line ends at its glyph.
    const trailing = index === lastIndex ? letterSpacing : 0;
    const fragmentSlots = slots?.[index] ?? 0;
    if (hasRtl(f.text)) {
      const dx = (f.dx + spacesBefore * wordSpacing + glyphsBefore * letterSpacing) * scale;
      glyphsBefore += fragmentSlots;
      return { ...f, dx, width: (f.width + fragmentSlots * letterSpacing - trailing) * scale, ...adjusted };
    }
    const leading = f.text.length - f.text.trimStart().length;
    const leadingWidth = leading > 0 ? measurer.width(f.text.slice(0, leading), f.font, f.size) : 0;
    const dx = (f.dx + spacesBefore * wordSpacing + glyphsBefore * letterSpacing + leadingWidth + leading * (wordSpacing + letterSpacing)) * scale;
    const text = f.text.trimStart();
    const inner = text.match(/ /g)?.length ?? 0;
    const own = fragmentSlots - leading;
    spacesBefore += leading + inner;
    glyphsBefore += fragmentSlots;
    return {
      ...f,
      text,
      dx,
      width: (f.width - leadingWidth + inner * wordSpacing + own * letterSpacing - trailing) * scale,
      ...(wordSpacing !== 0 ? { wordSpacing } : {}),
      ...adjusted,
    };
  });
  return { fragments, width, last: line.last };
}

// Line breaking: styled runs → lines of measured fragments that fit a width.
// Break opportunities come from the Unicode line breaking algorithm (UAX #14,
// via the `linebreak` package pdfkit itself uses), so lines also break after
// hyphens and dashes, and between CJK characters.
import LineBreaker from 'linebreak';
import type { FontKey, Measurer } from './fonts.ts';
import type { Run } from './inline.ts';

export interface TextStyle {
  readonly face: FontKey['face'];
  readonly size: number;
  readonly color: string;
  readonly linkColor: string;
}

export interface Fragment {
  readonly text: string;
  readonly font: FontKey;
  readonly size: number;
  readonly color: string;
  readonly href?: string;
  /** Offset from the line's x, in points. */
  readonly dx: number;
  readonly width: number;
}

export interface SetLine {
  readonly fragments: readonly Fragment[];
  readonly width: number;
}

interface Piece {
  text: string;
  run: Run;
}

interface Segment {
  pieces: Piece[];
  /** Width with its trailing spaces, as it stands inside a line. */
  full: number;
  /** Width without trailing spaces, as it stands at the end of a line. */
  trimmed: number;
  required: boolean;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function fontFor(run: Run, style: TextStyle): FontKey {
  const weight = run.bold && run.italic ? 'boldItalic' : run.bold ? 'bold' : run.italic ? 'italic' : 'regular';
  return { face: style.face, weight };
}

function pieceWidth(piece: Piece, style: TextStyle, measurer: Measurer): number {
  return measurer.width(piece.text, fontFor(piece.run, style), style.size);
}

function segmentsOf(runs: readonly Run[], style: TextStyle, measurer: Measurer): Segment[] {
  const text = runs.map((r) => r.text).join('');
  // Run index for every UTF-16 offset boundary.
  const starts: number[] = [];
  let offset = 0;
  for (const run of runs) {
    starts.push(offset);
    offset += run.text.length;
  }
  const piecesBetween = (from: number, to: number): Piece[] => {
    const pieces: Piece[] = [];
    runs.forEach((run, i) => {
      const a = Math.max(from, starts[i]!);
      const b = Math.min(to, starts[i]! + run.text.length);
      if (b > a) pieces.push({ text: text.slice(a, b), run });
    });
    return pieces;
  };
  const segments: Segment[] = [];
  const breaker = new LineBreaker(text);
  let last = 0;
  let bk: { position: number; required: boolean } | null;
  while ((bk = breaker.nextBreak())) {
    const raw = text.slice(last, bk.position);
    const pieces = piecesBetween(last, bk.position).map((p) => ({ ...p, text: p.text.replace(/[\r\n]+/g, '') }));
    last = bk.position;
    if (!raw) continue;
    const full = pieces.reduce((sum, p) => sum + pieceWidth(p, style, measurer), 0);
    const trimmedPieces = trimTrailing(pieces);
    const trimmed = trimmedPieces.reduce((sum, p) => sum + pieceWidth(p, style, measurer), 0);
    segments.push({ pieces, full, trimmed, required: bk.required });
  }
  return segments;
}

function trimTrailing(pieces: Piece[]): Piece[] {
  const out = pieces.map((p) => ({ ...p }));
  while (out.length > 0) {
    const last = out[out.length - 1]!;
    last.text = last.text.replace(/\s+$/u, '');
    if (last.text) break;
    out.pop();
  }
  return out;
}

/** Splits a segment too wide for any line into pieces that fit, at grapheme boundaries. */
function splitWide(segment: Segment, width: number, style: TextStyle, measurer: Measurer): Segment[] {
  const out: Segment[] = [];
  let current: Piece[] = [];
  let currentWidth = 0;
  for (const piece of trimTrailing(segment.pieces)) {
    for (const { segment: g } of graphemes.segment(piece.text)) {
      const w = measurer.width(g, fontFor(piece.run, style), style.size);
      if (currentWidth + w > width && current.length > 0) {
        out.push({ pieces: current, full: currentWidth, trimmed: currentWidth, required: true });
        current = [];
        currentWidth = 0;
      }
      const tail = current[current.length - 1];
      if (tail && tail.run === piece.run) tail.text += g;
      else current.push({ text: g, run: piece.run });
      currentWidth += w;
    }
  }
  if (current.length > 0) out.push({ pieces: current, full: currentWidth, trimmed: currentWidth, required: segment.required });
  return out;
}

/**
 * Greedy line filling. `widths(i)` gives the width available to line i, so a
 * first-line or hanging indent is just a narrower or wider line.
 */
export function setLines(runs: readonly Run[], style: TextStyle, measurer: Measurer, widths: (line: number) => number): SetLine[] {
  const lines: SetLine[] = [];
  let current: Segment[] = [];
  let used = 0;
  const flush = () => {
    lines.push(buildLine(current, style, measurer));
    current = [];
    used = 0;
  };
  const queue = segmentsOf(runs, style, measurer);
  for (let i = 0; i < queue.length; i++) {
    const segment = queue[i]!;
    const width = widths(lines.length);
    if (current.length > 0 && used + segment.trimmed > width) flush();
    if (current.length === 0 && segment.trimmed > width) {
      const parts = splitWide(segment, widths(lines.length), style, measurer);
      queue.splice(i, 1, ...parts);
      i--;
      continue;
    }
    current.push(segment);
    used += segment.full;
    if (segment.required) flush();
  }
  if (current.length > 0) flush();
  return lines;
}

function buildLine(segments: Segment[], style: TextStyle, measurer: Measurer): SetLine {
  const pieces = trimTrailing(segments.flatMap((s) => s.pieces));
  // Merge neighbours of one style: fewer text objects, and words stay whole for extraction.
  const merged: Piece[] = [];
  for (const piece of pieces) {
    const last = merged[merged.length - 1];
    if (last && last.run.bold === piece.run.bold && last.run.italic === piece.run.italic && last.run.href === piece.run.href) {
      last.text += piece.text;
    } else merged.push({ ...piece });
  }
  let dx = 0;
  const fragments: Fragment[] = merged.map((piece) => {
    const font = fontFor(piece.run, style);
    const width = measurer.width(piece.text, font, style.size);
    const fragment: Fragment = {
      text: piece.text,
      font,
      size: style.size,
      color: piece.run.href ? style.linkColor : style.color,
      ...(piece.run.href ? { href: piece.run.href } : {}),
      dx,
      width,
    };
    dx += width;
    return fragment;
  });
  return { fragments, width: dx };
}

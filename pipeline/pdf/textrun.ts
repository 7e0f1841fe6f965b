// One line fragment of text, written as the operators pdfkit's `doc.text(text, x, y,
// { lineBreak: false, baseline: 'alphabetic', ... })` writes, without the work text()
// does on the way for options the layout never uses.
//
// The profile of a warm worker: pdfkit's text() cost 10 ms a brief, most of it not in
// writing the text. For each fragment it measured the string twice for figures only a
// link, an underline or the next unplaced call would read (our fragments have none of
// these), copied its options three times, and joined the glyph codes word by word with
// Array.concat. What the page holds is the same: the same operators, the same glyphs
// asked of the font in the same order (so the subset and its ToUnicode map are the
// same), byte for byte (test/pdf-textrun.test.ts draws fragments both ways and compares).
import { writeContent } from './content.ts';

/** The members of pdfkit's document and embedded font this module uses; pdfkit's types do not declare them. */
interface EmbeddedFont {
  readonly id: string;
  ref(): PDFKit.PDFKitReference;
  widthOfString(text: string, size: number): number;
  /** fontkit's layout of a run (a word and the space or tab after it), positions in 1/1000 em; kept per font. */
  layoutCached(text: string): { readonly glyphs: ReadonlyArray<{ readonly id: number; readonly advanceWidth: number; readonly codePoints: number[] }>; readonly positions: readonly GlyphPosition[] };
  readonly subset: { includeGlyph(id: number): number };
  /** 1000 / units per em. */
  readonly scale: number;
  readonly widths: number[];
  readonly unicode: number[][];
}

interface GlyphPosition {
  readonly xAdvance: number;
  readonly yAdvance: number;
  readonly xOffset: number;
  readonly yOffset: number;
  readonly advanceWidth: number;
}

interface DocumentInternals {
  readonly _font: EmbeddedFont;
  readonly _fontSize: number;
  readonly page: { readonly height: number; readonly fonts: Record<string, PDFKit.PDFKitReference | undefined> };
}

export interface TextRunOptions {
  /** Extra space at each space between words, in points (justified text). */
  readonly wordSpacing?: number;
  /** Extra space after each character, in points. */
  readonly characterSpacing?: number;
  /** Horizontal scaling in percent, as PDF's Tz takes it. */
  readonly horizontalScaling?: number;
}

/** pdfkit's number format: six decimals at most, JavaScript's shortest form. */
const number = (n: number): number => {
  if (n > -1e21 && n < 1e21) return Math.round(n * 1e6) / 1e6;
  throw new Error(`unsupported number: ${n}`);
};

/** Subset glyph index → its four hex digits, per font. */
const codeTables = new WeakMap<EmbeddedFont, string[]>();

/**
 * Appends the codes and positions of `text` as pdfkit's EmbeddedFont.encode gives them,
 * adding its glyphs to the font's subset, widths and ToUnicode map as encode does: runs
 * split after each space or tab, each from pdfkit's own cache of runs.
 */
function encode(font: EmbeddedFont, text: string, codes: string[], positions: GlyphPosition[], advances: number[]): void {
  let table = codeTables.get(font);
  if (!table) codeTables.set(font, (table = []));
  let start = 0;
  while (start < text.length) {
    let end = start;
    while (end < text.length && text[end] !== ' ' && text[end] !== '\t') end++;
    // The space or tab ends the run it follows.
    if (end < text.length) end++;
    const run = font.layoutCached(text.slice(start, end));
    for (let i = 0; i < run.glyphs.length; i++) {
      const glyph = run.glyphs[i]!;
      const index = font.subset.includeGlyph(glyph.id);
      codes.push((table[index] ??= index.toString(16).padStart(4, '0').slice(-4)));
      if (font.widths[index] == null) font.widths[index] = glyph.advanceWidth * font.scale;
      if (font.unicode[index] == null) font.unicode[index] = glyph.codePoints;
      positions.push(run.positions[i]!);
      advances.push(run.positions[i]!.xAdvance);
    }
    start = end;
  }
}

/**
 * Draws `text` with the document's current font, size and fill colour, its baseline at
 * `y`, starting at `x`: what `doc.text(text, x, y, { lineBreak: false, baseline:
 * 'alphabetic', wordSpacing, characterSpacing, horizontalScaling })` draws.
 */
export function drawTextRun(doc: PDFKit.PDFDocument, text: string, x: number, y: number, options: TextRunOptions = {}): void {
  const internals = doc as unknown as DocumentInternals;
  // pdfkit collapses runs of white space when it spaces words.
  if (options.wordSpacing) text = text.replace(/\s{2,}/g, ' ');
  // pdfkit's cursor (doc.x, doc.y) is left where it was: every drawing call of ours gives its position.
  if (!text.includes('\n')) return drawPiece(doc, internals, text, x, y, options);
  // A line feed starts a piece where the text before it ended, on the same baseline, as in pdfkit.
  let pen = x;
  const characterSpacing = options.characterSpacing || 0;
  for (const piece of text.split('\n')) {
    drawPiece(doc, internals, piece, pen, y, options);
    pen += ((internals._font.widthOfString(piece, internals._fontSize) + characterSpacing * (piece.length - 1)) * (options.horizontalScaling || 100)) / 100;
  }
}

function drawPiece(doc: PDFKit.PDFDocument, internals: DocumentInternals, text: string, x: number, y: number, options: TextRunOptions): void {
  if (text.length === 0) return;
  const wordSpacing = options.wordSpacing || 0;
  const characterSpacing = options.characterSpacing || 0;
  const horizontalScaling = options.horizontalScaling || 100;
  const font = internals._font;
  const size = internals._fontSize;
  const pageHeight = internals.page.height;

  const baseline = pageHeight - y;
  if (internals.page.fonts[font.id] == null) internals.page.fonts[font.id] = font.ref();
  // One write for the whole fragment: pdfkit turns every write into bytes of its own
  // (and a typed array for the collector to track). q, the flip to PDF's y-up space and
  // Q are written here rather than by doc.save/transform/restore, which would leave
  // pdfkit's current matrix where it was anyway.
  const out: string[] = ['q', `1 0 0 -1 0 ${number(pageHeight)} cm`, 'BT', `1 0 0 1 ${number(x)} ${number(baseline)} Tm`, `/${font.id} ${number(size)} Tf`];
  if (characterSpacing) out.push(`${number(characterSpacing)} Tc`);
  if (horizontalScaling !== 100) out.push(`${horizontalScaling} Tz`);

  const codes: string[] = [];
  const positions: GlyphPosition[] = [];
  // Each glyph's advance, the word spacing added: kept apart from fontkit's positions,
  // which are shared, rather than in a copy of a position for each word.
  const advances: number[] = [];
  if (wordSpacing) {
    // Spaces are not drawn: each word's last glyph advances by the space and the extra
    // spacing. Worked out in pdfkit's steps, so that the last bit is the same too: its
    // doc.widthOfString(' ') scales by 100 / 100, and the sum is taken before the scale to 1/1000 em.
    let spacing = wordSpacing;
    spacing += ((font.widthOfString(' ', size) + 0) * 100) / 100 + characterSpacing;
    spacing *= 1000 / size;
    for (const word of text.trim().split(/\s+/)) {
      encode(font, word, codes, positions, advances);
      // As pdfkit: the last glyph so far, even when this word added none.
      const last = advances.length - 1;
      if (last >= 0) advances[last] = advances[last]! + spacing;
    }
  } else {
    encode(font, text, codes, positions, advances);
  }

  // pdfkit's segmentation: a TJ string runs until a glyph whose advance differs from its
  // width (a kern, or the word spacing), which ends it with the difference; a glyph
  // with an offset is placed on its own with a text matrix.
  const scale = size / 1000;
  const commands: string[] = [];
  let last = 0;
  let hadOffset = false;
  const addSegment = (end: number) => {
    if (last < end) commands.push(`<${codes.slice(last, end).join('')}> ${number(-(advances[end - 1]! - positions[end - 1]!.advanceWidth))}`);
    last = end;
  };
  const flush = (end: number) => {
    addSegment(end);
    if (commands.length > 0) {
      out.push(`[${commands.join(' ')}] TJ`);
      commands.length = 0;
    }
  };
  let i = 0;
  let pen = x;
  for (; i < positions.length; i++) {
    const at = positions[i]!;
    if (at.xOffset || at.yOffset) {
      flush(i);
      out.push(`1 0 0 1 ${number(pen + at.xOffset * scale)} ${number(baseline + at.yOffset * scale)} Tm`);
      flush(i + 1);
      hadOffset = true;
    } else {
      if (hadOffset) {
        out.push(`1 0 0 1 ${number(pen)} ${number(baseline)} Tm`);
        hadOffset = false;
      }
      if (advances[i]! - at.advanceWidth !== 0) addSegment(i + 1);
    }
    pen += advances[i]! * scale;
  }
  flush(i);
  out.push('ET', 'Q');
  writeContent(doc, out.join('\n'));
}

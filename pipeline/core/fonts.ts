// Font metrics for layout, read with fontkit from the same files pdfkit embeds, so
// that what the layout measures is what the PDF draws. Each face has a fallback
// chain (the theme's CJK fonts): text is split into runs by which font has the glyphs.
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import { FACES, WEIGHTS, type FaceName, type Theme, type Weight } from './theme.ts';

export interface FontKey {
  readonly face: FaceName;
  readonly weight: Weight;
  /** Index into the theme's fallback fonts; absent for the face's own font. */
  readonly fallback?: number;
}

const isBold = (weight: Weight) => weight === 'bold' || weight === 'boldItalic';

export const fontName = (key: FontKey): string =>
  key.fallback === undefined ? `${key.face}-${key.weight}` : `fallback${key.fallback}-${isBold(key.weight) ? 'bold' : 'regular'}`;

/** The measuring half of the layout's font interface; tests may pass a fake. */
export interface Measurer {
  /** Advance width of `text` in points at `size`, in exactly the font `key` names. */
  width(text: string, key: FontKey, size: number): number;
  /** Distance from the top of the line box to the baseline, in points at `size`. */
  ascent(key: FontKey, size: number): number;
  /** `text` cut into runs, each in the first font of `key`'s chain that has all its glyphs. */
  split(text: string, key: FontKey): Array<{ text: string; key: FontKey }>;
  /** First code point in `text` that no font of `key`'s chain can draw, if any. */
  missingGlyph(text: string, key: FontKey): number | undefined;
  /** Glyphs the font draws `text` with (ligatures make fewer than its characters); code points when absent. */
  glyphCount?(text: string, key: FontKey): number;
  /**
   * The width of each start of `text` (index i: its first i UTF-16 units) as set
   * within the whole word, kerning included; undefined for text it does not keep
   * (spaces inside, or right-to-left). Where hyphenation may cut a word.
   */
  prefixWidths?(text: string, key: FontKey, size: number): readonly number[] | undefined;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** The longest word whose starts are kept (see FontBook.prefixWidths). */
const MAX_PREFIXED = 48;

/** The advance at each UTF-16 offset of a shaped word; a ligature's advance is shared evenly among the characters it joins. */
function prefixAdvances(text: string, run: fontkit.GlyphRun, unitsPerEm: number): Float64Array {
  const out = new Float64Array(text.length + 1);
  let offset = 0;
  let advance = 0;
  run.glyphs.forEach((glyph, i) => {
    const units = Math.max(1, glyph.codePoints.reduce((n, cp) => n + (cp > 0xffff ? 2 : 1), 0));
    const step = (run.positions[i]!.xAdvance * 1000) / unitsPerEm / units;
    for (let u = 0; u < units && offset < text.length; u++) {
      advance += step;
      out[++offset] = advance;
    }
  });
  for (let o = offset + 1; o <= text.length; o++) out[o] = advance;
  return out;
}

const RTL = '\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC';
/** Text with right-to-left letters (Hebrew, Arabic and their neighbours). */
export const hasRtl = (text: string): boolean => new RegExp(`[${RTL}]`, 'u').test(text);
/**
 * A right-to-left phrase: RTL letters, their marks, and spaces between them. Cut
 * out as its own run, fontkit lays it out right to left as a whole, while the
 * parentheses and spaces around it stay in the surrounding left-to-right text.
 */
const RTL_PHRASE = new RegExp(`([${RTL}](?:[${RTL}\\p{M}]|[ \u00A0](?=[${RTL}]))*)`, 'u');

/** Zero-width format characters (joiners, direction marks) need no glyph of their own. */
function needsNoGlyph(cp: number): boolean {
  return cp <= 0x20 || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff || cp === 0xa0;
}

export class FontBook implements Measurer {
  private readonly fonts = new Map<string, fontkit.Font>();
  private readonly widths = new Map<string, number>();
  private readonly glyphCounts = new Map<string, number>();
  /** Per word: the advance at each UTF-16 offset, in thousandths of an em, kept from the word's own shaping. */
  private readonly prefixes = new Map<string, Float64Array>();
  private readonly coverage = new Map<string, Map<number, boolean>>();
  private readonly splits = new Map<string, Array<{ text: string; key: FontKey }>>();
  private readonly chains = new Map<string, FontKey[]>();
  private readonly fallbackCount: number;
  /** Registered font name → file, for pdfkit. Files open lazily: a fallback font loads only when a text needs it. */
  readonly files: ReadonlyMap<string, string>;

  constructor(theme: Theme) {
    const files = new Map<string, string>();
    for (const face of FACES) {
      for (const weight of WEIGHTS) files.set(fontName({ face, weight }), theme.fontFiles[face][weight]);
    }
    theme.fontFiles.fallback.forEach((f, i) => {
      files.set(fontName({ face: 'serif', weight: 'regular', fallback: i }), f.regular);
      files.set(fontName({ face: 'serif', weight: 'bold', fallback: i }), f.bold);
    });
    this.files = files;
    this.fallbackCount = theme.fontFiles.fallback.length;
  }

  private font(key: FontKey): fontkit.Font {
    return this.byName(fontName(key));
  }

  /**
   * The parsed font, shared with pdfkit (which accepts a fontkit font): its tables
   * are decoded once per process, not once for measuring and again for drawing.
   */
  byName(name: string): fontkit.Font {
    let font = this.fonts.get(name);
    if (!font) {
      font = fontkit.create(fs.readFileSync(this.files.get(name)!)) as fontkit.Font;
      this.fonts.set(name, font);
    }
    return font;
  }

  width(text: string, key: FontKey, size: number): number {
    const cacheKey = `${fontName(key)}\u0000${text}`;
    let units = this.widths.get(cacheKey);
    if (units === undefined) {
      const font = this.font(key);
      // pdfkit measures with fontkit's default features too (kerning, ligatures).
      const run = font.layout(text);
      units = (run.advanceWidth * 1000) / font.unitsPerEm;
      if (this.widths.size > 200_000) {
        this.widths.clear();
        this.glyphCounts.clear();
        this.prefixes.clear();
      }
      // A word's starts, for hyphenation to measure its parts without shaping each.
      if (text.length <= MAX_PREFIXED && !/\s/.test(text) && !hasRtl(text)) this.prefixes.set(cacheKey, prefixAdvances(text, run, font.unitsPerEm));
      this.widths.set(cacheKey, units);
      // Letter spacing (PDF Tc) is added after every glyph drawn, so justifying needs the count.
      this.glyphCounts.set(cacheKey, run.glyphs.length);
    }
    return (units * size) / 1000;
  }

  prefixWidths(text: string, key: FontKey, size: number): readonly number[] | undefined {
    const cacheKey = `${fontName(key)}\u0000${text}`;
    if (!this.widths.has(cacheKey)) this.width(text, key, size);
    const prefix = this.prefixes.get(cacheKey);
    return prefix ? Array.from(prefix, (units) => (units * size) / 1000) : undefined;
  }

  glyphCount(text: string, key: FontKey): number {
    const cacheKey = `${fontName(key)}\u0000${text}`;
    if (!this.glyphCounts.has(cacheKey)) this.width(text, key, 1);
    return this.glyphCounts.get(cacheKey)!;
  }

  ascent(key: FontKey, size: number): number {
    const font = this.font(key);
    return (font.ascent / font.unitsPerEm) * size;
  }

  private covers(key: FontKey, cp: number): boolean {
    const name = fontName(key);
    let map = this.coverage.get(name);
    if (!map) this.coverage.set(name, (map = new Map()));
    let has = map.get(cp);
    if (has === undefined) {
      has = needsNoGlyph(cp) || this.font(key).hasGlyphForCodePoint(cp);
      map.set(cp, has);
    }
    return has;
  }

  /** The chain of fonts tried for `key`: the face's own, then each fallback. */
  private chain(key: FontKey): FontKey[] {
    const id = `${key.face}-${key.weight}`;
    let chain = this.chains.get(id);
    if (!chain) {
      const base = { face: key.face, weight: key.weight };
      chain = [base, ...Array.from({ length: this.fallbackCount }, (_, i) => ({ ...base, fallback: i }))];
      this.chains.set(id, chain);
    }
    return chain;
  }

  split(text: string, key: FontKey): Array<{ text: string; key: FontKey }> {
    // Words recur: the split of each is worked out once.
    const cacheKey = `${key.face}-${key.weight}\u0000${text}`;
    let runs = this.splits.get(cacheKey);
    if (!runs) {
      runs = this.splitByFont(text, key);
      if (hasRtl(text)) runs = runs.flatMap((run) => run.text.split(RTL_PHRASE).filter(Boolean).map((part) => ({ text: part, key: run.key })));
      if (this.splits.size > 200_000) this.splits.clear();
      this.splits.set(cacheKey, runs);
    }
    return runs;
  }

  private splitByFont(text: string, key: FontKey): Array<{ text: string; key: FontKey }> {
    const [primary, ...fallbacks] = this.chain(key);
    let allPrimary = true;
    for (const ch of text) {
      if (!this.covers(primary!, ch.codePointAt(0)!)) {
        allPrimary = false;
        break;
      }
    }
    if (allPrimary || fallbacks.length === 0) return [{ text, key: primary! }];
    const out: Array<{ text: string; key: FontKey }> = [];
    for (const { segment } of graphemes.segment(text)) {
      const cps = [...segment].map((c) => c.codePointAt(0)!);
      // A whole grapheme in one font, so a base letter and its combining marks stay together.
      const chosen = [primary!, ...fallbacks].find((k) => cps.every((cp) => this.covers(k, cp))) ?? primary!;
      const last = out[out.length - 1];
      // Spaces and punctuation the current font has stay in it, rather than flicking back and forth.
      const neutral = !/[\p{L}\p{N}]/u.test(segment) && cps.every((cp) => this.covers(last?.key ?? primary!, cp));
      if (last && (fontName(last.key) === fontName(chosen) || neutral)) last.text += segment;
      else out.push({ text: segment, key: chosen });
    }
    return out;
  }

  missingGlyph(text: string, key: FontKey): number | undefined {
    const chain = this.chain(key);
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (!chain.some((k) => this.covers(k, cp))) return cp;
    }
    return undefined;
  }

  /**
   * SVG path data of `text` set in `key` at `size`, with the baseline at y = 0 and
   * y growing downwards (PDFKit's page coordinates).
   */
  outline(text: string, key: FontKey, size: number): string {
    const font = this.font(key);
    const scale = size / font.unitsPerEm;
    const run = font.layout(text);
    let x = 0;
    const parts: string[] = [];
    run.glyphs.forEach((glyph, i) => {
      const position = run.positions[i]!;
      const path = glyph.path.scale(scale, -scale).translate(x + position.xOffset * scale, -position.yOffset * scale);
      parts.push(path.toSVG());
      x += position.xAdvance * scale;
    });
    return parts.join('');
  }
}

// Font metrics for layout, read with fontkit from the same files pdfkit embeds, so
// that what the layout measures is what the PDF draws. Each face has a fallback
// chain (the theme's CJK fonts): text is split into runs by which font has the glyphs.
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import { installFastLayout } from './fastshape.ts';
import { installFastSubset } from './subset.ts';
import { FACES, WEIGHTS, type FaceName, type Theme, type Weight } from './theme.ts';

export interface FontKey {
  readonly face: FaceName;
  readonly weight: Weight;
  /** Index into the theme's fallback fonts; absent for the face's own font. */
  readonly fallback?: number;
}

const isBold = (weight: Weight) => weight === 'bold' || weight === 'boldItalic';

/** Each face's own fonts' names, made once: fontName is asked for every word measured. */
const OWN_NAMES = Object.fromEntries(FACES.map((face) => [face, Object.fromEntries(WEIGHTS.map((weight) => [weight, `${face}-${weight}`]))])) as Record<FaceName, Record<Weight, string>>;

export const fontName = (key: FontKey): string =>
  key.fallback === undefined ? OWN_NAMES[key.face][key.weight] : `fallback${key.fallback}-${isBold(key.weight) ? 'bold' : 'regular'}`;

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
   * The advance of each start of `text` (index i: its first i UTF-16 units) as set
   * within the whole word, kerning included, in thousandths of an em; undefined for
   * text it does not keep (spaces inside, or right-to-left). Where hyphenation may cut a word.
   */
  prefixWidths?(text: string, key: FontKey): Float64Array | undefined;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

interface Shaped {
  /** Advance width in thousandths of an em. */
  readonly units: number;
  readonly glyphs: number;
  readonly prefix?: Float64Array;
}

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
const RTL_LETTER = new RegExp(`[${RTL}]`, 'u');
export const hasRtl = (text: string): boolean => RTL_LETTER.test(text);
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

/**
 * Words whose shaping and font split are kept before the caches start again. A
 * word costs some 600 bytes in them (its advances for hyphenation included): at
 * 200,000, as before, a batch worker fed real briefs, whose words differ, would have
 * grown by over 100 MB before the first clear. A brief has a few thousand distinct
 * words, so 30,000 (~18 MB) keeps every repeat within a brief and the common words
 * across briefs.
 */
const MAX_KEPT_WORDS = 30_000;

export class FontBook implements Measurer {
  private readonly fonts = new Map<string, fontkit.Font>();
  /** Font name → text → what shaping it gave. Nested maps: the layout asks for every word, and a joined key cost more than the lookup. */
  private readonly shaped = new Map<string, Map<string, Shaped>>();
  private shapedCount = 0;
  private readonly coverage = new Map<string, Map<number, boolean>>();
  private readonly splits = new Map<string, Map<string, Array<{ text: string; key: FontKey }>>>();
  private splitCount = 0;
  /** Font name, size and text → SVG path data (outline). */
  private readonly outlines = new Map<string, string>();
  private readonly chains = new Map<string, FontKey[]>();
  private readonly fallbackCount: number;
  /** Registered font name → file, for pdfkit. Files open lazily: a fallback font loads only when a text needs it. */
  readonly files: ReadonlyMap<string, string>;
  /** The faces' own fonts (not the fallbacks), whose Latin text takes the fast path (fastshape.ts). */
  private readonly faceFonts = new Set<string>();

  constructor(theme: Theme) {
    const files = new Map<string, string>();
    for (const face of FACES) {
      for (const weight of WEIGHTS) {
        files.set(fontName({ face, weight }), theme.fontFiles[face][weight]);
        this.faceFonts.add(fontName({ face, weight }));
      }
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
   * A face's own font lays out simple Latin runs from a table (installFastLayout),
   * for the measuring here and pdfkit's drawing alike; the fallback fonts are
   * there for CJK text, which fontkit shapes, and whose tables would be large to analyse.
   */
  byName(name: string): fontkit.Font {
    let font = this.fonts.get(name);
    if (!font) {
      const bytes = fs.readFileSync(this.files.get(name)!);
      font = fontkit.create(bytes) as fontkit.Font;
      if (this.faceFonts.has(name)) installFastLayout(font, bytes);
      installFastSubset(font);
      this.fonts.set(name, font);
    }
    return font;
  }

  /** Lays out a word in every face's own font: its first layout makes and keeps the font's shape table (installFastLayout) where none is kept yet. */
  loadFaces(): void {
    for (const name of this.faceFonts) this.byName(name).layout('briefpress');
  }

  width(text: string, key: FontKey, size: number): number {
    return (this.shape(text, key).units * size) / 1000;
  }

  private shape(text: string, key: FontKey): Shaped {
    const name = fontName(key);
    let byText = this.shaped.get(name);
    if (!byText) this.shaped.set(name, (byText = new Map()));
    let found = byText.get(text);
    if (!found) {
      const font = this.byName(name);
      // pdfkit measures with fontkit's default features too (kerning, ligatures); a simple run takes the fast path (byName), with the same result.
      const run = font.layout(text);
      found = {
        units: (run.advanceWidth * 1000) / font.unitsPerEm,
        // Letter spacing (PDF Tc) is added after every glyph drawn, so justifying needs the count.
        glyphs: run.glyphs.length,
        // A word's starts, for hyphenation to measure its parts without shaping each.
        ...(text.length <= MAX_PREFIXED && !/\s/.test(text) && !hasRtl(text) ? { prefix: prefixAdvances(text, run, font.unitsPerEm) } : {}),
      };
      if (++this.shapedCount > MAX_KEPT_WORDS) {
        this.shaped.clear();
        this.shaped.set(name, (byText = new Map()));
        this.shapedCount = 1;
      }
      byText.set(text, found);
    }
    return found;
  }

  prefixWidths(text: string, key: FontKey): Float64Array | undefined {
    return this.shape(text, key).prefix;
  }

  glyphCount(text: string, key: FontKey): number {
    return this.shape(text, key).glyphs;
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
    const id = OWN_NAMES[key.face][key.weight];
    let chain = this.chains.get(id);
    if (!chain) {
      const base = { face: key.face, weight: key.weight };
      chain = [base, ...Array.from({ length: this.fallbackCount }, (_, i) => ({ ...base, fallback: i }))];
      this.chains.set(id, chain);
    }
    return chain;
  }

  split(text: string, key: FontKey): Array<{ text: string; key: FontKey }> {
    // Words recur: the split of each is worked out once, kept by the face's own font
    // (the chain starts there) and then by the text, with no key string to build.
    const chainName = OWN_NAMES[key.face][key.weight];
    let byText = this.splits.get(chainName);
    if (!byText) this.splits.set(chainName, (byText = new Map()));
    let runs = byText.get(text);
    if (!runs) {
      runs = this.splitByFont(text, key);
      if (hasRtl(text)) runs = runs.flatMap((run) => run.text.split(RTL_PHRASE).filter(Boolean).map((part) => ({ text: part, key: run.key })));
      if (++this.splitCount > MAX_KEPT_WORDS) {
        this.splits.clear();
        this.splits.set(chainName, (byText = new Map()));
        this.splitCount = 1;
      }
      byText.set(text, runs);
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
    // Validation asks this of every string of a brief, character by character: the
    // answer for each UTF-16 unit of the Basic Multilingual Plane is kept per chain in a
    // byte (1 drawn, 2 not), so a warm build allocates nothing here (a string iterator
    // and a closure per character were a batch worker's largest allocation).
    const id = OWN_NAMES[key.face][key.weight];
    let known = this.chainCoverage.get(id);
    if (!known) this.chainCoverage.set(id, (known = new Uint8Array(0x10000)));
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const state = known[unit]!;
      if (state === 1) continue;
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) {
        i++;
        if (!this.chainCovers(key, cp)) return cp;
        continue;
      }
      // A lone surrogate is a character no font draws, as before.
      if (state === 2) return cp;
      const covered = this.chainCovers(key, cp);
      known[unit] = covered ? 1 : 2;
      if (!covered) return cp;
    }
    return undefined;
  }

  /** Per chain (face and weight): what missingGlyph found of each UTF-16 unit, 0 not asked yet. */
  private readonly chainCoverage = new Map<string, Uint8Array>();

  private chainCovers(key: FontKey, cp: number): boolean {
    for (const k of this.chain(key)) if (this.covers(k, cp)) return true;
    return false;
  }

  /**
   * SVG path data of `text` set in `key` at `size`, with the baseline at y = 0 and
   * y growing downwards (PDFKit's page coordinates).
   */
  outline(text: string, key: FontKey, size: number): string {
    // The running header and the footer are drawn as outlines on every page, the same text each time:
    // scaling and writing out the glyphs' paths was most of what fontkit still cost a warm worker.
    const cacheKey = `${fontName(key)}\u0000${size}\u0000${text}`;
    let svg = this.outlines.get(cacheKey);
    if (svg === undefined) {
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
      svg = parts.join('');
      if (this.outlines.size > 1000) this.outlines.clear();
      this.outlines.set(cacheKey, svg);
    }
    return svg;
  }
}

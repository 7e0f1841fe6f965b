// Font metrics for layout, read with fontkit from the same files pdfkit embeds, so
// that what the layout measures is what the PDF draws.
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import { FACES, WEIGHTS, type FaceName, type Theme, type Weight } from './theme.ts';

export interface FontKey {
  readonly face: FaceName;
  readonly weight: Weight;
}

export const fontName = (key: FontKey): string => `${key.face}-${key.weight}`;

/** The measuring half of the layout's font interface; tests may pass a fake. */
export interface Measurer {
  /** Advance width of `text` in points at `size`. */
  width(text: string, key: FontKey, size: number): number;
  /** Distance from the top of the line box to the baseline, in points at `size`. */
  ascent(key: FontKey, size: number): number;
  /** First code point in `text` no font of `key` can draw, if any. */
  missingGlyph(text: string, key: FontKey): number | undefined;
}

export class FontBook implements Measurer {
  private readonly fonts = new Map<string, fontkit.Font>();
  private readonly widths = new Map<string, number>();
  readonly files: ReadonlyMap<string, string>;

  constructor(theme: Theme) {
    const files = new Map<string, string>();
    for (const face of FACES) {
      for (const weight of WEIGHTS) {
        files.set(fontName({ face, weight }), theme.fontFiles[face][weight]);
      }
    }
    this.files = files;
  }

  private font(key: FontKey): fontkit.Font {
    const name = fontName(key);
    let font = this.fonts.get(name);
    if (!font) {
      font = fontkit.create(fs.readFileSync(this.files.get(name)!)) as fontkit.Font;
      this.fonts.set(name, font);
    }
    return font;
  }

  width(text: string, key: FontKey, size: number): number {
    const cacheKey = `${key.face}${key.weight}\u0000${text}`;
    let units = this.widths.get(cacheKey);
    if (units === undefined) {
      const font = this.font(key);
      // pdfkit measures with fontkit's default features too (kerning, ligatures).
      units = (font.layout(text).advanceWidth * 1000) / font.unitsPerEm;
      if (this.widths.size > 200_000) this.widths.clear();
      this.widths.set(cacheKey, units);
    }
    return (units * size) / 1000;
  }

  ascent(key: FontKey, size: number): number {
    const font = this.font(key);
    return (font.ascent / font.unitsPerEm) * size;
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

  missingGlyph(text: string, key: FontKey): number | undefined {
    const font = this.font(key);
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (/\s/u.test(ch) || isFormatChar(cp)) continue;
      if (!font.hasGlyphForCodePoint(cp)) return cp;
    }
    return undefined;
  }
}

/** Zero-width format characters (joiners, direction marks) need no glyph of their own. */
function isFormatChar(cp: number): boolean {
  return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff;
}

// The TrueType subsets embedded in the PDF (pipeline/core/subset.ts) are the bytes
// fontkit's own subsetter writes, for every font file of the theme, for the glyphs
// of real text and for random sets of glyphs that include composites (whose parts
// join the subset and are renumbered).
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { installFastSubset } from '../pipeline/core/subset.ts';
import { sharedContext } from './helpers.ts';
import { seededRandom } from './random.ts';

type Font = fontkit.Font & { numGlyphs: number; loca: { offsets: number[] }; directory: { tables: Record<string, { offset: number } | undefined> }; stream: { buffer: Uint8Array } };

/** The subset of `glyphs` as fontkit encodes it, and as a font with the fast subsetter installed does. */
function bothEncodings(file: string, glyphs: readonly number[]): { fontkit: Uint8Array; fast: Uint8Array } {
  const bytes = fs.readFileSync(file);
  const plain = fontkit.create(bytes) as fontkit.Font;
  const fast = fontkit.create(bytes) as fontkit.Font;
  installFastSubset(fast);
  const encode = (font: fontkit.Font) => {
    const subset = font.createSubset() as unknown as { includeGlyph(id: number): number; encode(): Uint8Array };
    for (const id of glyphs) subset.includeGlyph(id);
    return subset.encode();
  };
  return { fontkit: encode(plain), fast: encode(fast) };
}

/** Whether glyph `id` of `font` is a composite (its contour count is negative). */
function isComposite(font: Font, id: number): boolean {
  const start = font.directory.tables['glyf']!.offset + font.loca.offsets[id]!;
  const end = font.directory.tables['glyf']!.offset + font.loca.offsets[id + 1]!;
  if (end - start < 10) return false;
  const { buffer } = font.stream;
  return new DataView(buffer.buffer, buffer.byteOffset).getInt16(start) < 0;
}

const themeFontFiles = (): string[] => {
  const { fontFiles } = sharedContext().theme;
  const files = new Set<string>();
  for (const face of ['serif', 'sans', 'deck'] as const) for (const file of Object.values(fontFiles[face])) files.add(file);
  for (const fallback of fontFiles.fallback) files.add(fallback.regular).add(fallback.bold);
  return [...files];
};

describe('TrueType subsets', () => {
  it('writes the bytes fontkit writes, for every font of the theme, for real text and random glyph sets with composites', () => {
    const files = themeFontFiles();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const next = seededRandom(21);
    let composites = 0;
    let compared = 0;
    for (const file of files) {
      const font = fontkit.create(fs.readFileSync(file)) as Font;
      const text = font.layout('Résumé: U.S.–Japan “relations”, 2026 — naïve façade; Ōsaka, Seoul 서울, 東京. ffi fl').glyphs.map((g) => g.id);
      const sets: number[][] = [text, [], [0]];
      for (let k = 0; k < 6; k++) sets.push(Array.from({ length: 1 + Math.floor(next() * 120) }, () => Math.floor(next() * font.numGlyphs)));
      // Composites on purpose: the first fifty the font has.
      const composite: number[] = [];
      for (let id = 0; id < font.numGlyphs && composite.length < 50; id++) if (isComposite(font, id)) composite.push(id);
      sets.push(composite);
      composites += composite.length;
      for (const glyphs of sets) {
        const { fontkit: expected, fast } = bothEncodings(file, glyphs);
        expect(Buffer.from(fast).equals(Buffer.from(expected)), `${file}: ${glyphs.length} glyphs`).toBe(true);
        compared++;
      }
    }
    // The fonts have composites (accented letters), so their renumbering was exercised.
    expect(composites).toBeGreaterThan(100);
    expect(compared).toBe(files.length * 10);
  });

  it('is what the PDF stage uses: the theme fonts give subsets from this module', () => {
    for (const name of ['serif-regular', 'sans-bold', 'fallback0-regular']) {
      const font = sharedContext().fonts.byName(name) as unknown as { createSubset(): { encode(): Uint8Array } };
      const subset = font.createSubset();
      expect(subset.encode, name).not.toBe((Object.getPrototypeOf(subset) as { encode: unknown }).encode);
    }
  });
});

// The TrueType subsets embedded in the PDF (pipeline/core/subset.ts) are the bytes
// fontkit's own subsetter writes, for every font file of the theme, for the glyphs
// of real text and for random sets of glyphs that include composites (whose parts
// join the subset and are renumbered).
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { installFastSubset } from '../pipeline/core/subset.ts';
import { runJob, type JobResult } from '../pipeline/run/job.ts';
import { createContext } from '../pipeline/run/build.ts';
import { copySample, readPdf, sharedContext } from './helpers.ts';
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

  it("leaves the font as it was: the same subset encoded twice gives the same bytes, and the font's own bytes do not change", () => {
    for (const file of themeFontFiles().slice(0, 8)) {
      const font = fontkit.create(fs.readFileSync(file)) as Font;
      installFastSubset(font);
      const before = Buffer.from(font.stream.buffer).toString('base64');
      const composite: number[] = [];
      for (let id = 0; id < font.numGlyphs && composite.length < 30; id++) if (isComposite(font, id)) composite.push(id);
      expect(composite.length, file).toBeGreaterThan(0);
      const subset = font.createSubset() as unknown as { includeGlyph(id: number): number; encode(): Uint8Array };
      for (const id of [1, 2, 3, ...composite]) subset.includeGlyph(id);
      const first = Buffer.from(subset.encode());
      const second = Buffer.from(subset.encode());
      expect(second.equals(first), file).toBe(true);
      const again = font.createSubset() as unknown as { includeGlyph(id: number): number; encode(): Uint8Array };
      for (const id of [1, 2, 3, ...composite]) again.includeGlyph(id);
      expect(Buffer.from(again.encode()).equals(first), file).toBe(true);
      expect(Buffer.from(font.stream.buffer).toString('base64') === before, file).toBe(true);
    }
  });

  it('builds a brief with accented letters the same way every time in one process: the PDF, its text and the thumbnail', async () => {
    // Accented letters are composite glyphs in Tinos and Arimo; a subsetter that renumbered them in the font itself printed "caf)" the second time.
    const { dir } = copySample((yaml) => yaml.replace('from North Korea. The U.S.-Japan', 'from North Korea, a café naïve résumé façade in Ōsaka. The U.S.-Japan'));
    const context = createContext();
    const request = { dir, formats: ['pdf', 'pptx'] as const, allowOverflow: false, environment: '' };
    const builds: JobResult[] = [];
    for (let i = 0; i < 3; i++) builds.push(await runJob({ ...request, formats: [...request.formats] }, context));
    const pdf = (i: number) => Buffer.from(builds[i]!.artifacts.find((a) => a.format === 'pdf')!.bytes);
    const thumbnail = (i: number) => Buffer.from(builds[i]!.extra[0]!.bytes);
    for (const i of [1, 2]) {
      expect(pdf(i).equals(pdf(0)), `build ${i + 1}: PDF`).toBe(true);
      expect(thumbnail(i).equals(thumbnail(0)), `build ${i + 1}: thumbnail`).toBe(true);
    }
    const text = (await readPdf(pdf(2))).pages.map((p) => p.content.join('')).join('\n');
    expect(text).toMatch(/café\s*naïve\s*résumé\s*façade\s*in\s*Ōsaka/);
    // And the same as a build in a fresh context, whose fonts nothing had touched.
    const fresh = await runJob({ ...request, formats: [...request.formats] }, createContext());
    expect(Buffer.from(fresh.artifacts.find((a) => a.format === 'pdf')!.bytes).equals(pdf(0))).toBe(true);
    expect(Buffer.from(fresh.extra[0]!.bytes).equals(thumbnail(0))).toBe(true);
  });

  it("leaves fontkit's subsetter to the fonts whose tables it does not copy as they stand: WOFF, an empty table, a cvt of odd length", () => {
    const file = themeFontFiles()[0]!;
    const opened = () => fontkit.create(fs.readFileSync(file)) as Font & { directory: { tables: Record<string, { offset: number; length: number }> } };
    const installed = (font: fontkit.Font) => {
      installFastSubset(font);
      return Object.hasOwn(font, 'createSubset');
    };
    expect(installed(opened())).toBe(true);
    const woff = opened();
    Object.defineProperty(woff, 'type', { value: 'WOFF' });
    expect(installed(woff)).toBe(false);
    const emptyProgram = opened();
    emptyProgram.directory.tables['fpgm'] = { ...emptyProgram.directory.tables['fpgm']!, length: 0 };
    expect(installed(emptyProgram)).toBe(false);
    const oddCvt = opened();
    oddCvt.directory.tables['cvt '] = { ...oddCvt.directory.tables['cvt ']!, length: oddCvt.directory.tables['cvt ']!.length - 1 };
    expect(installed(oddCvt)).toBe(false);
  });

  it('is what the PDF stage uses: the theme fonts give subsets from this module', () => {
    for (const name of ['serif-regular', 'sans-bold', 'fallback0-regular']) {
      const font = sharedContext().fonts.byName(name) as unknown as { createSubset(): { encode(): Uint8Array } };
      const subset = font.createSubset();
      expect(subset.encode, name).not.toBe((Object.getPrototypeOf(subset) as { encode: unknown }).encode);
    }
  });
});

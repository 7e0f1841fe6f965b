// The catalog's thumbnail (pipeline/catalog/thumbnail.ts, raster.ts): page 1 drawn
// from its layout by the project's own rasterizer. It is checked against what a
// reader's viewer shows: pdf.js's rendering of the PDF's page 1 at the same size,
// block by block, so a box, a chart or a column of text the thumbnail left out or
// put elsewhere fails here.
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng, renderThumbnail, THUMBNAIL_WIDTH, type Thumbnail } from '../pipeline/catalog/thumbnail.ts';
import { parseColor, Raster } from '../pipeline/catalog/raster.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import type { PageLayout } from '../pipeline/pdf/layout.ts';
import { buildBrief, createContext, type BuildContext } from '../pipeline/run/build.ts';
import { artifact, build, copyBrief, everyElementDir, expectBuilt, sharedContext } from './helpers.ts';

async function thumbnailAndPdf(dir: string, context: BuildContext = sharedContext()): Promise<{ thumbnail: Thumbnail; pdf: Buffer }> {
  const built = expectBuilt(context === sharedContext() ? await build(dir, ['pdf']) : await buildBrief(dir, context, { formats: new Set(['pdf']) }));
  const { theme, fonts } = context;
  const thumbnail = await renderThumbnail({ page: built.firstPage!, pageWidth: theme.pdf.page.width, pageHeight: theme.pdf.page.height, fonts });
  return { thumbnail, pdf: artifact(built, 'pdf') };
}

/** Page 1 of the PDF as pdf.js draws it on @napi-rs/canvas (the canvas pdf.js uses under Node), `width` pixels wide: RGBA. */
async function pdfJsPage(pdf: Buffer, width: number): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const { createCanvas } = await import('@napi-rs/canvas');
  const document = await pdfjs.getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const page = await document.getPage(1);
  const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
  const [w, h] = [Math.round(viewport.width), Math.round(viewport.height)];
  const canvas = createCanvas(w, h);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, w, h);
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport, annotationMode: pdfjs.AnnotationMode.DISABLE }).promise;
  const data = context.getImageData(0, 0, w, h).data;
  await document.destroy();
  return { data, width: w, height: h };
}

/** Ink (1 − luminance, 0–1) averaged over square blocks of `size` pixels, row by row. */
function blockInk(rgba: ArrayLike<number>, width: number, height: number, size: number): number[] {
  const out: number[] = [];
  for (let by = 0; by + size <= height; by += size) {
    for (let bx = 0; bx + size <= width; bx += size) {
      let ink = 0;
      for (let y = by; y < by + size; y++) {
        for (let x = bx; x < bx + size; x++) {
          const p = (y * width + x) * 4;
          ink += 1 - (0.2126 * rgba[p]! + 0.7152 * rgba[p + 1]! + 0.0722 * rgba[p + 2]!) / 255;
        }
      }
      out.push(ink / (size * size));
    }
  }
  return out;
}

describe('thumbnail', () => {
  const samples = ['IF10199', 'IF11175', 'IF13201'].map((id) => path.join(projectRoot, 'data', 'briefs', id));
  /** The synthetic brief of every element with a chart and a PNG picture moved to the top of page 1 (it has neither there). */
  const figuresFirst = () =>
    copyBrief(everyElementDir, (yaml) => yaml.replace(/^ {6}- figure: (trade-balance|award-map)\n/gm, '').replace(/^sections:\n {2}- blocks:\n/m, (start) => `${start}      - figure: trade-balance\n      - figure: award-map\n`)).dir;
  const briefs: Record<string, () => string> = {
    ...Object.fromEntries(samples.map((dir) => [path.basename(dir), () => dir])),
    IF90001: () => everyElementDir,
    'IF90001 with a chart and a picture on page 1': figuresFirst,
  };

  it.each(Object.keys(briefs))('of %s looks like pdf.js’s rendering of the PDF’s page 1, block by block', async (name) => {
    const { thumbnail, pdf } = await thumbnailAndPdf(briefs[name]!());
    const reference = await pdfJsPage(pdf, THUMBNAIL_WIDTH);
    expect([thumbnail.width, thumbnail.height]).toEqual([reference.width, reference.height]);
    const ours = PNG.sync.read(thumbnail.bytes);
    // Blocks of 12 pixels: about two lines of body text high, a few words wide. A
    // figure left out (IF11175's) differs by 0.1 in a block; glyphs thinned by a careless
    // outline, or rules drawn thinner than a viewer draws them, by 0.07. Here: under 0.035.
    const a = blockInk(ours.data, ours.width, ours.height, 12);
    const b = blockInk(reference.data, reference.width, reference.height, 12);
    const differences = a.map((ink, i) => Math.abs(ink - b[i]!));
    expect(Math.max(...differences)).toBeLessThan(0.05);
    expect(differences.reduce((sum, d) => sum + d, 0) / differences.length).toBeLessThan(0.01);
    const total = (ink: number[]) => ink.reduce((sum, v) => sum + v, 0);
    expect(total(a) / total(b)).toBeGreaterThan(0.97);
    expect(total(a) / total(b)).toBeLessThan(1.03);
  });

  it('draws page 1 as the same PNG bytes every time, indexed, at 16 levels a channel: white paper, dark text, the brand band on top', async () => {
    const [first, second] = [await thumbnailAndPdf(samples[0]!), await thumbnailAndPdf(samples[0]!)];
    const thumbnail = first.thumbnail;
    expect(thumbnail.bytes.equals(second.thumbnail.bytes)).toBe(true);
    expect(thumbnail.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(thumbnail.bytes[25]).toBe(3);
    const png = PNG.sync.read(thumbnail.bytes);
    expect([png.width, png.height]).toEqual([240, 311]);
    const pixel = (x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)];
    let white = 0;
    let dark = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      for (let c = 0; c < 3; c++) expect(png.data[i + c]! % 17).toBe(0);
      const sum = png.data[i]! + png.data[i + 1]! + png.data[i + 2]!;
      if (sum === 765) white++;
      if (sum < 300) dark++;
    }
    expect(white / (png.width * png.height)).toBeGreaterThan(0.5);
    expect(dark).toBeGreaterThan(1000);
    // The masthead: the theme’s brand colour (#1B3A5C) at 16 levels, across the top of the page inside its margins.
    expect(pixel(120, 16)).toEqual([0x22, 0x33, 0x55]);
    expect(pixel(4, 16)).toEqual([255, 255, 255]);
    expect(pixel(120, 200)).not.toEqual([0x22, 0x33, 0x55]);
  });

  it('draws the same bytes whatever the process drew before: its outline and mask caches depend on no order', async () => {
    const alone = (await thumbnailAndPdf(samples[2]!, createContext())).thumbnail.bytes;
    const after = createContext();
    for (const dir of [samples[0]!, samples[1]!, everyElementDir]) await thumbnailAndPdf(dir, after);
    expect((await thumbnailAndPdf(samples[2]!, after)).thumbnail.bytes.equals(alone)).toBe(true);
    // A page whose text is 0.3% larger (a theme with 10.03-pt text, say) drawn first
    // shares the caches' size buckets; it must not change how the sample is drawn.
    const fresh = createContext();
    const built = expectBuilt(await buildBrief(samples[0]!, fresh, { formats: new Set(['pdf']) }));
    const source = (page: PageLayout) => ({ page, pageWidth: fresh.theme.pdf.page.width, pageHeight: fresh.theme.pdf.page.height, fonts: fresh.fonts });
    const reference = (await renderThumbnail(source(built.firstPage!))).bytes;
    const other = createContext();
    const larger = JSON.parse(JSON.stringify(built.firstPage), (key, value) => (key === 'size' && typeof value === 'number' ? value * 1.003 : value)) as PageLayout;
    await renderThumbnail({ ...source(larger), fonts: other.fonts });
    expect((await renderThumbnail({ ...source(built.firstPage!), fonts: other.fonts })).bytes.equals(reference)).toBe(true);
  });

  it('encodes pixels as an indexed PNG when they have up to 256 colours, as RGB beyond, each read back as the pixels at 16 levels', () => {
    const quantize = (rgba: Uint8Array) => Uint8Array.from(rgba, (v, i) => (i % 4 === 3 ? 255 : Math.round(v / 17) * 17));
    const few = new Uint8Array(64 * 40 * 4);
    for (let i = 0; i < few.length; i += 4) few.set([(i * 7) % 256, i % 3 === 0 ? 255 : 30, 200, 255], i);
    const many = new Uint8Array(64 * 64 * 4);
    for (let p = 0; p < 64 * 64; p++) many.set([(p & 15) * 17, ((p >> 4) & 15) * 17 + 3, (p >> 8) * 17 - (p >> 8 ? 4 : 0), 255], p * 4);
    for (const [rgba, width, height, type] of [[few, 64, 40, 3], [many, 64, 64, 2]] as const) {
      const bytes = encodePng(rgba, width, height);
      expect(bytes[25]).toBe(type);
      const png = PNG.sync.read(bytes);
      expect([png.width, png.height]).toEqual([width, height]);
      expect(new Uint8Array(png.data).join()).toBe(quantize(rgba).join());
      expect(encodePng(rgba, width, height).equals(bytes)).toBe(true);
    }
  });
});

describe('raster', () => {
  /** Ink of each pixel (0 white – 1 black) of a raster painted black. */
  const inkOf = (raster: Raster) => Array.from({ length: raster.width * raster.height }, (_, p) => 1 - raster.pixels[p * 4]! / 255);
  const near = (values: number[], expected: number[]) => values.forEach((v, i) => expect(v, `pixel ${i}`).toBeCloseTo(expected[i]!, 2));

  it('covers each pixel by the share of its area a rectangle covers', () => {
    const raster = new Raster(4, 2);
    raster.rect(0.5, 0, 2.25, 1.5);
    raster.paint([0, 0, 0]);
    near(inkOf(raster), [0.5, 1, 0.75, 0, 0.25, 0.5, 0.375, 0]);
  });

  it('fills a triangle with its area, the same whichever way its outline runs, and a second paint adds nothing', () => {
    for (const points of [[0, 0, 8, 0, 0, 8], [0, 0, 0, 8, 8, 0]]) {
      const raster = new Raster(8, 8);
      raster.polygon(points);
      raster.paint([0, 0, 0]);
      const ink = inkOf(raster);
      expect(ink.reduce((s, v) => s + v, 0)).toBeCloseTo(32, 0);
      // A pixel the diagonal crosses through its corners is half covered; one wholly inside, fully.
      expect(ink[0 * 8 + 7]).toBeCloseTo(0.5, 2);
      expect(ink[0]).toBeCloseTo(1, 5);
      raster.paint([255, 0, 0]);
      expect(inkOf(raster)).toEqual(ink);
    }
  });

  it('fills overlapping outlines once (non-zero, capped) and a hole not at all', () => {
    const raster = new Raster(6, 6);
    raster.rect(0, 0, 4, 4);
    raster.rect(2, 2, 4, 4);
    raster.paint([0, 0, 0]);
    near(inkOf(raster).slice(0, 6), [1, 1, 1, 1, 0, 0]);
    expect(inkOf(raster)[3 * 6 + 3]).toBeCloseTo(1, 5);
    const ring = new Raster(6, 6);
    ring.polygon([0, 0, 6, 0, 6, 6, 0, 6]);
    ring.polygon([2, 2, 2, 4, 4, 4, 4, 2]);
    ring.paint([0, 0, 0]);
    expect(inkOf(ring)[2 * 6 + 2]).toBeCloseTo(0, 5);
    expect(inkOf(ring)[0]).toBeCloseTo(1, 5);
  });

  it('clips outlines that reach past its edges and blends a colour by coverage', () => {
    const raster = new Raster(4, 4);
    raster.polygon([-10, -10, 20, -10, 20, 2, -10, 2]);
    raster.paint(parseColor('#1B3A5C'));
    expect([...raster.pixels.subarray(0, 4)]).toEqual([0x1b, 0x3a, 0x5c, 255]);
    expect([...raster.pixels.subarray(3 * 16, 3 * 16 + 4)]).toEqual([255, 255, 255, 255]);
    raster.rect(0, 3, 4, 0.5);
    raster.paint([0, 0, 0]);
    expect(raster.pixels[3 * 16]).toBe(128);
  });

  it('stamps a mask taken from outlines as those outlines paint, at any whole-pixel place, clipped at the edges', () => {
    const shape = [0.3, 0.2, 3.7, 1.1, 1.2, 2.9];
    const maker = new Raster(4, 3, false);
    maker.polygon(shape);
    const mask = maker.takeMask();
    for (const [dx, dy] of [[0, 0], [3, 2], [-2, -1], [6, 4]] as const) {
      const drawn = new Raster(8, 6);
      drawn.polygon(shape.map((v, i) => v + (i % 2 === 0 ? dx : dy)));
      drawn.paint([0, 0, 0]);
      const stamped = new Raster(8, 6);
      stamped.stamp(mask, 4, dx, dy);
      stamped.paint([0, 0, 0]);
      near(inkOf(stamped), inkOf(drawn));
    }
    expect(maker.pixels.length).toBe(0);
    expect(mask.reduce((sum, v) => sum + v, 0)).toBeCloseTo(Math.abs((3.4 * 2.7 - 0.9 * 0.9) / 2), 2);
  });

  it('lays a picture over the page by its alpha', () => {
    const raster = new Raster(2, 1);
    raster.composite(Uint8ClampedArray.from([0, 0, 0, 255, 0, 0, 0, 0]), 0, 0, 2, 1);
    expect([...raster.pixels]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });
});

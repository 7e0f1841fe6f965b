// Stage 7, the catalog's picture of a brief: page 1 of its PDF, drawn by pdf.js as
// a viewer would draw it, at a fixed width. pdf.js paints glyphs and clips with
// Path2D, which node-canvas does not have, so it draws on @napi-rs/canvas (the
// canvas pdf.js itself uses under Node). It runs in the process that built the PDF
// (the CLI's or a worker process, never a worker thread: native canvases crash the
// process when a thread that used them exits).
//
// The same PDF always gives the same PNG bytes: the pixels are read back and
// encoded by pngjs with fixed options (no timestamps, no gamma or text chunks), and
// quantized to 16 levels per channel, which halves the file for a picture whose
// text is too small to read anyway.
import { PNG } from 'pngjs';

/** Width of the thumbnail in pixels: twice the 120 CSS pixels the catalog shows it at, for high-density screens. */
export const THUMBNAIL_WIDTH = 240;

export interface Thumbnail {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

export async function renderThumbnail(pdf: Uint8Array, width = THUMBNAIL_WIDTH): Promise<Thumbnail> {
  const [{ getDocument }, worker, { createCanvas }] = await Promise.all([
    import('pdfjs-dist/legacy/build/pdf.mjs'),
    import('pdfjs-dist/legacy/build/pdf.worker.mjs'),
    import('@napi-rs/canvas'),
  ]);
  // pdf.js under Node runs its worker in this thread, and would import() it by a path
  // it computes; given the module, it uses it (and the launcher's bundle holds it).
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
  // A copy: pdf.js transfers the buffer it is given, and the caller still publishes these bytes.
  const document = await getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const page = await document.getPage(1);
    const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
    const w = Math.round(viewport.width);
    const h = Math.round(viewport.height);
    const canvas = createCanvas(w, h);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, w, h);
    // pdf.js types its canvas as the DOM's; @napi-rs/canvas implements the part it draws with.
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
    const rgba = context.getImageData(0, 0, w, h).data;
    const png = new PNG({ width: w, height: h });
    for (let i = 0; i < rgba.length; i++) png.data[i] = i % 4 === 3 ? 255 : Math.round(rgba[i]! / 17) * 17;
    return { bytes: PNG.sync.write(png, { colorType: 2, inputColorType: 6, deflateLevel: 9, deflateStrategy: 3 }), width: w, height: h };
  } finally {
    await document.destroy();
  }
}

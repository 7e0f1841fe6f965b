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
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';

/** Width of the thumbnail in pixels: twice the 120 CSS pixels the catalog shows it at, for high-density screens. */
export const THUMBNAIL_WIDTH = 240;

export interface Thumbnail {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.min.mjs');
type CreateCanvas = typeof import('@napi-rs/canvas').createCanvas;

let renderer: Promise<{ readonly pdfjs: PdfJs; readonly createCanvas: CreateCanvas }> | undefined;

/** pdf.js and the canvas, loaded once per process, the first time a thumbnail is drawn. */
function loadRenderer(): Promise<{ readonly pdfjs: PdfJs; readonly createCanvas: CreateCanvas }> {
  renderer ??= (async () => {
    // @napi-rs/canvas lists and loads every font of the system as it loads (some 86 ms)
    // unless this is set; pdf.js loads it too, so it is set before either. Glyphs are
    // drawn as paths (disableFontFace), so no font of the system would ever be used.
    process.env.DISABLE_SYSTEM_FONTS_LOAD ||= '1';
    // The minified builds of the same release: some 20 ms less for a cold process to compile.
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.min.mjs');
    pdfjs.GlobalWorkerOptions.workerSrc ||= pathToFileURL(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.worker.min.mjs')).href;
    const { createCanvas } = await import('@napi-rs/canvas');
    return { pdfjs, createCanvas };
  })();
  return renderer;
}

export async function renderThumbnail(pdf: Uint8Array, width = THUMBNAIL_WIDTH): Promise<Thumbnail> {
  const { pdfjs, createCanvas } = await loadRenderer();
  // A copy: pdf.js transfers the buffer it is given, and the caller still publishes these bytes.
  const document = await pdfjs.getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const page = await document.getPage(1);
    const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
    const w = Math.round(viewport.width);
    const h = Math.round(viewport.height);
    const canvas = createCanvas(w, h);
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, w, h);
    await page.render({
      // pdf.js types its canvas as the DOM's; @napi-rs/canvas implements the part it draws with.
      canvas: canvas as unknown as HTMLCanvasElement,
      canvasContext: context as unknown as CanvasRenderingContext2D,
      viewport,
      // A brief's annotations are its links, which have no look of their own: not read at all.
      annotationMode: pdfjs.AnnotationMode.DISABLE,
    }).promise;
    const rgba = context.getImageData(0, 0, w, h).data;
    const png = new PNG({ width: w, height: h });
    for (let i = 0; i < rgba.length; i++) png.data[i] = i % 4 === 3 ? 255 : Math.round(rgba[i]! / 17) * 17;
    return { bytes: PNG.sync.write(png, { colorType: 2, inputColorType: 6, deflateLevel: 9, deflateStrategy: 3 }), width: w, height: h };
  } finally {
    await document.destroy();
  }
}

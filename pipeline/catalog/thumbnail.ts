// Stage 7, the catalog's picture of a brief: page 1 of its PDF, drawn by pdf.js as
// a viewer would draw it, at a fixed width. pdf.js paints glyphs and clips with
// Path2D, which node-canvas does not have, so it draws on @napi-rs/canvas (the
// canvas pdf.js itself uses under Node). It runs in the process that built the PDF
// (the CLI's or a worker process, never a worker thread: native canvases crash the
// process when a thread that used them exits).
//
// The same PDF always gives the same PNG bytes: the pixels are read back, quantized
// to 16 levels per channel (the text is too small to read anyway), and encoded here
// with fixed settings (no timestamps, no gamma or text chunks). At 16 levels a page
// of text and charts has well under 256 colours, so the PNG is indexed: a third of
// the data to compress, files 2.5 times smaller than RGB, and encoded in about a
// millisecond. A page with more colours (a photograph) is RGB.
import zlib from 'node:zlib';

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
    // The minified builds of the same release: less for a cold process to compile.
    const [pdfjs, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.min.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.min.mjs')]);
    // pdf.js under Node runs its worker in this thread. Handed the worker module, it
    // neither computes a path to one (the unminified build's) nor import()s it, and the
    // launcher's bundle holds both modules.
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
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
    return { bytes: encodePng(context.getImageData(0, 0, w, h).data, w, h), width: w, height: h };
  } finally {
    await document.destroy();
  }
}

/** A channel's value rounded to the nearest of 16 levels (0, 17 … 255), as the level's number. */
const LEVEL = Uint8Array.from({ length: 256 }, (_, v) => Math.round(v / 17));

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Opaque RGBA pixels (alpha is not read) as a PNG of 8-bit channels quantized to 16
 * levels: indexed when they have at most 256 colours, the palette in colour order
 * (the same pixels, the same bytes), else RGB.
 */
export function encodePng(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Buffer {
  const pixels = width * height;
  // Each pixel's colour as three 4-bit levels, 0xRGB.
  const colours = new Uint16Array(pixels);
  const used = new Uint8Array(4096);
  for (let p = 0, i = 0; p < pixels; p++, i += 4) {
    const colour = (LEVEL[rgba[i]!]! << 8) | (LEVEL[rgba[i + 1]!]! << 4) | LEVEL[rgba[i + 2]!]!;
    colours[p] = colour;
    used[colour] = 1;
  }
  const index = new Uint8Array(4096);
  const palette: number[] = [];
  for (let colour = 0; colour < 4096; colour++) {
    if (used[colour] === 0) continue;
    index[colour] = palette.length / 3;
    palette.push((colour >> 8) * 17, ((colour >> 4) & 15) * 17, (colour & 15) * 17);
  }
  const indexed = palette.length <= 256 * 3;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel or index
  header[9] = indexed ? 3 : 2; // colour type: palette or RGB; compression, filter and interlace stay 0
  let raw: Buffer;
  let deflate: zlib.ZlibOptions;
  if (indexed) {
    // Each row: filter type 0 (none, which the PNG specification advises for indexed images), then an index a pixel.
    raw = Buffer.alloc((width + 1) * height);
    for (let y = 0, o = 0, p = 0; y < height; y++) {
      raw[o++] = 0;
      for (let x = 0; x < width; x++) raw[o++] = index[colours[p++]!]!;
    }
    // Runs of one index make most of a page: run-length matching packs it as tight as a full search, ten times sooner.
    deflate = { level: 9, strategy: zlib.constants.Z_RLE };
  } else {
    // Each row: filter type 1 (sub: the difference from the pixel to the left), which suits a photograph.
    const stride = width * 3;
    raw = Buffer.alloc((stride + 1) * height);
    for (let y = 0, o = 0, p = 0; y < height; y++) {
      raw[o++] = 1;
      let left = 0;
      for (let x = 0; x < width; x++, p++) {
        const colour = colours[p]!;
        raw[o++] = (((colour >> 8) - (left >> 8)) * 17) & 0xff;
        raw[o++] = ((((colour >> 4) & 15) - ((left >> 4) & 15)) * 17) & 0xff;
        raw[o++] = (((colour & 15) - (left & 15)) * 17) & 0xff;
        left = colour;
      }
    }
    deflate = { level: 9 };
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(indexed ? [chunk('PLTE', Uint8Array.from(palette))] : []),
    chunk('IDAT', zlib.deflateSync(raw, deflate)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

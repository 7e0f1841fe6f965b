// Stage 7, the catalog's picture of a brief: page 1 of its PDF at a fixed width,
// drawn from the same placed boxes the PDF was painted from (pdf/layout.ts), in
// the same fonts' outlines, the same colours and the same chart and image files.
// A raster of its own (raster.ts) paints it: no PDF is parsed again and no font
// engine or second canvas library is loaded, which made this stage the slowest of
// a build (pdf.js and skia: ~170 ms in a new process, ~60 ms and ~60 MB in a warm
// one) for a picture 240 pixels wide. Only a chart or an image on page 1 wakes the
// chart stage's canvas (node-canvas, already loaded when the brief has a chart),
// which scales a chart's preview (the chart stage's drawing in pixels) or draws an
// image into its box. A test keeps the picture beside pdf.js's rendering of the PDF
// itself.
//
// The same page always gives the same PNG bytes: the pixels are quantized to 16
// levels per channel (the text is too small to read anyway) and encoded here with
// fixed settings (no timestamps, no gamma or text chunks). At 16 levels a page of
// text and charts has well under 256 colours, so the PNG is indexed: a third of
// the data to compress, files 2.5 times smaller than RGB, and encoded in about a
// millisecond. A page with more colours (a photograph) is RGB.
import zlib from 'node:zlib';
import type * as fontkit from 'fontkit';
import { fontName, type FontBook } from '../core/fonts.ts';
import { meetBox } from '../pdf/chartsvg.ts';
import { placedLines, type PageLayout, type PlacedItem, type PlacedLine, type PlacedRule } from '../pdf/layout.ts';
import { parseColor, Raster } from './raster.ts';

/** Width of the thumbnail in pixels: twice the 120 CSS pixels the catalog shows it at, for high-density screens. */
export const THUMBNAIL_WIDTH = 240;

/**
 * Pixels per point of a chart's preview (charts.ts) for a page `pageWidth` points
 * wide: twice the thumbnail's, so that scaling it into its box there averages four
 * pixels into one, as drawing the SVG at that size would smooth its edges.
 */
export const chartPreviewScale = (pageWidth: number): number => (2 * THUMBNAIL_WIDTH) / pageWidth;

export interface Thumbnail {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

/** The page's size in points, and the fonts its text was measured and embedded with. */
export interface ThumbnailSource {
  readonly page: PageLayout;
  readonly pageWidth: number;
  readonly pageHeight: number;
  readonly fonts: FontBook;
}

export async function renderThumbnail({ page, pageWidth, pageHeight, fonts }: ThumbnailSource, width = THUMBNAIL_WIDTH): Promise<Thumbnail> {
  const scale = width / pageWidth;
  const height = Math.round(pageHeight * scale);
  const painter = new PagePainter(new Raster(width, height), scale, fonts);
  for (const item of page.items) await painter.item(item);
  return { bytes: encodePng(painter.raster.pixels, width, height), width, height };
}

/**
 * Glyph outlines in font units, y up, flattened to polygons (one array of x, y pairs
 * per contour), by glyph and by how many pixels its em is: a curve is cut into as few
 * straight pieces as keep it within a tenth of a pixel, so the body text's tiny glyphs
 * have a few dozen edges each rather than hundreds.
 */
const outlines = new WeakMap<fontkit.Glyph, Map<number, readonly Float64Array[]>>();

/** Straight pieces for a curve whose control polygon is `length` pixels long: its chord's error falls with the square of the pieces. */
function curveSteps(length: number): number {
  return Math.min(16, Math.max(1, Math.ceil(Math.sqrt(length * 1.25))));
}

function outlineOf(glyph: fontkit.Glyph, pixelsPerUnitAsked: number): readonly Float64Array[] {
  // Sizes a few hundredths of a pixel per 1,000 units apart share their pieces, cut for
  // the size the key stands for (not the first caller's): the same pieces whatever a
  // process drew before, so the same page gives the same bytes in any batch.
  const key = Math.round(pixelsPerUnitAsked * 50_000);
  let bySize = outlines.get(glyph);
  if (!bySize) outlines.set(glyph, (bySize = new Map()));
  let contours = bySize.get(key);
  if (contours) return contours;
  const pixelsPerUnit = key / 50_000;
  const made: Float64Array[] = [];
  let points: number[] = [];
  let x = 0;
  let y = 0;
  const close = () => {
    if (points.length >= 6) made.push(Float64Array.from(points));
    points = [];
  };
  for (const { command, args } of glyph.path.commands) {
    if (command === 'moveTo') {
      close();
      [x, y] = args as [number, number];
      points.push(x, y);
    } else if (command === 'lineTo') {
      [x, y] = args as [number, number];
      points.push(x, y);
    } else if (command === 'quadraticCurveTo') {
      const [cx, cy, ex, ey] = args as [number, number, number, number];
      const steps = curveSteps((Math.hypot(cx - x, cy - y) + Math.hypot(ex - cx, ey - cy)) * pixelsPerUnit);
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        points.push(u * u * x + 2 * u * t * cx + t * t * ex, u * u * y + 2 * u * t * cy + t * t * ey);
      }
      [x, y] = [ex, ey];
    } else if (command === 'bezierCurveTo') {
      const [c1x, c1y, c2x, c2y, ex, ey] = args as [number, number, number, number, number, number];
      const steps = curveSteps((Math.hypot(c1x - x, c1y - y) + Math.hypot(c2x - c1x, c2y - c1y) + Math.hypot(ex - c2x, ey - c2y)) * pixelsPerUnit);
      for (let i = 1; i <= steps; i++) {
        const t = i / steps;
        const u = 1 - t;
        points.push(u * u * u * x + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * ex, u * u * u * y + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t * t * t * ey);
      }
      [x, y] = [ex, ey];
    } else if (command === 'closePath') {
      close();
    }
  }
  close();
  contours = made;
  bySize.set(key, contours);
  return contours;
}

/**
 * Where within a pixel a glyph's mask is drawn: at the middle of one of three places
 * across and two down, so a glyph lands within a sixth of a pixel across and a
 * quarter down of where the PDF puts it. A page of text is some 5,000 glyphs and
 * 1,300 masks: each is rasterized once, then stamped.
 */
const X_PHASES = 3;
const Y_PHASES = 2;
/** Horizontal scales (a justified run's PDF Tz) within a quarter of a percent share a mask. */
const STRETCH_STEPS = 400;
/** Masks kept before the cache starts again (~300 bytes each; a page needs ~1,300), so a long batch's memory stays flat and small. */
const MAX_MASKS = 10_000;

interface GlyphMask {
  readonly coverage: Float32Array;
  /** 0 for a glyph with no outline (a space). */
  readonly width: number;
  /** Pixels from the pixel the glyph's origin falls in to the mask's top left. */
  readonly left: number;
  readonly top: number;
}

const NO_MASK: GlyphMask = { coverage: new Float32Array(0), width: 0, left: 0, top: 0 };
let masks = new WeakMap<fontkit.Glyph, Map<number, GlyphMask>>();
let maskCount = 0;

/** A glyph's size and horizontal scale in pixels per font unit, as a mask's key and the scales it is drawn at. */
interface MaskScale {
  /** Small integer (a number key is much faster than a string in the interpreter the CLI runs in). */
  readonly key: number;
  readonly x: number;
  readonly y: number;
}

function maskScale(xScale: number, yScale: number): MaskScale {
  const stretch = Math.round((xScale / yScale) * STRETCH_STEPS);
  const size = Math.round(yScale * 1e7);
  // Drawn at the scales the key stands for, so a mask is the same whichever run asked for it first.
  const y = size / 1e7;
  return { key: (size * 1024 + stretch) * X_PHASES * Y_PHASES, x: (y * stretch) / STRETCH_STEPS, y };
}

function maskOf(glyph: fontkit.Glyph, scale: MaskScale, xPhase: number, yPhase: number): GlyphMask {
  const key = scale.key + xPhase * Y_PHASES + yPhase;
  let byKey = masks.get(glyph);
  if (!byKey) masks.set(glyph, (byKey = new Map()));
  let mask = byKey.get(key);
  if (mask) return mask;
  const sx = scale.x;
  const yScale = scale.y;
  const dx = (xPhase + 0.5) / X_PHASES;
  const dy = (yPhase + 0.5) / Y_PHASES;
  const contours = outlineOf(glyph, yScale);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const contour of contours) {
    for (let i = 0; i < contour.length; i += 2) {
      const px = dx + contour[i]! * sx;
      const py = dy - contour[i + 1]! * yScale;
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
    }
  }
  if (minX === Infinity) mask = NO_MASK;
  else {
    const left = Math.floor(minX);
    const top = Math.floor(minY);
    const width = Math.max(1, Math.ceil(maxX) - left);
    const raster = new Raster(width, Math.max(1, Math.ceil(maxY) - top), false);
    for (const contour of contours) {
      const n = contour.length;
      let px = dx + contour[n - 2]! * sx - left;
      let py = dy - contour[n - 1]! * yScale - top;
      for (let i = 0; i < n; i += 2) {
        const qx = dx + contour[i]! * sx - left;
        const qy = dy - contour[i + 1]! * yScale - top;
        raster.edge(px, py, qx, qy);
        px = qx;
        py = qy;
      }
    }
    mask = { coverage: raster.takeMask(), width, left, top };
  }
  if (++maskCount > MAX_MASKS) {
    masks = new WeakMap();
    maskCount = 0;
  } else byKey.set(key, mask);
  return mask;
}

type Canvas = typeof import('canvas');

class PagePainter {
  private canvas?: Canvas;

  constructor(
    readonly raster: Raster,
    /** Pixels per point. */
    private readonly scale: number,
    private readonly fonts: FontBook,
  ) {}

  async item(item: PlacedItem): Promise<void> {
    // The shapes under the text first, as render.ts draws them.
    if (item.kind === 'rect') this.box(item.x, item.y, item.width, item.height, item.color);
    else if (item.kind === 'rule') this.rule(item);
    else if (item.kind === 'table') item.rules.forEach((rule) => this.rule(rule));
    else if (item.kind === 'textbox') {
      this.box(item.x, item.y, item.width, item.height, item.fill);
      this.rule(item.rule);
    } else if (item.kind === 'figure') await this.figure(item);
    this.lines(placedLines(item));
  }

  private box(x: number, y: number, width: number, height: number, color: string): void {
    const s = this.scale;
    this.raster.rect(x * s, y * s, width * s, height * s);
    this.raster.paint(parseColor(color));
  }

  /**
   * A rule as the PDF strokes it: a line `width` wide with butt ends, but never
   * thinner than a pixel, as viewers draw it (pdf.js, Acrobat): at this scale a
   * table's half-point rules would otherwise fade to a fifth of their colour.
   */
  private rule(rule: PlacedRule): void {
    const s = this.scale;
    const length = Math.hypot(rule.x2 - rule.x1, rule.y2 - rule.y1);
    if (length === 0) return;
    const half = Math.max(rule.width, 1 / s) / 2;
    const nx = (-(rule.y2 - rule.y1) / length) * half;
    const ny = ((rule.x2 - rule.x1) / length) * half;
    this.raster.polygon([(rule.x1 + nx) * s, (rule.y1 + ny) * s, (rule.x2 + nx) * s, (rule.y2 + ny) * s, (rule.x2 - nx) * s, (rule.y2 - ny) * s, (rule.x1 - nx) * s, (rule.y1 - ny) * s]);
    this.raster.paint(parseColor(rule.color));
  }

  private lines(lines: readonly PlacedLine[]): void {
    for (const line of lines) for (const fragment of line.fragments) this.fragment(line, fragment);
  }

  /**
   * A fragment's glyphs where pdfkit puts them (render.ts's drawFragment): each glyph
   * advances by its shaped advance and the letter spacing (PDF Tc); with word spacing,
   * pdfkit sets each word apart and adds a space, the letter spacing and the word
   * spacing after it; horizontal scaling (Tz) scales all of it and the glyphs.
   */
  private fragment(line: PlacedLine, fragment: PlacedLine['fragments'][number]): void {
    const font = this.fonts.byName(fontName(fragment.font));
    const size = fragment.size;
    const perUnit = size / font.unitsPerEm;
    const letterSpacing = fragment.letterSpacing ?? 0;
    const stretch = fragment.scale ?? 1;
    const s = this.scale;
    const xScale = perUnit * stretch * s;
    const yScale = perUnit * s;
    const scale = maskScale(xScale, yScale);
    const baseline = (line.baseline - (fragment.rise ?? 0)) * s;
    let x = line.x + fragment.dx;
    const words = fragment.wordSpacing ? fragment.text.trim().split(/\s+/) : [fragment.text];
    const afterWord = fragment.wordSpacing ? this.layout(font, ' ').advanceWidth * perUnit + letterSpacing + fragment.wordSpacing : 0;
    for (const word of words) {
      const { glyphs, positions } = this.layout(font, word);
      for (let i = 0; i < glyphs.length; i++) {
        const position = positions[i]!;
        const gx = (x - line.x - fragment.dx) * stretch + line.x + fragment.dx;
        this.glyph(glyphs[i]!, gx * s + position.xOffset * xScale, baseline - position.yOffset * yScale, scale);
        x += position.xAdvance * perUnit + letterSpacing;
      }
      x += afterWord;
    }
    this.raster.paint(parseColor(fragment.color));
  }

  /** Each font's runs of this page by text: a page's words repeat ("the", "of", a name), and fontkit lays out each anew. */
  private readonly runs = new Map<fontkit.Font, Map<string, fontkit.GlyphRun>>();

  private layout(font: fontkit.Font, text: string): fontkit.GlyphRun {
    let byText = this.runs.get(font);
    if (!byText) this.runs.set(font, (byText = new Map()));
    let run = byText.get(text);
    if (!run) byText.set(text, (run = font.layout(text)));
    return run;
  }

  /** A glyph with its origin at pixel (x, y): its mask for that place within a pixel, stamped. */
  private glyph(glyph: fontkit.Glyph, x: number, y: number, scale: MaskScale): void {
    const ix = Math.floor(x);
    const iy = Math.floor(y);
    const mask = maskOf(glyph, scale, Math.floor((x - ix) * X_PHASES), Math.floor((y - iy) * Y_PHASES));
    if (mask.width > 0) this.raster.stamp(mask.coverage, mask.width, ix + mask.left, iy + mask.top);
  }

  /**
   * The chart or image, drawn by node-canvas into the figure's pixels and laid over
   * the page: a chart from its preview (the chart stage's own drawing in pixels, at
   * twice this scale), any other SVG by librsvg. An SVG keeps its aspect ratio,
   * centred in the box (as svg-to-pdfkit draws it: xMidYMid meet); a raster image
   * fills the box.
   */
  private async figure(item: Extract<PlacedItem, { kind: 'figure' }>): Promise<void> {
    const { chart, image } = item.figure;
    const svg = chart ? chart.svg : image?.format === 'svg' ? image.bytes.toString('utf8') : undefined;
    if (svg === undefined && !image) return;
    const s = this.scale;
    const { x, y, width, height } = svg === undefined ? item.chart : chart ? meetBox(item.chart, chart.widthPt, chart.heightPt) : meetBox(item.chart, image!.width, image!.height);
    const left = Math.floor(x * s);
    const top = Math.floor(y * s);
    const pixelsWide = Math.ceil((x + width) * s) - left;
    const pixelsHigh = Math.ceil((y + height) * s) - top;
    if (pixelsWide <= 0 || pixelsHigh <= 0) return;
    this.canvas ??= await import('canvas');
    const { createCanvas, createImageData, Image } = this.canvas;
    const canvas = createCanvas(pixelsWide, pixelsHigh);
    const context = canvas.getContext('2d');
    try {
      let picture: InstanceType<typeof Image> | ReturnType<typeof createCanvas>;
      if (chart?.preview) {
        const { rgba, width: w, height: h } = chart.preview;
        picture = createCanvas(w, h);
        picture.getContext('2d').putImageData(createImageData(rgba, w, h), 0, 0);
      } else {
        picture = new Image();
        picture.src = svg !== undefined ? Buffer.from(svg) : image!.bytes;
      }
      context.drawImage(picture, x * s - left, y * s - top, width * s, height * s);
    } catch {
      // A picture the PDF could embed but librsvg or the canvas's decoders refuse: the
      // thumbnail shows a grey box in its place rather than failing a brief that built.
      context.fillStyle = '#d5d9de';
      context.fillRect(x * s - left, y * s - top, width * s, height * s);
    }
    this.raster.composite(context.getImageData(0, 0, pixelsWide, pixelsHigh).data, left, top, pixelsWide, pixelsHigh);
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
  const { colours, used } = quantize(rgba, width * height);
  const { index, palette } = paletteOf(used);
  const indexed = palette.length <= 256 * 3;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel or index
  header[9] = indexed ? 3 : 2; // colour type: palette or RGB; compression, filter and interlace stay 0
  const raw = indexed ? indexedRows(colours, index, width, height) : rgbRows(colours, width, height);
  // Runs of one index make most of a page: run-length matching packs it as tight as a full search, ten times sooner.
  const deflate: zlib.ZlibOptions = indexed ? { level: 9, strategy: zlib.constants.Z_RLE } : { level: 9 };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    ...(indexed ? [chunk('PLTE', Uint8Array.from(palette))] : []),
    chunk('IDAT', zlib.deflateSync(raw, deflate)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

// The pixel loops are functions of their own, and small: encodePng runs once a brief,
// so V8 optimised it mid-loop and then again whole, ~20-40 ms of its compiler each
// time in every batch worker, for a function that takes under a millisecond.

/** Each pixel's colour as three 4-bit levels, 0xRGB, and which of the 4,096 occur. */
function quantize(rgba: Uint8Array | Uint8ClampedArray, pixels: number): { colours: Uint16Array; used: Uint8Array } {
  const colours = new Uint16Array(pixels);
  const used = new Uint8Array(4096);
  for (let p = 0, i = 0; p < pixels; p++, i += 4) {
    const colour = (LEVEL[rgba[i]!]! << 8) | (LEVEL[rgba[i + 1]!]! << 4) | LEVEL[rgba[i + 2]!]!;
    colours[p] = colour;
    used[colour] = 1;
  }
  return { colours, used };
}

/** The colours that occur, in colour order, and each one's place among them (an index that fits a byte while there are at most 256). */
function paletteOf(used: Uint8Array): { index: Uint8Array; palette: number[] } {
  const index = new Uint8Array(4096);
  const palette: number[] = [];
  for (let colour = 0; colour < 4096; colour++) {
    if (used[colour] === 0) continue;
    index[colour] = palette.length / 3;
    palette.push((colour >> 8) * 17, ((colour >> 4) & 15) * 17, (colour & 15) * 17);
  }
  return { index, palette };
}

/** Each row: filter type 0 (none, which the PNG specification advises for indexed images), then an index a pixel. */
function indexedRows(colours: Uint16Array, index: Uint8Array, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0, o = 0, p = 0; y < height; y++) {
    raw[o++] = 0;
    for (let x = 0; x < width; x++) raw[o++] = index[colours[p++]!]!;
  }
  return raw;
}

/** Each row: filter type 1 (sub: the difference from the pixel to the left), which suits a photograph. */
function rgbRows(colours: Uint16Array, width: number, height: number): Buffer {
  const stride = width * 3;
  const raw = Buffer.alloc((stride + 1) * height);
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
  return raw;
}

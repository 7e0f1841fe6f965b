// A small anti-aliased rasterizer for the catalog's thumbnail: filled outlines
// (glyphs, rectangles, rules) painted in one colour at a time onto white RGB
// pixels, and pictures composited over them. Coverage is exact area coverage,
// accumulated per pixel from the signed area each outline edge sweeps (the method
// of font-rs and stb_truetype's v2 rasterizer): no hinting, no font engine and no
// native canvas, so the same shapes give the same pixels on every machine, and a
// page of tiny glyphs costs a few milliseconds.
//
// Outlines are filled by the non-zero rule with coverage capped at 1, which is how
// a glyph's overlapping contours (TrueType composites) and touching glyphs paint.

import { hexColor, type Rgb } from '../core/color.ts';

export type { Rgb };

export class Raster {
  /** RGBA, opaque, starting white. */
  readonly pixels: Uint8ClampedArray;
  /** Signed area per pixel, one spare column on the right for edges that end there. */
  private readonly area: Float32Array;
  /** Coverage stamped by masks (stamp), painted with the outlines. */
  private readonly stamped: Float32Array;
  private readonly stride: number;
  /** Rows and columns the outlines since the last paint touched. */
  private top = Infinity;
  private bottom = -Infinity;
  private left = Infinity;
  private right = -Infinity;

  /** `paintable` false: only outlines and takeMask, for a glyph's mask (no pixels to paint on). */
  constructor(
    readonly width: number,
    readonly height: number,
    paintable = true,
  ) {
    this.pixels = paintable ? new Uint8ClampedArray(width * height * 4).fill(255) : new Uint8ClampedArray(0);
    this.stride = width + 2;
    this.area = new Float32Array(this.stride * height);
    this.stamped = new Float32Array(paintable ? width * height : 0);
  }

  /**
   * The coverage the outlines added since the last paint, row by row, `width` a row,
   * and clears them: a glyph drawn once as a mask and stamped wherever it recurs.
   */
  takeMask(): Float32Array {
    const { area, stride, width, height } = this;
    const mask = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      let sum = 0;
      for (let x = 0; x < width; x++) {
        sum += area[y * stride + x]!;
        const cover = sum < 0 ? -sum : sum;
        mask[y * width + x] = cover > 1 ? 1 : cover;
      }
    }
    area.fill(0);
    this.top = this.left = Infinity;
    this.bottom = this.right = -Infinity;
    return mask;
  }

  /** Adds a mask of `maskWidth` columns (takeMask's) with its top left pixel at (left, top), to be painted with the outlines. */
  stamp(mask: Float32Array, maskWidth: number, left: number, top: number): void {
    const maskHeight = mask.length / maskWidth;
    const x0 = left < 0 ? 0 : left;
    const y0 = top < 0 ? 0 : top;
    const x1 = Math.min(this.width, left + maskWidth);
    const y1 = Math.min(this.height, top + maskHeight);
    if (x0 >= x1 || y0 >= y1) return;
    const { stamped, width } = this;
    for (let y = y0; y < y1; y++) {
      const from = (y - top) * maskWidth - left;
      const row = y * width;
      for (let x = x0; x < x1; x++) stamped[row + x]! += mask[from + x]!;
    }
    if (y0 < this.top) this.top = y0;
    if (y1 > this.bottom) this.bottom = y1;
    if (x0 < this.left) this.left = x0;
    if (x1 > this.right) this.right = x1;
  }

  /** Adds the closed polygon's edges; `points` are x, y pairs in pixels. */
  polygon(points: ArrayLike<number>): void {
    const n = points.length;
    if (n < 6) return;
    let px = points[n - 2]!;
    let py = points[n - 1]!;
    for (let i = 0; i < n; i += 2) {
      const x = points[i]!;
      const y = points[i + 1]!;
      this.edge(px, py, x, y);
      px = x;
      py = y;
    }
  }

  /** An axis-aligned rectangle in pixels. */
  rect(x: number, y: number, width: number, height: number): void {
    this.edge(x, y, x, y + height);
    this.edge(x + width, y + height, x + width, y);
  }

  /** One edge of an outline, from (x0, y0) to (x1, y1). Only the edges' y extents and direction matter to the area. */
  edge(x0: number, y0: number, x1: number, y1: number): void {
    // Written for V8's interpreter as much as its compilers: the CLI runs without the
    // optimising one (pipeline/launch.mjs), and a page is some 100,000 edges.
    if (y0 === y1) return;
    // Clamped to the raster: an edge left of it still shades every pixel to its right, and
    // one right of it shades none. An edge that crosses a side is cut there first.
    const w = this.width;
    const crossesLeft = (x0 < 0 && x1 > 0) || (x1 < 0 && x0 > 0);
    if (crossesLeft || (x0 > w && x1 < w) || (x1 > w && x0 < w)) {
      const side = crossesLeft ? 0 : w;
      const y = y0 + ((side - x0) * (y1 - y0)) / (x1 - x0);
      this.edge(x0, y0, side, y);
      this.edge(side, y, x1, y1);
      return;
    }
    if (x0 < 0) x0 = 0;
    else if (x0 > w) x0 = w;
    if (x1 < 0) x1 = 0;
    else if (x1 > w) x1 = w;
    let dir = 1;
    if (y0 > y1) {
      dir = -1;
      const tx = x0;
      const ty = y0;
      x0 = x1;
      y0 = y1;
      x1 = tx;
      y1 = ty;
    }
    const first = y0 < 0 ? 0 : Math.floor(y0);
    const end = y1 > this.height ? this.height : Math.ceil(y1);
    if (first >= end) return;
    if (first < this.top) this.top = first;
    if (end > this.bottom) this.bottom = end;
    const lo = x0 < x1 ? x0 : x1;
    const hi = x0 < x1 ? x1 : x0;
    if (lo < this.left) this.left = Math.floor(lo);
    if (hi + 1 > this.right) this.right = Math.ceil(hi) + 1;
    const area = this.area;
    const stride = this.stride;
    const dxdy = (x1 - x0) / (y1 - y0);
    let x = y0 < first ? x0 + (first - y0) * dxdy : x0;
    for (let y = first; y < end; y++) {
      const row = y * stride;
      const dy = (y + 1 < y1 ? y + 1 : y1) - (y > y0 ? y : y0);
      const xNext = x + dxdy * dy;
      const d = dy * dir;
      const a = x < xNext ? x : xNext;
      const b = x < xNext ? xNext : x;
      const aFloor = Math.floor(a);
      const bCeil = Math.ceil(b);
      if (bCeil <= aFloor + 1) {
        // Within one pixel: the part of the edge's area left of its middle goes to that pixel, the rest to the next.
        const middle = 0.5 * (x + xNext) - aFloor;
        area[row + aFloor]! += d - d * middle;
        area[row + aFloor + 1]! += d * middle;
      } else {
        // Across several pixels: each gets the triangle or trapezoid of area the edge sweeps over it.
        const s = 1 / (b - a);
        const aFrac = a - aFloor;
        const a0 = 0.5 * s * (1 - aFrac) * (1 - aFrac);
        const bFrac = b - bCeil + 1;
        const am = 0.5 * s * bFrac * bFrac;
        area[row + aFloor]! += d * a0;
        if (bCeil === aFloor + 2) {
          area[row + aFloor + 1]! += d * (1 - a0 - am);
        } else {
          const a1 = s * (1.5 - aFrac);
          area[row + aFloor + 1]! += d * (a1 - a0);
          for (let xi = aFloor + 2; xi < bCeil - 1; xi++) area[row + xi]! += d * s;
          const a2 = a1 + (bCeil - aFloor - 3) * s;
          area[row + bCeil - 1]! += d * (1 - a2 - am);
        }
        area[row + bCeil]! += d * am;
      }
      x = xNext;
    }
  }

  /** Paints what the outlines added since the last paint cover, in `color`, and clears them. */
  paint(color: Rgb): void {
    if (this.top >= this.bottom) return;
    const [r, g, b] = color;
    const { area, stamped, pixels, stride, width } = this;
    const left = Math.max(0, this.left);
    const right = Math.min(width, this.right);
    for (let y = this.top; y < this.bottom; y++) {
      const row = y * stride;
      let sum = 0;
      // Everything left of the touched columns summed to nothing: outlines are closed.
      for (let x = left; x < right; x++) {
        sum += area[row + x]!;
        area[row + x] = 0;
        let cover = (sum < 0 ? -sum : sum) + stamped[y * width + x]!;
        stamped[y * width + x] = 0;
        if (cover < 1 / 512) continue;
        if (cover > 1) cover = 1;
        const p = (y * width + x) * 4;
        pixels[p] = pixels[p]! + (r - pixels[p]!) * cover;
        pixels[p + 1] = pixels[p + 1]! + (g - pixels[p + 1]!) * cover;
        pixels[p + 2] = pixels[p + 2]! + (b - pixels[p + 2]!) * cover;
      }
      for (let x = right; x < Math.min(stride, this.right + 1); x++) area[row + x] = 0;
    }
    this.top = this.left = Infinity;
    this.bottom = this.right = -Infinity;
  }

  /** RGBA pixels of a picture laid over this raster at (x, y), their alpha respected. */
  composite(rgba: Uint8ClampedArray | Uint8Array, x: number, y: number, width: number, height: number): void {
    const { pixels } = this;
    for (let row = 0; row < height; row++) {
      const ty = y + row;
      if (ty < 0 || ty >= this.height) continue;
      for (let col = 0; col < width; col++) {
        const tx = x + col;
        if (tx < 0 || tx >= this.width) continue;
        const s = (row * width + col) * 4;
        const alpha = rgba[s + 3]! / 255;
        if (alpha === 0) continue;
        const p = (ty * this.width + tx) * 4;
        for (let c = 0; c < 3; c++) pixels[p + c] = pixels[p + c]! + (rgba[s + c]! - pixels[p + c]!) * alpha;
      }
    }
  }
}

/** A colour's channels; black for anything but `#RRGGBB` or `#RGB` (every colour the theme and briefs give is validated as `#RRGGBB`). */
export function parseColor(color: string): Rgb {
  return hexColor(color) ?? [0, 0, 0];
}

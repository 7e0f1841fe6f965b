// Whether a PNG holds all of its pixel rows. pngjs allocates the whole image before it
// inflates the data and does not say when the data runs out: a PNG whose IDAT is an
// empty zlib stream decodes "fine" (rows of whatever the buffer held) and prints blank,
// or fails with a random "Unrecognised filter type", depending on that memory. So the
// inflated length is checked against what the header promises, as the PNG spec defines
// it: per row, one filter byte and the row's packed samples; per Adam7 pass for an
// interlaced image.
import zlib from 'node:zlib';

/** Samples per pixel of each PNG colour type (grey, RGB, palette, grey + alpha, RGBA). */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Adam7 passes: the first column and row of each, and the step between them. */
const ADAM7 = [
  { x: 0, y: 0, dx: 8, dy: 8 },
  { x: 4, y: 0, dx: 8, dy: 8 },
  { x: 0, y: 4, dx: 4, dy: 8 },
  { x: 2, y: 0, dx: 4, dy: 4 },
  { x: 0, y: 2, dx: 2, dy: 4 },
  { x: 1, y: 0, dx: 2, dy: 2 },
  { x: 0, y: 1, dx: 1, dy: 2 },
] as const;

/** The rows the data must hold, each as its length in bytes (filter byte included), in stored order. */
function rowLengths(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number[] {
  const rowBytes = (w: number) => 1 + Math.ceil((w * bitsPerPixel) / 8);
  if (!interlaced) return new Array<number>(height).fill(rowBytes(width));
  const rows: number[] = [];
  for (const pass of ADAM7) {
    const w = Math.ceil((width - pass.x) / pass.dx);
    const h = Math.ceil((height - pass.y) / pass.dy);
    // A pass with no pixels (an image narrower or shorter than the pass's first one) stores nothing.
    if (w > 0 && h > 0) for (let r = 0; r < h; r++) rows.push(rowBytes(w));
  }
  return rows;
}

/**
 * Why a PNG's pixel data is short ("its pixel data ends after N of M rows"), or undefined
 * when it is whole or when its chunks or zlib stream are broken in some other way: the
 * decoder reports those in its own words.
 */
export function pngRowsMissing(bytes: Buffer): string | undefined {
  let header: { width: number; height: number; bitsPerPixel: number; interlaced: boolean } | undefined;
  const data: Buffer[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (body.length < length) return undefined;
    if (type === 'IHDR' && length >= 13) {
      const channels = CHANNELS[body[9]!];
      if (channels === undefined) return undefined;
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitsPerPixel: channels * body[8]!, interlaced: body[12] === 1 };
    } else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!header || data.length === 0) return undefined;
  const rows = rowLengths(header.width, header.height, header.bitsPerPixel, header.interlaced);
  const expected = rows.reduce((sum, row) => sum + row, 0);
  let inflated: number;
  try {
    // Inflating no further than the image needs keeps a stream that would expand past
    // it (trailing junk, or a bomb behind a small header) from being held in memory.
    inflated = zlib.inflateSync(Buffer.concat(data), { maxOutputLength: Math.max(1, expected) }).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    // A truncated zlib stream: how much of it inflates still says how many rows there are.
    try {
      inflated = zlib.inflateSync(Buffer.concat(data), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, expected) }).length;
    } catch {
      return undefined;
    }
  }
  if (inflated >= expected) return undefined;
  let whole = 0;
  for (let sum = 0; whole < rows.length && sum + rows[whole]! <= inflated; whole++) sum += rows[whole]!;
  return `its pixel data ends after ${whole} of ${rows.length} rows`;
}

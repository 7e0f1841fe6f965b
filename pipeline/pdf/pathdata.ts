// SVG path data as PDF path construction operators, for the two kinds of path the
// PDF draws itself: cairo's chart paths (pdf/chartsvg.ts) and fontkit's glyph
// outlines of the running header and footer (pdf/outline.ts). Both write absolute
// commands with plain numbers, which are copied as written; a quadratic curve (the
// glyphs') becomes the cubic it exactly is. Anything else is refused, and the
// caller hands the path to a general reader.

const COMMAND = /([MLQCZ])([^MLQCZ]*)/g;
/** A number as SVG and PDF both read it: no exponent, which PDF has not. */
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const ARGUMENTS: Readonly<Record<string, number>> = { M: 2, L: 2, Q: 4, C: 6, Z: 0 };

/** A number worked out here (a quadratic's cubic control points): two decimals, a hundredth of a point. */
const pdfNumber = (n: number): string => String(Math.round(n * 100) / 100);

/** Absolute M, L, Q, C and Z path data as PDF operators (m, l, c, h), one a line; undefined for anything else. */
export function pdfPathOperators(data: string): string | undefined {
  const out: string[] = [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  let consumed = 0;
  for (const match of data.matchAll(COMMAND)) {
    if (match.index !== consumed) return undefined;
    consumed += match[0].length;
    const command = match[1]!;
    const text = match[2]!.trim();
    const values = text === '' ? [] : text.split(/[\s,]+/);
    if (values.length !== ARGUMENTS[command] || !values.every((v) => NUMBER.test(v))) return undefined;
    const a = values.map(Number);
    switch (command) {
      case 'M':
        [x, y] = [a[0]!, a[1]!];
        [startX, startY] = [x, y];
        out.push(`${values.join(' ')} m`);
        break;
      case 'L':
        [x, y] = [a[0]!, a[1]!];
        out.push(`${values.join(' ')} l`);
        break;
      case 'Q': {
        // The cubic through the same points: each control point two thirds of the way from an end to the quadratic's.
        const [qx, qy, ex, ey] = a as [number, number, number, number];
        out.push(`${[x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y), ex + (2 / 3) * (qx - ex), ey + (2 / 3) * (qy - ey)].map(pdfNumber).join(' ')} ${values[2]} ${values[3]} c`);
        [x, y] = [ex, ey];
        break;
      }
      case 'C':
        out.push(`${values.join(' ')} c`);
        [x, y] = [a[4]!, a[5]!];
        break;
      case 'Z':
        out.push('h');
        [x, y] = [startX, startY];
        break;
    }
  }
  if (consumed !== data.length || out.length === 0) return undefined;
  return out.join('\n');
}

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

const OPERATOR: Readonly<Record<string, string>> = { M: 'm', L: 'l', C: 'c' };
const isDigit = (unit: number) => unit >= 0x30 && unit <= 0x39;
/** Space, tab, line feed, carriage return, form feed, vertical tab. */
const isSpace = (unit: number) => unit === 0x20 || (unit >= 0x09 && unit <= 0x0d);

/**
 * Absolute M, L, Q, C and Z path data as PDF operators (m, l, c, h), one a line;
 * undefined for anything else. Read by a scanner that copies each number as written
 * (a brief's charts hold ~110 kB of path data: the regular expressions below took
 * 2.3 ms a brief to read it, the scanner 1.2 ms);
 * whatever it is not sure of, it hands to them.
 */
export function pdfPathOperators(data: string): string | undefined {
  const n = data.length;
  if (n === 0) return undefined;
  // Lines joined at the end: the result is one flat string, not a tree of concatenations (callers keep it).
  const lines: string[] = [];
  // The current point and the subpath's start as written: numbers only when a quadratic needs them.
  let x = '0';
  let y = '0';
  let startX = '0';
  let startY = '0';
  // A command's numbers as written. Kept in strings and read one by one, not split,
  // mapped and destructured: an array of numbers changes its elements kind between
  // whole and fractional numbers, and each change threw V8's optimised code away.
  const values: string[] = ['', '', '', '', '', ''];
  let i = 0;
  while (i < n) {
    const command = data[i++]!;
    if (!Object.hasOwn(ARGUMENTS, command)) return pdfPathOperatorsByPattern(data);
    const expected = ARGUMENTS[command]!;
    while (i < n && isSpace(data.charCodeAt(i))) i++;
    // Numbers, each -?digits(.digits)?, apart by spaces and commas; only spaces after the last.
    let line = '';
    let count = 0;
    while (i < n && !Object.hasOwn(ARGUMENTS, data[i]!)) {
      const start = i;
      if (data.charCodeAt(i) === 0x2d) i++;
      const digits = i;
      while (i < n && isDigit(data.charCodeAt(i))) i++;
      if (i === digits) return pdfPathOperatorsByPattern(data);
      if (i < n && data.charCodeAt(i) === 0x2e) {
        const fraction = ++i;
        while (i < n && isDigit(data.charCodeAt(i))) i++;
        if (i === fraction) return pdfPathOperatorsByPattern(data);
      }
      const value = data.slice(start, i);
      if (count < values.length) values[count] = value;
      line = count++ === 0 ? value : `${line} ${value}`;
      let comma = false;
      const separator = i;
      // Read only below n: a character past the end is out of bounds, which also costs the optimised code.
      while (i < n) {
        const unit = data.charCodeAt(i);
        if (unit === 0x2c) comma = true;
        else if (!isSpace(unit)) break;
        i++;
      }
      const ended = i === n || Object.hasOwn(ARGUMENTS, data[i]!);
      // A comma with no number after it, or two numbers run together: the patterns decide.
      if ((ended && comma) || (!ended && i === separator)) return pdfPathOperatorsByPattern(data);
    }
    if (count !== expected) return undefined;
    if (command === 'Q') {
      // The cubic through the same points: each control point two thirds of the way from an end to the quadratic's.
      const px = Number(x);
      const py = Number(y);
      const qx = Number(values[0]);
      const qy = Number(values[1]);
      const ex = Number(values[2]);
      const ey = Number(values[3]);
      const first = `${pdfNumber(px + (2 / 3) * (qx - px))} ${pdfNumber(py + (2 / 3) * (qy - py))}`;
      lines.push(`${first} ${pdfNumber(ex + (2 / 3) * (qx - ex))} ${pdfNumber(ey + (2 / 3) * (qy - ey))} ${values[2]} ${values[3]} c`);
    } else if (command === 'Z') lines.push('h');
    else lines.push(`${line} ${OPERATOR[command]!}`);
    if (command === 'Z') {
      x = startX;
      y = startY;
    } else {
      // Every other command ends at its last two numbers.
      x = values[expected - 2]!;
      y = values[expected - 1]!;
    }
    if (command === 'M') {
      startX = x;
      startY = y;
    }
  }
  return lines.join('\n');
}

/** The same as pdfPathOperators, by regular expressions: the reference for what its scanner is not sure of. */
export function pdfPathOperatorsByPattern(data: string): string | undefined {
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

// The running header and footer are drawn as glyph outlines (pdf/layout.ts says
// why), the same text on every page: FontBook.outline gives each as SVG path data,
// kept. pdfkit's `path()` parsed that string again on every page (~5 ms and ~4 MB of
// garbage a brief), wrote the same path into every page, and drew each quadratic
// curve of these TrueType outlines as a cubic whose first control point is the
// current point: not the same curve. Here each text and colour becomes one form
// XObject of the document, its path data turned into PDF operators once (each
// quadratic the cubic it exactly is), and a page draws it with `Do`.

/** Operators by path data; a brief has a few texts of furniture, a batch a few per brief. */
const operatorsByPath = new Map<string, string>();
const KEPT = 1000;

const COMMAND = /([MLQCZ])([^MLQCZ]*)/g;
const NUMBER = /^-?\d+(?:\.\d+)?(?:e-?\d+)?$/;
const ARGUMENTS: Readonly<Record<string, number>> = { M: 2, L: 2, Q: 4, C: 6, Z: 0 };

/** A number as PDF writes it: at most two decimals (a hundredth of a point, as fontkit writes the path), never an exponent. */
const pdfNumber = (n: number): string => String(Math.round(n * 100) / 100);

/**
 * Absolute path data (M, L, Q, C and Z, as fontkit's Path.toSVG writes it) as PDF
 * path construction operators, or undefined for anything else.
 */
export function outlineOperators(path: string): string | undefined {
  const known = operatorsByPath.get(path);
  if (known !== undefined) return known;
  const out: string[] = [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  let consumed = 0;
  for (const match of path.matchAll(COMMAND)) {
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
        out.push(`${pdfNumber(x)} ${pdfNumber(y)} m`);
        break;
      case 'L':
        [x, y] = [a[0]!, a[1]!];
        out.push(`${pdfNumber(x)} ${pdfNumber(y)} l`);
        break;
      case 'Q': {
        // The cubic through the same points: each control point two thirds of the way from an end to the quadratic's.
        const [qx, qy, ex, ey] = a as [number, number, number, number];
        out.push([x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y), ex + (2 / 3) * (qx - ex), ey + (2 / 3) * (qy - ey), ex, ey].map(pdfNumber).join(' ') + ' c');
        [x, y] = [ex, ey];
        break;
      }
      case 'C':
        out.push(`${a.map(pdfNumber).join(' ')} c`);
        [x, y] = [a[4]!, a[5]!];
        break;
      case 'Z':
        out.push('h');
        [x, y] = [startX, startY];
        break;
    }
  }
  if (consumed !== path.length || out.length === 0) return undefined;
  const operators = out.join('\n');
  if (operatorsByPath.size >= KEPT) operatorsByPath.clear();
  operatorsByPath.set(path, operators);
  return operators;
}

interface OutlineForm {
  readonly name: string;
  readonly ref: PDFKit.PDFKitReference;
}

/** Each document's forms, by path data and colour. */
const formsByDocument = new WeakMap<PDFKit.PDFDocument, Map<string, OutlineForm>>();

/**
 * Fills `path` (y down, its origin where the current transform puts it) in `color`
 * (#RRGGBB) as a form XObject shared by every page that draws the same; false, with
 * nothing drawn, for path data or a colour it does not read.
 */
export function drawOutlineForm(doc: PDFKit.PDFDocument, path: string, color: string): boolean {
  let forms = formsByDocument.get(doc);
  if (!forms) formsByDocument.set(doc, (forms = new Map()));
  const key = `${color}\u0000${path}`;
  let form = forms.get(key);
  if (!form) {
    const operators = outlineOperators(path);
    const rgb = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
    if (operators === undefined || !rgb) return false;
    // The path's points, control points included, bound its curves.
    const values = path.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)!.map(Number);
    const xs = values.filter((_, i) => i % 2 === 0);
    const ys = values.filter((_, i) => i % 2 === 1);
    const bbox = [Math.floor(Math.min(...xs)) - 1, Math.floor(Math.min(...ys)) - 1, Math.ceil(Math.max(...xs)) + 1, Math.ceil(Math.max(...ys)) + 1];
    const fill = [rgb[1], rgb[2], rgb[3]].map((hex) => String(Math.round((parseInt(hex!, 16) / 255) * 10000) / 10000)).join(' ');
    const ref = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: bbox });
    ref.end(`${fill} rg\n${operators}\nf`);
    form = { name: `Outline${forms.size + 1}`, ref };
    forms.set(key, form);
  }
  // A page lists the forms it draws among its resources.
  (doc.page as unknown as { xobjects: Record<string, PDFKit.PDFKitReference> }).xobjects[form.name] = form.ref;
  doc.addContent(`/${form.name} Do`);
  return true;
}

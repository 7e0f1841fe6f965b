// The running header and footer are drawn as glyph outlines (pdf/layout.ts says
// why), the same text on every page: FontBook.outline gives each as SVG path data,
// kept. pdfkit's `path()` parsed that string again on every page (~5 ms and ~4 MB of
// garbage a brief), wrote the same path into every page, and drew each quadratic
// curve of these TrueType outlines as a cubic whose first control point is the
// current point: not the same curve. Here each text and colour becomes one form
// XObject of the document, its path data turned into PDF operators once (each
// quadratic the cubic it exactly is), and a page draws it with `Do`.
import { hexColor } from '../core/color.ts';
import { pdfPathOperators } from './pathdata.ts';

/** Operators by path data; a brief has a few texts of furniture, a batch a few per brief. */
const operatorsByPath = new Map<string, string>();
const KEPT = 1000;

/** Absolute path data (as fontkit's Path.toSVG writes it) as PDF path operators, kept; undefined for anything else. */
export function outlineOperators(path: string): string | undefined {
  const known = operatorsByPath.get(path);
  if (known !== undefined) return known;
  const operators = pdfPathOperators(path);
  if (operators === undefined) return undefined;
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
    const rgb = hexColor(color);
    if (operators === undefined || !rgb) return false;
    // The path's points, control points included, bound its curves.
    const values = path.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)!.map(Number);
    const xs = values.filter((_, i) => i % 2 === 0);
    const ys = values.filter((_, i) => i % 2 === 1);
    const bbox = [Math.floor(Math.min(...xs)) - 1, Math.floor(Math.min(...ys)) - 1, Math.ceil(Math.max(...xs)) + 1, Math.ceil(Math.max(...ys)) + 1];
    const fill = rgb.map((channel) => String(Math.round((channel / 255) * 10000) / 10000)).join(' ');
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

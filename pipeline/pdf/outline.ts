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

/** Each document's forms, by colour, then path data (two maps: no joined key to build for every letter of a chart). */
const formsByDocument = new WeakMap<PDFKit.PDFDocument, Map<string, Map<string, OutlineForm>>>();

/**
 * The name of the form XObject that fills `path` (y down, its origin where the
 * current transform puts it) in `color` (#RRGGBB), made on first use and listed
 * among the current page's resources; undefined for path data or a colour it does
 * not read. The caller draws it with `/name Do`.
 */
export function outlineForm(doc: PDFKit.PDFDocument, path: string, color: string): string | undefined {
  let byColor = formsByDocument.get(doc);
  if (!byColor) formsByDocument.set(doc, (byColor = new Map()));
  let forms = byColor.get(color);
  if (!forms) byColor.set(color, (forms = new Map()));
  let form = forms.get(path);
  if (!form) {
    const operators = outlineOperators(path);
    const rgb = hexColor(color);
    if (operators === undefined || !rgb) return undefined;
    // The path's points, control points included, bound its curves.
    const values = path.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)!.map(Number);
    const xs = values.filter((_, i) => i % 2 === 0);
    const ys = values.filter((_, i) => i % 2 === 1);
    const bbox = [Math.floor(Math.min(...xs)) - 1, Math.floor(Math.min(...ys)) - 1, Math.ceil(Math.max(...xs)) + 1, Math.ceil(Math.max(...ys)) + 1];
    const fill = rgb.map((channel) => String(Math.round((channel / 255) * 10000) / 10000)).join(' ');
    const ref = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: bbox });
    ref.end(`${fill} rg\n${operators}\nf`);
    let count = 0;
    for (const named of byColor.values()) count += named.size;
    form = { name: `Outline${count + 1}`, ref };
    forms.set(path, form);
  }
  // A page lists the forms it draws among its resources.
  (doc.page as unknown as { xobjects: Record<string, PDFKit.PDFKitReference> }).xobjects[form.name] = form.ref;
  return form.name;
}

/** Fills `path` in `color` through its form (outlineForm); false, with nothing drawn, for what that does not read. */
export function drawOutlineForm(doc: PDFKit.PDFDocument, path: string, color: string): boolean {
  const name = outlineForm(doc, path, color);
  if (name === undefined) return false;
  doc.addContent(`/${name} Do`);
  return true;
}

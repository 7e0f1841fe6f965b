// The running header and footer are drawn as glyph outlines (pdf/layout.ts says
// why), the same text on every page: FontBook.outline gives each as SVG path data,
// kept. pdfkit's `path()` parsed that string again on every page (~5 ms and ~4 MB of
// garbage a brief), wrote the same path into every page, and drew each quadratic
// curve of these TrueType outlines as a cubic whose first control point is the
// current point: not the same curve. Here each text and colour becomes one form
// XObject of the document, its path data turned into PDF operators once (each
// quadratic the cubic it exactly is), and a page draws it with `Do`.
import zlib from 'node:zlib';
import { hexColor } from '../core/color.ts';
import { RecentlyUsed } from '../core/recent.ts';
import { keptCopy } from '../core/zip.ts';
import { pdfPathOperators } from './pathdata.ts';

/** A path's operators and the box its points (control points included) bound. */
interface Outline {
  readonly operators: string;
  readonly bbox: readonly [number, number, number, number];
}

/** Outlines by path data; a brief has a few texts of furniture and its charts' glyphs, a batch a few per brief. */
const outlinesByPath = new Map<string, Outline>();
const KEPT = 1000;

function outlineOf(path: string): Outline | undefined {
  const known = outlinesByPath.get(path);
  if (known !== undefined) return known;
  const operators = pdfPathOperators(path);
  if (operators === undefined) return undefined;
  // Read number by number into plain variables: an array of them changed its elements
  // kind between whole and fractional numbers, which threw V8's optimised code away.
  const values = path.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)!;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  // pdfPathOperators read the data, so the numbers come in pairs (M and L two, Q four, C six).
  for (let i = 0; i + 1 < values.length; i += 2) {
    const x = Number(values[i]);
    const y = Number(values[i + 1]);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const outline = { operators, bbox: [Math.floor(minX) - 1, Math.floor(minY) - 1, Math.ceil(maxX) + 1, Math.ceil(maxY) + 1] as const };
  if (outlinesByPath.size >= KEPT) outlinesByPath.clear();
  outlinesByPath.set(path, outline);
  return outline;
}

/** Absolute path data (as fontkit's Path.toSVG writes it) as PDF path operators, kept; undefined for anything else. */
export function outlineOperators(path: string): string | undefined {
  return outlineOf(path)?.operators;
}

/**
 * A form's stream, deflated, by its text: the same glyph in the same colour is the same
 * stream in every chart of a batch (digits, the letters of axis labels), and pdfkit
 * deflated each form anew, ~28 µs a call on a few hundred bytes. Streams up to 4 kB
 * here, least recently used dropped first; larger ones in the memo below.
 */
const deflatedByText = new RecentlyUsed<string, Uint8Array>(512);
const DEFLATED_UP_TO = 4096;
/**
 * Larger streams, a few of them: a running header's or footer's outline (~18 kB of
 * operators) that is the same in every brief of a batch, such as a footer naming the
 * series. Half of these streams repeated over 30 synthetic briefs, ~0.6 ms of
 * deflating a brief. Kept: 16 of them, each up to 64 kB of text (about 1 MB of keys
 * at most, and their deflated bytes).
 */
const largeDeflatedByText = new RecentlyUsed<string, Uint8Array>(16);
const LARGE_DEFLATED_UP_TO = 65_536;

/** `text` as pdfkit writes a stream's string (Latin-1, a line feed after it), deflated as pdfkit deflates it. */
function deflatedStream(text: string): Uint8Array {
  const memo = text.length <= DEFLATED_UP_TO ? deflatedByText : text.length <= LARGE_DEFLATED_UP_TO ? largeDeflatedByText : undefined;
  const known = memo?.get(text);
  if (known) return known;
  const deflated = zlib.deflateSync(Buffer.from(`${text}\n`, 'latin1'));
  if (!memo) return deflated;
  const kept = keptCopy(deflated);
  memo.set(text, kept);
  return kept;
}

/** What this module sets on a pdfkit reference beyond its documented API (pdfkit's types do not declare them). */
interface StreamReference {
  compress: boolean;
  readonly data: Record<string, unknown>;
  write(chunk: Uint8Array): void;
  end(): void;
}

interface OutlineForm {
  readonly name: string;
  readonly ref: PDFKit.PDFKitReference;
}

/** A document's forms, by colour, then path data (two maps: no joined key to build for every letter of a chart), and how many it has. */
interface DocumentForms {
  readonly byColor: Map<string, Map<string, OutlineForm>>;
  count: number;
}

const formsByDocument = new WeakMap<PDFKit.PDFDocument, DocumentForms>();

/**
 * The name of the form XObject that fills `path` (y down, its origin where the
 * current transform puts it) in `color` (#RRGGBB), made on first use and listed
 * among the current page's resources; undefined for path data or a colour it does
 * not read. The caller draws it with `/name Do`.
 */
export function outlineForm(doc: PDFKit.PDFDocument, path: string, color: string): string | undefined {
  let documentForms = formsByDocument.get(doc);
  if (!documentForms) formsByDocument.set(doc, (documentForms = { byColor: new Map(), count: 0 }));
  let forms = documentForms.byColor.get(color);
  if (!forms) documentForms.byColor.set(color, (forms = new Map()));
  let form = forms.get(path);
  if (!form) {
    const outline = outlineOf(path);
    const rgb = hexColor(color);
    if (outline === undefined || !rgb) return undefined;
    const fill = rgb.map((channel) => String(Math.round((channel / 255) * 10000) / 10000)).join(' ');
    const ref = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [...outline.bbox] }) as unknown as StreamReference;
    const text = `${fill} rg\n${outline.operators}\nf`;
    if ((doc as unknown as { compress: boolean }).compress) {
      // The stream deflated here, kept; the dictionary as pdfkit writes it (its Length, then its Filter).
      ref.compress = false;
      ref.write(deflatedStream(text));
      ref.data['Filter'] = 'FlateDecode';
      ref.end();
    } else (ref as unknown as PDFKit.PDFKitReference).end(text);
    form = { name: `Outline${++documentForms.count}`, ref: ref as unknown as PDFKit.PDFKitReference };
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

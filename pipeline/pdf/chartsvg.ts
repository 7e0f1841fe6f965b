// A chart's SVG drawn straight into the PDF. The chart stage's SVG is what cairo's
// SVG surface writes for Chart.js (charts/charts.ts), in a vocabulary of seven
// elements: <svg>, <g> (optionally clipped), <defs>, <clipPath> and <path>, whose
// style is a fill and a stroke and whose data is absolute M, L, C and Z only; and
// for text, each glyph's outline once as a <symbol> in <defs>, each letter a <use>
// of it in a <g> that says its fill. A glyph becomes a form XObject of the document
// (pdf/outline.ts), drawn once a letter. svg-to-pdfkit reads any SVG, and spent some 20 ms on a
// chart parsing every number of its path data into objects; here the path data is
// rewritten as PDF path operators as it stands, under one transform that places the
// chart in its box: ~1 ms. An SVG with anything else in it (a user's figure, or a
// chart a later cairo writes otherwise) is left to svg-to-pdfkit: the whole SVG is
// read and checked before anything is drawn, so nothing is drawn twice.
import { rgbHex } from '../core/color.ts';
import { writeContent } from './content.ts';
import { outlineForm, outlineOperators } from './outline.ts';
import { pdfPathOperators } from './pathdata.ts';

export interface ChartBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

type Rgb = [number, number, number];

interface PaintStyle {
  readonly fill?: { readonly color: Rgb; readonly opacity: number; readonly evenOdd: boolean };
  readonly stroke?: {
    readonly color: Rgb;
    readonly opacity: number;
    readonly width: number;
    readonly cap: 'butt' | 'round' | 'square';
    readonly join: 'miter' | 'round' | 'bevel';
    readonly miterLimit: number;
    readonly dash?: readonly number[];
  };
}

/** A letter: its glyph's outline (path data, y down from the baseline) placed at x, y (as cairo wrote them: PDF has no exponents). */
interface GlyphUse {
  readonly outline: string;
  readonly x: string;
  readonly y: string;
}

type Step =
  | { readonly kind: 'path'; readonly operators: string; readonly style: PaintStyle }
  | { readonly kind: 'glyphs'; readonly color: string; readonly opacity: number; readonly uses: readonly GlyphUse[] }
  | { readonly kind: 'clip'; readonly operators: string; readonly evenOdd: boolean }
  | { readonly kind: 'group' }
  | { readonly kind: 'end' };

interface Drawing {
  readonly width: number;
  readonly height: number;
  readonly steps: readonly Step[];
}

/**
 * Draws `svg` into `box` (its aspect ratio kept, centred: svg-to-pdfkit's
 * xMidYMid meet, clipped to its viewport as svg-to-pdfkit clips it) and returns
 * true, or draws nothing and returns false when the SVG is not one cairo wrote.
 */
export function drawChartSvg(doc: PDFKit.PDFDocument, svg: string, box: ChartBox): boolean {
  const drawing = readCairoSvg(svg);
  if (!drawing) return false;
  const placed = meetBox(box, drawing.width, drawing.height);
  doc.save();
  doc.transform(placed.scale, 0, 0, placed.scale, placed.x, placed.y);
  doc.rect(0, 0, drawing.width, drawing.height).clip();
  const saved: boolean[] = [];
  for (const step of drawing.steps) {
    if (step.kind === 'group') saved.push(false);
    else if (step.kind === 'end') {
      if (saved.pop()) doc.restore();
    } else if (step.kind === 'clip') {
      // A clipped group: its clip lasts until the group ends.
      saved[saved.length - 1] = true;
      doc.save();
      writeContent(doc, step.operators);
      doc.clip(step.evenOdd ? 'even-odd' : 'non-zero');
    } else if (step.kind === 'glyphs') paintGlyphs(doc, step);
    else paintPath(doc, step.operators, step.style);
  }
  doc.restore();
  return true;
}

/**
 * Where a picture `width` × `height` lands in `box` as an SVG's xMidYMid meet puts
 * it (svg-to-pdfkit's too): scaled to fit whole, its aspect kept, centred.
 */
export function meetBox(box: ChartBox, width: number, height: number): ChartBox & { readonly scale: number } {
  const scale = Math.min(box.width / width, box.height / height);
  return { x: box.x + (box.width - width * scale) / 2, y: box.y + (box.height - height * scale) / 2, width: width * scale, height: height * scale, scale };
}

function paintGlyphs(doc: PDFKit.PDFDocument, { color, opacity, uses }: Extract<Step, { kind: 'glyphs' }>): void {
  if (uses.length === 0) return;
  doc.save();
  // The form fills in its own colour (set from the same value); the opacity is the page's graphics state's, which a form inherits.
  if (opacity < 1) doc.fillOpacity(opacity);
  const placed: string[] = [];
  for (const use of uses) {
    // readCairoSvg read every outline with outlineOperators, and wrote the colour: a form is always made.
    const name = outlineForm(doc, use.outline, color)!;
    placed.push(`q 1 0 0 1 ${use.x} ${use.y} cm /${name} Do Q`);
  }
  writeContent(doc, placed.join('\n'));
  doc.restore();
}

function paintPath(doc: PDFKit.PDFDocument, operators: string, { fill, stroke }: PaintStyle): void {
  // Each path in a graphics state of its own, so that no colour, opacity or dash leaks into the next.
  doc.save();
  if (fill) {
    doc.fillColor(fill.color);
    if (fill.opacity < 1) doc.fillOpacity(fill.opacity);
  }
  if (stroke) {
    doc.strokeColor(stroke.color);
    if (stroke.opacity < 1) doc.strokeOpacity(stroke.opacity);
    doc.lineWidth(stroke.width).lineCap(stroke.cap).lineJoin(stroke.join).miterLimit(stroke.miterLimit);
    // pdfkit takes a list of dash lengths, as here; @types/pdfkit types the argument as one number.
    if (stroke.dash) doc.dash([...stroke.dash] as unknown as number, {});
  }
  writeContent(doc, operators);
  const rule = fill?.evenOdd ? 'even-odd' : 'non-zero';
  if (fill && stroke) doc.fillAndStroke(rule);
  else if (fill) doc.fill(rule);
  else if (stroke) doc.stroke();
  else doc.addContent('n');
  doc.restore();
}

/** One start, end or empty tag with its attributes, and nothing but white space between tags. */
const TAG = /<(\/?)([A-Za-z]+)((?:\s+[A-Za-z:-]+="[^"<]*")*)\s*(\/?)>|<\?xml[^>]*\?>|(\S)/g;
const ATTRIBUTE = /([A-Za-z:-]+)="([^"]*)"/g;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** The SVG read into drawing steps, or undefined when it holds anything outside cairo's vocabulary. */
export function readCairoSvg(svg: string): Drawing | undefined {
  let size: { width: number; height: number } | undefined;
  /** Each clip path's operators, by id; the group that uses one says its rule. */
  const clips = new Map<string, string>();
  /** Each glyph's outline, by its symbol's id ('' for one with no outline: a space). */
  const glyphs = new Map<string, string>();
  const steps: Step[] = [];
  /** Open elements: svg, g, defs, clipPath, symbol; `glyphs` for the <g> that holds the symbols, `text` for one that holds letters. */
  const open: string[] = [];
  let clipId: string | undefined;
  let clipOperators: string[] = [];
  let symbolId: string | undefined;
  let text: { color: string; opacity: number; uses: GlyphUse[] } | undefined;
  for (const match of svg.matchAll(TAG)) {
    if (match[5] !== undefined) return undefined; // text outside a tag
    const name = match[2];
    if (name === undefined) continue; // the XML declaration
    const closing = match[1] === '/';
    const empty = match[4] === '/';
    const attributes = new Map<string, string>();
    for (const [, key, value] of (match[3] ?? '').matchAll(ATTRIBUTE)) attributes.set(key!, value!);
    if (closing) {
      const element = open.pop();
      if (element === 'text' && name === 'g') {
        steps.push({ kind: 'glyphs', ...text! });
        text = undefined;
        continue;
      }
      if (element !== name && !(element === 'glyphs' && name === 'g')) return undefined;
      if (name === 'symbol') {
        if (!glyphs.has(symbolId!)) glyphs.set(symbolId!, '');
        symbolId = undefined;
      } else if (name === 'clipPath') {
        if (clipId === undefined || clipOperators.length === 0) return undefined;
        clips.set(clipId, clipOperators.join('\n'));
        clipId = undefined;
      } else if (element === 'g') steps.push({ kind: 'end' });
      continue;
    }
    const parent = open[open.length - 1];
    switch (name) {
      case 'svg': {
        if (open.length > 0 || empty || !only(attributes, ['xmlns', 'xmlns:xlink', 'width', 'height', 'viewBox', 'version'])) return undefined;
        const box = (attributes.get('viewBox') ?? '').split(' ');
        if (box.length !== 4 || !box.every((n) => NUMBER.test(n)) || box[0] !== '0' || box[1] !== '0') return undefined;
        size = { width: Number(box[2]), height: Number(box[3]) };
        if (!(size.width > 0 && size.height > 0)) return undefined;
        open.push(name);
        break;
      }
      case 'defs':
        if (parent !== 'svg' || empty || attributes.size > 0) return undefined;
        open.push(name);
        break;
      case 'clipPath':
        if (parent !== 'defs' || empty || !only(attributes, ['id']) || !attributes.has('id')) return undefined;
        clipId = attributes.get('id');
        clipOperators = [];
        open.push(name);
        break;
      case 'symbol': {
        const id = attributes.get('id');
        if ((parent !== 'glyphs' && parent !== 'defs') || empty || !only(attributes, ['id', 'overflow']) || id === undefined || glyphs.has(id)) return undefined;
        if (attributes.get('overflow') !== 'visible') return undefined;
        symbolId = id;
        open.push(name);
        break;
      }
      case 'use': {
        const outline = glyphs.get(/^#(.+)$/.exec(attributes.get('xlink:href') ?? '')?.[1] ?? '');
        const x = attributes.get('x') ?? '';
        const y = attributes.get('y') ?? '';
        if (parent !== 'text' || !empty || !only(attributes, ['xlink:href', 'x', 'y']) || outline === undefined || !NUMBER.test(x) || !NUMBER.test(y)) return undefined;
        if (outline !== '') text!.uses.push({ outline, x, y });
        break;
      }
      case 'g': {
        if (parent === 'defs') {
          if (empty || attributes.size > 0) return undefined;
          open.push('glyphs');
          break;
        }
        if (attributes.has('style')) {
          // Letters: the fill is the group's, each glyph a <use>.
          const style = (parent === 'svg' || parent === 'g') && !empty && only(attributes, ['style']) ? paintStyle(attributes.get('style')!) : undefined;
          if (!style?.fill || style.stroke || style.fill.evenOdd) return undefined;
          // cairo writes percentages of whole channels: the hex is exact.
          text = { color: rgbHex(style.fill.color), opacity: style.fill.opacity, uses: [] };
          open.push('text');
          break;
        }
        if ((parent !== 'svg' && parent !== 'g') || empty || !only(attributes, ['id', 'clip-path', 'clip-rule'])) return undefined;
        steps.push({ kind: 'group' });
        const reference = attributes.get('clip-path');
        if (reference !== undefined) {
          const clip = clips.get(/^url\(#([^)]+)\)$/.exec(reference)?.[1] ?? '');
          const rule = attributes.get('clip-rule') ?? 'nonzero';
          if (clip === undefined || (rule !== 'nonzero' && rule !== 'evenodd')) return undefined;
          steps.push({ kind: 'clip', operators: clip, evenOdd: rule === 'evenodd' });
        } else if (attributes.has('clip-rule')) return undefined;
        open.push(name);
        break;
      }
      case 'path': {
        if (!empty) return undefined;
        const data = attributes.get('d');
        if (parent === 'symbol') {
          // A glyph's outline: filled by the letters' group, so no paint of its own; one path a glyph, none for a space.
          if (data === undefined || !only(attributes, ['style', 'd']) || attributes.get('style') !== 'stroke:none;' || glyphs.has(symbolId!)) return undefined;
          // A glyph is drawn from points (the form's box is theirs): an outline without one, such as a lone Z, is not cairo's.
          if (data !== '' && (!/^M -?\d/.test(data) || outlineOperators(data) === undefined)) return undefined;
          glyphs.set(symbolId!, data);
          break;
        }
        const operators = data === undefined ? undefined : pdfPathOperators(data);
        if (operators === undefined) return undefined;
        if (parent === 'clipPath') {
          if (!only(attributes, ['d'])) return undefined;
          clipOperators.push(operators);
          break;
        }
        if ((parent !== 'svg' && parent !== 'g') || !only(attributes, ['style', 'd'])) return undefined;
        const style = paintStyle(attributes.get('style') ?? '');
        if (!style) return undefined;
        steps.push({ kind: 'path', operators, style });
        break;
      }
      default:
        return undefined;
    }
  }
  if (!size || open.length > 0) return undefined;
  return { ...size, steps };
}

function only(attributes: ReadonlyMap<string, string>, allowed: readonly string[]): boolean {
  for (const key of attributes.keys()) if (!allowed.includes(key)) return false;
  return true;
}

/** Cairo's `style`: fill and stroke, each `none` or an rgb() of percentages, with their opacity, rule, width, caps, joins and dashes. */
function paintStyle(style: string): PaintStyle | undefined {
  const properties = new Map<string, string>();
  for (const declaration of style.split(';')) {
    if (declaration.trim() === '') continue;
    const colon = declaration.indexOf(':');
    if (colon < 0) return undefined;
    properties.set(declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim());
  }
  const known = ['fill', 'fill-rule', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin', 'stroke-opacity', 'stroke-miterlimit', 'stroke-dasharray'];
  for (const key of properties.keys()) if (!known.includes(key)) return undefined;
  const number = (key: string, fallback: number): number | undefined => {
    const value = properties.get(key);
    if (value === undefined) return fallback;
    return NUMBER.test(value) ? Number(value) : undefined;
  };
  const result: { fill?: PaintStyle['fill']; stroke?: PaintStyle['stroke'] } = {};
  // SVG's initial fill is black; cairo always writes one, so an SVG without it is not cairo's.
  const fill = properties.get('fill');
  if (fill === undefined) return undefined;
  if (fill !== 'none') {
    const color = rgb(fill);
    const opacity = number('fill-opacity', 1);
    const rule = properties.get('fill-rule') ?? 'nonzero';
    if (!color || opacity === undefined || (rule !== 'nonzero' && rule !== 'evenodd')) return undefined;
    result.fill = { color, opacity, evenOdd: rule === 'evenodd' };
  }
  const stroke = properties.get('stroke') ?? 'none';
  if (stroke !== 'none') {
    const color = rgb(stroke);
    const opacity = number('stroke-opacity', 1);
    const width = number('stroke-width', 1);
    const miterLimit = number('stroke-miterlimit', 4);
    const cap = properties.get('stroke-linecap') ?? 'butt';
    const join = properties.get('stroke-linejoin') ?? 'miter';
    const dashes = properties.get('stroke-dasharray');
    const dash = dashes === undefined || dashes === 'none' ? undefined : dashes.split(',').map((d) => (NUMBER.test(d.trim()) ? Number(d) : NaN));
    if (!color || opacity === undefined || width === undefined || miterLimit === undefined) return undefined;
    if ((cap !== 'butt' && cap !== 'round' && cap !== 'square') || (join !== 'miter' && join !== 'round' && join !== 'bevel')) return undefined;
    if (dash && !dash.every((d) => d > 0)) return undefined;
    result.stroke = { color, opacity, width, cap, join, miterLimit, ...(dash ? { dash } : {}) };
  }
  return result;
}

/** `rgb(10.196078%,22.745098%,36.078431%)` as 0–255 channels. */
function rgb(value: string): Rgb | undefined {
  const match = /^rgb\((\d+(?:\.\d+)?)%,(\d+(?:\.\d+)?)%,(\d+(?:\.\d+)?)%\)$/.exec(value);
  if (!match) return undefined;
  const channels = [match[1], match[2], match[3]].map((p) => (Number(p) * 255) / 100) as Rgb;
  return channels.every((c) => c <= 255) ? channels : undefined;
}

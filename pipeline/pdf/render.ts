// Stage 5b: paint a Layout with pdfkit. No decisions about where things go are
// made here; this module only draws placed boxes, tags them for accessibility
// (structure elements in reading order, page furniture as artifacts) and returns
// the file's bytes.
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { ComposedBrief } from '../compose/compose.ts';
import { fontName, type FontBook, type FontKey } from '../core/fonts.ts';
import { placedLines, type Layout, type PlacedItem, type PlacedLine, type PlacedRow, type PlacedRule, type PlacedTable, type PlacedTextbox } from './layout.ts';
import { briefDate } from '../core/dates.ts';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import { metadataText, type Run } from '../core/text.ts';
import type { Theme } from '../core/theme.ts';
import { drawChartSvg } from './chartsvg.ts';
import { drawOutlineForm } from './outline.ts';
import { drawTextRun } from './textrun.ts';
import { fallbackIndex, withFallbackFonts } from './svgtext.ts';
import { Tagger, type StructElement, type StructRole } from './tagging.ts';

export interface PdfOutput {
  readonly bytes: Buffer;
  readonly pages: number;
}

/** What drawing an item needs besides the item. */
interface Canvas {
  readonly doc: PDFKit.PDFDocument;
  readonly tagger: Tagger;
  readonly fonts: FontBook;
  /** × font size: how far a link's clickable area reaches below the baseline. */
  readonly linkDescent: number;
  /** Fonts registered with the document, by name. */
  readonly registered: Set<string>;
  /** Ids of the figures and tables a cross-reference (`#id`) points at. */
  readonly targets: ReadonlySet<string>;
}

export async function renderPdf(brief: ComposedBrief, layout: Layout, theme: Theme, fonts: FontBook): Promise<PdfOutput> {
  const date = briefDate(brief.updated);
  const doc = new PDFDocument({
    size: [theme.pdf.page.width, theme.pdf.page.height],
    margin: 0,
    autoFirstPage: false,
    bufferPages: false,
    pdfVersion: '1.7',
    tagged: true,
    lang: brief.language,
    displayTitle: true,
    compress: true,
    // No default font: pdfkit would otherwise load Helvetica's metrics for every document, and no text is ever set in it.
    // @types/pdfkit types this option as string | undefined, but pdfkit reads null as "none" (undefined means Helvetica).
    font: null as unknown as string,
    info: {
      // Body text keeps its bidirectional marks and joiners; the file's metadata does not (metadataText).
      Title: metadataText(brief.title),
      Author: metadataText(brief.pdf.author),
      Subject: metadataText(brief.pdf.subject),
      Keywords: metadataText(brief.pdf.keywords),
      Creator: 'briefpress',
      Producer: 'briefpress (PDFKit)',
      CreationDate: date,
      ModDate: date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  // Only the fonts the layout placed text in, as the parsed objects the layout measured with.
  const registered = usedFonts(layout);
  for (const name of registered) doc.registerFont(name, fonts.byName(name) as never);

  const canvas: Canvas = { doc, tagger: new Tagger(doc), fonts, linkDescent: theme.pdf.lines.linkDescent, registered, targets: crossReferenceTargets(brief) };
  for (const page of layout.pages) {
    doc.addPage({ size: [theme.pdf.page.width, theme.pdf.page.height], margin: 0 });
    page.items.forEach((item, i) => drawItem(canvas, item, `${page.number}:${i}`));
  }
  canvas.tagger.end();
  doc.end();
  await finished;
  return { bytes: Buffer.concat(chunks), pages: layout.pages.length };
}

function drawItem(canvas: Canvas, item: PlacedItem, uniqueKey: string): void {
  const { doc, tagger, fonts } = canvas;
  switch (item.kind) {
    case 'rect':
      artifact(doc, () => doc.rect(item.x, item.y, item.width, item.height).fill(item.color));
      return;
    case 'rule':
      artifact(doc, () => doc.moveTo(item.x1, item.y1).lineTo(item.x2, item.y2).lineWidth(item.width).stroke(item.color));
      return;
    case 'link':
      doc.link(item.x, item.y, item.width, item.height, item.url);
      return;
    case 'text': {
      if (item.role === 'Artifact') {
        artifact(doc, () => item.lines.forEach((line) => (item.outlined ? drawOutlined(doc, line, fonts) : drawLine(doc, line))));
        return;
      }
      if (item.role === 'LI') {
        // L > LI > (Lbl, LBody): one list per bullets block, one LI per item even across a column break.
        const list = tagger.element(`block:${item.block}:L`, 'L');
        drawListItem(canvas, list, `block:${item.block}`, item.item ?? 0, item.label, item.lines);
        return;
      }
      // A paragraph split across columns or pages stays one structure element.
      const key = item.block >= 0 ? `block:${item.block}:${item.role}` : `${uniqueKey}`;
      drawTagged(canvas, tagger.element(key, item.role), item.role, item.lines);
      return;
    }
    case 'table':
      drawTable(canvas, item);
      return;
    case 'textbox':
      drawTextbox(canvas, item);
      return;
    case 'figure': {
      // Only a figure something links to gets a destination: a brief without cross-references stays as it was.
      if (canvas.targets.has(item.figure.id)) doc.addNamedDestination(item.figure.id, 'XYZ', item.x, item.y, null);
      const caption = tagger.element(`${uniqueKey}:caption`, 'Caption');
      drawTagged(canvas, caption, 'Caption', item.caption);
      const figure = tagger.element(`${uniqueKey}:figure`, 'Figure', {
        alt: item.figure.alt,
        bbox: [item.chart.x, item.chart.y, item.chart.x + item.chart.width, item.chart.y + item.chart.height],
      });
      const content = doc.markStructureContent('Figure');
      figure.add(content);
      const { chart, image } = item.figure;
      // svg-to-pdfkit reads a width or height of 0 as "not given" and draws at the SVG's own size, over what follows.
      if (!(item.chart.width > 0 && item.chart.height > 0)) {
        throw new BriefpressError(ErrorCode.internal, `figure "${item.figure.id}" was laid out ${item.chart.width} × ${item.chart.height} pt`);
      }
      if (chart && drawChartSvg(doc, chart.svg, item.chart)) {
        // Drawn as cairo wrote it (chartsvg.ts).
      } else if (chart || image?.format === 'svg') {
        SVGtoPDF(doc, withFallbackFonts(chart ? chart.svg : image!.bytes.toString('utf8'), canvas.fonts), item.chart.x, item.chart.y, {
          width: item.chart.width,
          height: item.chart.height,
          assumePt: true,
          preserveAspectRatio: 'xMidYMid meet',
          fontCallback: (family, bold, italic) => svgFont(canvas, family, bold, italic),
        });
      } else if (image) {
        doc.image(image.bytes, item.chart.x, item.chart.y, { width: item.chart.width, height: item.chart.height });
      }
      doc.endMarkedContent();
      item.apparatus.forEach((lines, i) => drawTagged(canvas, tagger.element(i === 0 ? `${uniqueKey}:source` : `${uniqueKey}:apparatus:${i}`, 'Caption'), 'Caption', lines));
      return;
    }
  }
}

/**
 * Table > Caption, TR > TH (scope Column) / TD, one element for the whole table
 * however many parts it is drawn in; the caption and header row a later part
 * repeats are artifacts, so a screen reader meets them once. Source, notes and
 * footnotes follow the table as paragraphs.
 */
function drawTable(canvas: Canvas, item: PlacedTable): void {
  const { doc, tagger } = canvas;
  const key = `block:${item.block}`;
  if (item.part === 0) doc.addNamedDestination(item.table.id, 'XYZ', item.x, item.y, null);
  artifact(doc, () => item.rules.forEach((rule) => strokeRule(doc, rule)), 'Layout');
  const table = tagger.element(`${key}:Table`, 'Table');
  if (item.part === 0) {
    drawTagged(canvas, tagger.child(table, `${key}:Caption`, 'Caption'), 'Caption', item.caption);
    drawRow(canvas, table, key, item.header, 'TH');
  } else {
    artifact(doc, () => {
      item.caption.forEach((line) => drawLine(doc, line));
      item.header.cells.flat().forEach((line) => drawLine(doc, line));
    });
  }
  for (const row of item.rows) drawRow(canvas, table, key, row, 'TD');
  item.apparatus.forEach((lines, i) => drawTagged(canvas, tagger.element(`${key}:apparatus:${i}`, 'P'), 'P', lines));
}

function drawRow(canvas: Canvas, table: StructElement, key: string, row: PlacedRow, cell: 'TH' | 'TD'): void {
  const tr = canvas.tagger.child(table, `${key}:TR:${row.index}`, 'TR');
  row.cells.forEach((lines, c) => {
    const element = canvas.tagger.child(tr, `${key}:${cell}:${row.index}:${c}`, cell, cell === 'TH' ? { scope: 'Column' } : {});
    drawTagged(canvas, element, cell, lines);
  });
}


/**
 * The frame (shading, the rule on top) as an artifact, then a Div holding the
 * title as a heading one level below the section's, the paragraphs, the lists
 * and the source line: one element each however many parts the box is drawn in.
 */
function drawTextbox(canvas: Canvas, item: PlacedTextbox): void {
  const { doc, tagger } = canvas;
  artifact(
    doc,
    () => {
      doc.rect(item.x, item.y, item.width, item.height).fill(item.fill);
      strokeRule(doc, item.rule);
    },
    'Layout',
  );
  const key = `block:${item.block}`;
  const div = tagger.element(`${key}:Div`, 'Div');
  for (const piece of item.pieces) {
    const pieceKey = `${key}:box:${piece.inner}`;
    if (piece.role === 'LI') {
      const list = tagger.child(div, `${pieceKey}:L`, 'L');
      drawListItem(canvas, list, pieceKey, piece.item ?? 0, piece.label, piece.lines);
    } else {
      const role = piece.role === 'title' ? item.titleRole : 'P';
      drawTagged(canvas, tagger.child(div, pieceKey, role), role, piece.lines);
    }
  }
}

/** LI > (Lbl, LBody), one LI per item even when the item is drawn in two columns. */
function drawListItem(canvas: Canvas, list: StructElement, key: string, item: number, label: PlacedLine | undefined, lines: readonly PlacedLine[]): void {
  const { doc, tagger } = canvas;
  const entry = tagger.child(list, `${key}:LI:${item}`, 'LI');
  if (label) {
    const lbl = tagger.child(entry, `${key}:Lbl:${item}`, 'Lbl');
    lbl.add(doc.markStructureContent('Lbl'));
    drawLine(doc, label);
    doc.endMarkedContent();
  }
  drawTagged(canvas, tagger.child(entry, `${key}:LBody:${item}`, 'LBody'), 'LBody', lines);
}

function strokeRule(doc: PDFKit.PDFDocument, rule: PlacedRule): void {
  doc.moveTo(rule.x1, rule.y1).lineTo(rule.x2, rule.y2).lineWidth(rule.width).stroke(rule.color);
}

/** Families an SVG names that are sans-serif faces; any other family is set in the serif. */
const SANS_FAMILIES = /sans|arial|helvetica|arimo|verdana|tahoma|calibri|segoe|roboto|inter\b|system-ui|trebuchet|gill|futura|frutiger|univers|myriad/i;

/**
 * The theme's embedded font for text in an SVG image: svg-to-pdfkit would otherwise
 * fall back to pdfkit's standard 14 fonts, which are not embedded. Text with no
 * family comes as svg-to-pdfkit's initial value, "sans-serif"; runs the faces lack
 * come in the family svgtext.ts gave them, naming the fallback font that has them.
 */
function svgFont(canvas: Canvas, family: string | undefined, bold: boolean, italic: boolean): string {
  const weight = bold && italic ? 'boldItalic' : bold ? 'bold' : italic ? 'italic' : 'regular';
  const fallback = fallbackIndex(family);
  const key: FontKey = { face: SANS_FAMILIES.test(family ?? 'sans-serif') ? 'sans' : 'serif', weight };
  // A family an SVG names itself that only looks like ours, past the theme's fallbacks, is any other family.
  const named = fallback === undefined ? undefined : fontName({ ...key, fallback });
  const name = named !== undefined && canvas.fonts.files.has(named) ? named : fontName(key);
  if (!canvas.registered.has(name)) {
    canvas.doc.registerFont(name, canvas.fonts.byName(name) as never);
    canvas.registered.add(name);
  }
  return name;
}

/** Ids that `#id` links in the body, text boxes and exhibits' lines point at. */
function crossReferenceTargets(brief: ComposedBrief): Set<string> {
  const targets = new Set<string>();
  const scan = (runs: readonly Run[] | undefined) => runs?.forEach((run) => run.href?.startsWith('#') && targets.add(run.href.slice(1)));
  const apparatus = (a: { source?: readonly Run[]; notes?: readonly Run[]; footnotes: ReadonlyArray<readonly Run[]> }) => [a.source, a.notes, ...a.footnotes].forEach(scan);
  for (const block of brief.body) {
    if (block.kind === 'paragraph') scan(block.runs);
    else if (block.kind === 'bullets') block.items.forEach(scan);
    else if (block.kind === 'figure') apparatus(block.figure.apparatus);
    else if (block.kind === 'table') {
      apparatus(block.table.apparatus);
      block.table.rows.forEach((row) => row.forEach(scan));
    } else if (block.kind === 'textbox') {
      block.textbox.blocks.forEach((b) => (b.kind === 'paragraph' ? scan(b.runs) : b.items.forEach(scan)));
      scan(block.textbox.source);
    }
  }
  return targets;
}

function drawTagged(canvas: Canvas, element: StructElement, role: StructRole, lines: readonly PlacedLine[]): void {
  const doc = canvas.doc;
  let open = false;
  const openRole = () => {
    if (!open) {
      element.add(doc.markStructureContent(role));
      open = true;
    }
  };
  const close = () => {
    if (open) doc.endMarkedContent();
    open = false;
  };
  for (const line of lines) {
    for (const fragment of line.fragments) {
      if (fragment.href) {
        close();
        const link = doc.struct('Link');
        element.add(link);
        link.add(doc.markStructureContent('Link'));
        drawFragment(doc, line, fragment);
        doc.endMarkedContent();
        const area = [line.x + fragment.dx, line.y, fragment.width, line.baseline - line.y + fragment.size * canvas.linkDescent] as const;
        // A cross-reference (#id) goes to the named destination of its figure or table.
        if (fragment.href.startsWith('#')) doc.goTo(...area, fragment.href.slice(1), { structParent: link } as object as never);
        else doc.link(...area, fragment.href, { structParent: link } as object as never);
        link.end();
      } else {
        openRole();
        drawFragment(doc, line, fragment);
      }
    }
  }
  close();
}

function usedFonts(layout: Layout): Set<string> {
  const names = new Set<string>();
  for (const page of layout.pages) {
    for (const item of page.items) {
      // Outlined text is drawn as paths: its font is not embedded.
      if (item.kind === 'text' && item.outlined) continue;
      for (const line of placedLines(item)) for (const fragment of line.fragments) names.add(fontName(fragment.font));
    }
  }
  return names;
}

function drawOutlined(doc: PDFKit.PDFDocument, line: PlacedLine, fonts: FontBook): void {
  for (const fragment of line.fragments) {
    doc.save();
    doc.translate(line.x + fragment.dx, line.baseline);
    const path = fonts.outline(fragment.text, fragment.font, fragment.size);
    if (!drawOutlineForm(doc, path, fragment.color)) doc.path(path).fill(fragment.color);
    doc.restore();
  }
}

function drawLine(doc: PDFKit.PDFDocument, line: PlacedLine): void {
  for (const fragment of line.fragments) drawFragment(doc, line, fragment);
}

function drawFragment(doc: PDFKit.PDFDocument, line: PlacedLine, fragment: PlacedLine['fragments'][number]): void {
  doc.font(fontName(fragment.font)).fontSize(fragment.size).fillColor(fragment.color);
  drawTextRun(doc, fragment.text, line.x + fragment.dx, line.baseline - (fragment.rise ?? 0), {
    ...(fragment.wordSpacing ? { wordSpacing: fragment.wordSpacing } : {}),
    ...(fragment.letterSpacing ? { characterSpacing: fragment.letterSpacing } : {}),
    // PDF's Tz takes the percentage as written: the layout rounds the scale to 1/10,000.
    ...(fragment.scale !== undefined && fragment.scale !== 1 ? { horizontalScaling: Math.round(fragment.scale * 1000000) / 10000 } : {}),
  });
}

function artifact(doc: PDFKit.PDFDocument, draw: () => void, type: 'Pagination' | 'Layout' = 'Pagination'): void {
  doc.markContent('Artifact', { type } as never);
  draw();
  doc.endMarkedContent();
}

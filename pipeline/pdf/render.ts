// Stage 5b: paint a Layout with pdfkit. No decisions about where things go are
// made here; this module only draws placed boxes, tags them for accessibility
// (structure elements in reading order, page furniture as artifacts) and returns
// the file's bytes.
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { ComposedBrief } from '../compose/compose.ts';
import { fontName, type FontBook } from '../core/fonts.ts';
import type { Layout, PlacedItem, PlacedLine } from './layout.ts';
import { briefDate } from '../core/dates.ts';
import type { Theme } from '../core/theme.ts';
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
    info: {
      Title: brief.title,
      Author: brief.pdf.author,
      Subject: brief.pdf.subject,
      Keywords: brief.pdf.keywords,
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
  for (const name of usedFonts(layout)) doc.registerFont(name, fonts.byName(name) as never);

  const canvas: Canvas = { doc, tagger: new Tagger(doc), fonts, linkDescent: theme.pdf.lines.linkDescent };
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
        const entry = tagger.child(list, `block:${item.block}:LI:${item.item ?? 0}`, 'LI');
        if (item.label) {
          const lbl = tagger.child(entry, `block:${item.block}:Lbl:${item.item ?? 0}`, 'Lbl');
          lbl.add(doc.markStructureContent('Lbl'));
          drawLine(doc, item.label);
          doc.endMarkedContent();
        }
        drawTagged(canvas, tagger.child(entry, `block:${item.block}:LBody:${item.item ?? 0}`, 'LBody'), 'LBody', item.lines);
        return;
      }
      // A paragraph split across columns or pages stays one structure element.
      const key = item.block >= 0 ? `block:${item.block}:${item.role}` : `${uniqueKey}`;
      drawTagged(canvas, tagger.element(key, item.role), item.role, item.lines);
      return;
    }
    case 'figure': {
      const caption = tagger.element(`${uniqueKey}:caption`, 'Caption');
      drawTagged(canvas, caption, 'Caption', item.caption);
      const figure = tagger.element(`${uniqueKey}:figure`, 'Figure', {
        alt: item.figure.alt,
        bbox: [item.chart.x, item.chart.y, item.chart.x + item.chart.width, item.chart.y + item.chart.height],
      });
      const content = doc.markStructureContent('Figure');
      figure.add(content);
      const { chart, image } = item.figure;
      if (chart || image?.format === 'svg') {
        SVGtoPDF(doc, chart ? chart.svg : image!.bytes.toString('utf8'), item.chart.x, item.chart.y, {
          width: item.chart.width,
          height: item.chart.height,
          assumePt: true,
          preserveAspectRatio: 'xMidYMid meet',
        });
      } else if (image) {
        doc.image(image.bytes, item.chart.x, item.chart.y, { width: item.chart.width, height: item.chart.height });
      }
      doc.endMarkedContent();
      drawTagged(canvas, tagger.element(`${uniqueKey}:source`, 'Caption'), 'Caption', item.source);
      return;
    }
  }
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
        doc.link(line.x + fragment.dx, line.y, fragment.width, line.baseline - line.y + fragment.size * canvas.linkDescent, fragment.href, { structParent: link } as object as never);
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
  const add = (lines: readonly PlacedLine[]) => lines.forEach((line) => line.fragments.forEach((f) => names.add(fontName(f.font))));
  for (const page of layout.pages) {
    for (const item of page.items) {
      if (item.kind === 'text' && !item.outlined) add(item.label ? [...item.lines, item.label] : item.lines);
      if (item.kind === 'figure') add([...item.caption, ...item.source]);
    }
  }
  return names;
}

function drawOutlined(doc: PDFKit.PDFDocument, line: PlacedLine, fonts: FontBook): void {
  for (const fragment of line.fragments) {
    doc.save();
    doc.translate(line.x + fragment.dx, line.baseline);
    doc.path(fonts.outline(fragment.text, fragment.font, fragment.size)).fill(fragment.color);
    doc.restore();
  }
}

function drawLine(doc: PDFKit.PDFDocument, line: PlacedLine): void {
  for (const fragment of line.fragments) drawFragment(doc, line, fragment);
}

function drawFragment(doc: PDFKit.PDFDocument, line: PlacedLine, fragment: PlacedLine['fragments'][number]): void {
  doc
    .font(fontName(fragment.font))
    .fontSize(fragment.size)
    .fillColor(fragment.color)
    .text(fragment.text, line.x + fragment.dx, line.baseline, {
      lineBreak: false,
      baseline: 'alphabetic',
      ...(fragment.wordSpacing ? { wordSpacing: fragment.wordSpacing } : {}),
    } as PDFKit.Mixins.TextOptions);
}

function artifact(doc: PDFKit.PDFDocument, draw: () => void): void {
  doc.markContent('Artifact', { type: 'Pagination' } as never);
  draw();
  doc.endMarkedContent();
}

// Page furniture: what a page carries whatever the text does. Page 1's masthead
// (brand band, date line, title), the running header of the pages after it, the
// footer of every body page, and the disclaimer page's fixed parts.
import type { ComposedBrief } from '../compose/compose.ts';
import { contentWidth } from './frame.ts';
import type { ColumnBox, PageLayout, PlacedItem, PlacedLine, TextRole } from './layout.ts';
import { bold, italic, plain, type Typesetter } from './typesetter.ts';

/** `block` of text that is not a body block: furniture, the disclaimer, the product line. */
const FURNITURE_BLOCK = -1;
const DISCLAIMER_BLOCK = -2;
const PRODUCT_LINE_BLOCK = -3;

export interface Furniture {
  /** Before the columns in reading order. */
  readonly top: PlacedItem[];
  /** After the columns in reading order. */
  readonly bottom: PlacedItem[];
  /** Where the columns start. */
  readonly bodyTop: number;
}

export function pageFurniture(brief: ComposedBrief, kind: PageLayout['kind'], typesetter: Typesetter): Furniture {
  const top: PlacedItem[] = [];
  const bodyTop = kind === 'first' ? masthead(brief, typesetter, top) : runningHeader(brief, typesetter, top);
  return { top, bottom: kind === 'disclaimer' ? [] : footer(brief, typesetter), bodyTop };
}

export interface DisclaimerParts {
  /** The heading and the text, in the page's one column. */
  readonly body: PlacedItem[];
  /** The product line at the column's foot, under a rule. */
  readonly bottom: PlacedItem[];
  /** Top of the disclaimer's text. */
  readonly textTop: number;
}

export function disclaimerParts(brief: ComposedBrief, typesetter: Typesetter, column: ColumnBox): DisclaimerParts {
  const d = typesetter.theme.pdf.disclaimer;
  const colors = typesetter.theme.colors;
  const { x, width } = column;
  const headingStyle = typesetter.style('sans', d.headingSize, colors.text);
  const heading = typesetter.set([bold(brief.pdf.disclaimerHeading)], headingStyle, width);
  let y = column.top;
  const body = [text('H2', typesetter.position(heading, x, y, d.headingSize * d.headingLineHeight, headingStyle), DISCLAIMER_BLOCK, 0)];
  y += heading.length * d.headingSize * d.headingLineHeight + d.headingSpaceAfter;
  const textStyle = typesetter.style('serif', d.size, colors.text);
  const disclaimer = typesetter.setJustified([plain(brief.pdf.disclaimer)], textStyle, width);
  body.push(text('P', typesetter.position(disclaimer, x, y, d.leading, textStyle), DISCLAIMER_BLOCK, 0));

  const productStyle = typesetter.style('sans', d.size, colors.muted);
  const product = typesetter.set([plain(brief.pdf.productLine)], productStyle, width);
  const productTop = column.bottom - product.length * d.leading;
  const bottom = [
    rule(x, x + width, productTop - d.ruleAbove, colors.rule, d.ruleWeight),
    text('P', typesetter.position(product, x, productTop, d.leading, productStyle), PRODUCT_LINE_BLOCK),
  ];
  return { body, bottom, textTop: y };
}

/** Page 1: the brand band, the date line, the title. Returns where the columns start. */
function masthead(brief: ComposedBrief, typesetter: Typesetter, out: PlacedItem[]): number {
  const { margin, masthead: band, dateLine, title: t } = typesetter.theme.pdf;
  const colors = typesetter.theme.colors;
  const width = contentWidth(typesetter.theme);
  const x = margin.left;
  let y = margin.top;
  out.push(...brandBand(brief, typesetter, x, y, width));
  y += band.height + dateLine.spaceBefore;

  const dateStyle = typesetter.style('sans', dateLine.size, colors.muted);
  const dateLeading = dateLine.size * dateLine.lineHeight;
  out.push(text('P', typesetter.position(typesetter.set([plain(brief.pdf.dateLine)], dateStyle, width), x, y, dateLeading, dateStyle)));
  y += dateLeading + t.spaceBefore;

  const titleStyle = typesetter.style('sans', t.size, colors.brand);
  const title = typesetter.position(typesetter.set([bold(brief.title)], titleStyle, width), x, y, t.leading, titleStyle);
  out.push(text('H1', title));
  y += title.length * t.leading + t.spaceAfter * t.ruleAt;
  out.push(rule(x, x + width, y, colors.accent, t.ruleWeight));
  return y + t.spaceAfter * (1 - t.ruleAt);
}

/** The publisher's wordmark and tagline at the left of the band, the series label at its right, centred in its height. */
function brandBand(brief: ComposedBrief, typesetter: Typesetter, x: number, y: number, width: number): PlacedItem[] {
  const m = typesetter.theme.pdf.masthead;
  const items: PlacedItem[] = [{ kind: 'rect', x, y, width, height: m.height, color: typesetter.theme.colors.brand }];
  const textX = x + m.padding;
  const textTop = y + m.textTop;
  const wordmarkStyle = typesetter.style('serif', m.wordmarkSize, m.textColor);
  const wordmark = typesetter.set([bold(brief.pdf.publisherName)], wordmarkStyle, width * m.wordmarkShare);
  items.push(artifact(typesetter.position(wordmark, textX, textTop, m.wordmarkSize * m.wordmarkLineHeight, wordmarkStyle)));
  if (brief.pdf.publisherTagline) {
    const taglineStyle = typesetter.style('serif', m.taglineSize, typesetter.theme.colors.brandLight);
    const tagline = typesetter.set([italic(brief.pdf.publisherTagline)], taglineStyle, width * m.wordmarkShare);
    items.push(artifact(typesetter.position(tagline, textX, textTop + m.wordmarkSize * m.taglineTop, m.taglineSize * m.taglineLineHeight, taglineStyle)));
  }
  const seriesStyle = typesetter.style('sans', m.seriesSize, m.textColor);
  const seriesLeading = m.seriesSize * m.seriesLineHeight;
  const series = typesetter.set([bold(brief.pdf.seriesLabel)], seriesStyle, width * m.seriesShare);
  items.push(artifact(typesetter.position(series, x, y + (m.height - seriesLeading) / 2, seriesLeading, seriesStyle, x + (width - m.padding))));
  return items;
}

/** Pages 2 on: the short title over a rule. Returns where the columns start. */
function runningHeader(brief: ComposedBrief, typesetter: Typesetter, out: PlacedItem[]): number {
  const { margin, runningHeader: h } = typesetter.theme.pdf;
  const width = contentWidth(typesetter.theme);
  const style = typesetter.style('sans', h.size, typesetter.theme.colors.muted);
  const leading = h.size * h.lineHeight;
  out.push(artifact(typesetter.position(typesetter.set([plain(brief.pdf.runningHeader)], style, width), margin.left, margin.top, leading, style), true));
  out.push(rule(margin.left, margin.left + width, margin.top + leading + h.ruleBelow, typesetter.theme.colors.rule, h.ruleWeight));
  return margin.top + h.height;
}

/** Every body page: a rule, then the publisher's URL as a link. */
function footer(brief: ComposedBrief, typesetter: Typesetter): PlacedItem[] {
  const { page, margin, footer: f } = typesetter.theme.pdf;
  const style = typesetter.style('sans', f.size, typesetter.theme.colors.muted);
  const top = page.height - margin.bottom - f.size;
  const leading = f.size * f.lineHeight;
  const lines = typesetter.position(typesetter.set([plain(brief.pdf.footer)], style, contentWidth(typesetter.theme)), margin.left, top, leading, style);
  const linkWidth = lines[0]?.fragments.reduce((sum, fragment) => sum + fragment.width, 0) ?? 0;
  return [
    rule(margin.left, page.width - margin.right, top - f.ruleAbove, typesetter.theme.colors.rule, f.ruleWeight),
    artifact(lines, true),
    { kind: 'link', x: margin.left, y: top, width: linkWidth, height: leading, url: brief.pdf.footerUrl },
  ];
}

function text(role: TextRole, lines: PlacedLine[], block = FURNITURE_BLOCK, column = -1): PlacedItem {
  return { kind: 'text', role, block, column, lines };
}

/** Furniture screen readers skip; `outlined` keeps it out of text extraction too. */
function artifact(lines: PlacedLine[], outlined = false): PlacedItem {
  return { ...text('Artifact', lines), ...(outlined ? { outlined } : {}) };
}

function rule(x1: number, x2: number, y: number, color: string, width: number): PlacedItem {
  return { kind: 'rule', x1, y1: y, x2, y2: y, color, width };
}

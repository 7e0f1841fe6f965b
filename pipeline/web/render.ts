// Stage 5, the web edition: the composed brief as one self-contained HTML page
// (out/<ID>.html). Semantic HTML from templates/web (Handlebars with escaping on),
// the charts the PDF prints as inline SVG each with its numbers in a table, image
// figures and fonts as data: URIs, no script, and a Content-Security-Policy that
// lets nothing load from anywhere. It reads what compose made and the chart
// stage's SVG; it knows nothing of the PDF or the deck.
import { formatNumber, type ChartArtifact } from '../charts/charts.ts';
import type { BodyBlock, ComposedBrief, ComposedFigure, ComposedTable, ComposedTextbox } from '../compose/compose.ts';
import type { Apparatus } from '../compose/exhibits.ts';
import type { TemplateSet } from '../compose/templates.ts';
import type { Run } from '../core/text.ts';
import type { Theme } from '../core/theme.ts';
import { Anchors } from './anchors.ts';
import { fontFaceCss } from './fonts.ts';
import { pageCss } from './style.ts';
import { inlineSvg } from './svg.ts';

export interface WebOptions {
  readonly theme: Theme;
  readonly templates: TemplateSet;
  /** The other files this run builds beside the page, which it links to (relative, same folder). */
  readonly siblings: { readonly pdf?: string; readonly pptx?: string };
}

export interface WebPage {
  readonly bytes: Buffer;
}

/**
 * The only link targets a page carries: the web's and mail's schemes, and ids on
 * the page itself. Validation already refuses any other scheme in the data; this
 * is the last guard, so a `javascript:` that got this far prints as text.
 */
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

interface RunView {
  readonly text: string;
  readonly href: string | null;
  readonly bold: boolean;
  readonly italic: boolean;
  readonly superscript: boolean;
}

type BlockView =
  | { readonly kind: 'paragraph'; readonly runs: readonly RunView[] }
  | { readonly kind: 'bullets'; readonly items: ReadonlyArray<readonly RunView[]> }
  | { readonly kind: 'figure'; readonly figure: FigureView }
  | { readonly kind: 'table'; readonly table: TableView }
  | { readonly kind: 'textbox'; readonly textbox: TextboxView };

interface SectionView {
  readonly id: string;
  readonly heading: string;
  readonly blocks: BlockView[];
  readonly subsections: SectionView[];
}

interface DataTableView {
  readonly summary: string;
  readonly caption: string;
  readonly corner: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<{ readonly label: string; readonly cells: readonly string[] }>;
}

interface FigureView {
  readonly id: string;
  readonly captionId: string;
  readonly caption: string;
  readonly subtitle: string | null;
  readonly alt: string;
  readonly svg: string | null;
  readonly image: { readonly src: string; readonly width: number; readonly height: number } | null;
  readonly data: DataTableView | null;
  readonly apparatus: ReadonlyArray<readonly RunView[]>;
}

interface CellView {
  readonly runs: readonly RunView[];
  readonly align: string;
}

interface TableView {
  readonly id: string;
  readonly caption: string;
  readonly subtitle: string | null;
  readonly columns: readonly CellView[];
  readonly rows: ReadonlyArray<{ readonly total: boolean; readonly head: CellView; readonly cells: readonly CellView[] }>;
  readonly apparatus: ReadonlyArray<readonly RunView[]>;
}

interface TextboxView {
  readonly titleId: string;
  readonly title: string;
  readonly blocks: readonly BlockView[];
  readonly source: readonly RunView[] | null;
}

export async function renderHtml(brief: ComposedBrief, options: WebOptions): Promise<WebPage> {
  const { templates, theme } = options;
  const exhibitIds = brief.body.flatMap((b) => (b.kind === 'figure' ? [b.figure.id] : b.kind === 'table' ? [b.table.id] : []));
  // Every id the page will hold other than the headings' is reserved first, so a heading's slug never takes one.
  const anchors = new Anchors([...exhibitIds, 'top', 'contents', 'main', 'related', 'colophon']);
  const targets = new Set(exhibitIds);

  const runs = (list: readonly Run[]): RunView[] =>
    list.map((run) => ({
      text: run.text,
      href: run.href !== undefined && (SAFE_HREF.test(run.href) || (run.href.startsWith('#') && targets.has(run.href.slice(1)))) ? run.href : null,
      bold: run.bold,
      italic: run.italic,
      superscript: run.superscript === true,
    }));
  const apparatus = (a: Apparatus): RunView[][] => [a.source, a.notes, ...a.footnotes].flatMap((r) => (r ? [runs(r)] : []));

  let boxes = 0;
  const block = (b: BodyBlock): BlockView | undefined => {
    switch (b.kind) {
      case 'paragraph':
        return { kind: 'paragraph', runs: runs(b.runs) };
      case 'bullets':
        return { kind: 'bullets', items: b.items.map(runs) };
      case 'figure':
        return { kind: 'figure', figure: figureView(b.figure) };
      case 'table':
        return { kind: 'table', table: tableView(b.table) };
      case 'textbox':
        return { kind: 'textbox', textbox: textboxView(b.textbox, `box-${++boxes}`) };
      case 'heading':
        return undefined;
    }
  };

  const figureView = (figure: ComposedFigure): FigureView => ({
    id: figure.id,
    captionId: `${figure.id}-caption`,
    caption: figure.caption,
    subtitle: figure.subtitle ?? null,
    alt: figure.alt,
    svg: figure.chart ? inlineSvg(figure.chart.svg, `${figure.id}-svg`, figure.alt) : null,
    image: figure.image
      ? { src: `data:${IMAGE_TYPES[figure.image.format]};base64,${figure.image.bytes.toString('base64')}`, width: Math.round(figure.image.width), height: Math.round(figure.image.height) }
      : null,
    data: figure.chart ? dataTable(figure, figure.chart) : null,
    apparatus: apparatus(figure.apparatus),
  });

  const dataTable = (figure: ComposedFigure, chart: ChartArtifact): DataTableView => {
    // The table gives each value in full, not at the chart's K/M/B scale: it is there for the exact numbers.
    const format = { prefix: chart.numberFormat.prefix, suffix: chart.numberFormat.suffix, decimals: chart.numberFormat.decimals };
    const context = { number: figure.number, caption: figure.caption, axisTitle: chart.axisTitle ?? null };
    return {
      summary: templates.render('web/data-summary', context),
      caption: templates.render('web/data-caption', context),
      corner: templates.render('web/data-corner', context),
      columns: chart.series.map((s) => s.label),
      rows: chart.categories.map((label, i) => ({ label, cells: chart.series.map((s) => formatNumber(s.values[i]!, format, chart.language)) })),
    };
  };

  const cell = (cellRuns: readonly Run[], align: string): CellView => ({ runs: runs(cellRuns), align: align === 'right' ? 'num' : align === 'center' ? 'center' : '' });
  const tableView = (table: ComposedTable): TableView => ({
    id: table.id,
    caption: table.caption,
    subtitle: table.subtitle ?? null,
    columns: table.columns.map((c) => cell(c.labelRuns, c.align)),
    rows: table.rows.map((row, r) => {
      const [head, ...rest] = row.map((cellRuns, c) => cell(cellRuns, table.columns[c]!.align));
      return { total: table.totalRow && r === table.rows.length - 1, head: head!, cells: rest };
    }),
    apparatus: apparatus(table.apparatus),
  });

  const textboxView = (textbox: ComposedTextbox, titleId: string): TextboxView => ({
    titleId,
    title: textbox.title,
    blocks: textbox.blocks.map((b): BlockView => (b.kind === 'paragraph' ? { kind: 'paragraph', runs: runs(b.runs) } : { kind: 'bullets', items: b.items.map(runs) })),
    source: textbox.source ? runs(textbox.source) : null,
  });

  // The body as the page nests it: blocks before the first heading, then each
  // section (h2) with its sub-sections (h3). A sub-section with no section above it is a section.
  const intro: BlockView[] = [];
  const sections: SectionView[] = [];
  let current: SectionView | undefined;
  for (const b of brief.body) {
    if (b.kind === 'heading') {
      const section: SectionView = { id: anchors.slug(b.text), heading: b.text, blocks: [], subsections: [] };
      const parent = sections[sections.length - 1];
      if (b.level === 2 && parent) parent.subsections.push(section);
      else sections.push(section);
      current = section;
      continue;
    }
    const view = block(b);
    if (view) (current ? current.blocks : intro).push(view);
  }

  const context = {
    language: brief.language,
    id: brief.id,
    title: brief.title,
    updated: brief.updated,
    version: brief.version,
    publisherName: brief.pdf.publisherName,
    publisherTagline: brief.pdf.publisherTagline ?? null,
    publisherUrl: brief.pdf.footerUrl,
    seriesLabel: brief.pdf.seriesLabel,
    dateLine: brief.pdf.dateLine,
    author: brief.pdf.author,
    keywords: brief.pdf.keywords,
    authors: brief.authors,
    pdf: options.siblings.pdf ?? null,
    pptx: options.siblings.pptx ?? null,
    intro,
    sections,
    contents: sections.length > 1 ? sections.map((s) => ({ id: s.id, heading: s.heading })) : null,
    relatedReports: brief.relatedReports.length > 0 ? brief.relatedReports : null,
    disclaimerHeading: brief.pdf.disclaimerHeading,
    disclaimer: brief.pdf.disclaimer,
    productLine: brief.pdf.productLine,
  };
  // Rendered once with a mark where the fonts go, which is cut out once the page's text says which characters they need.
  const css = pageCss(theme);
  const draft = templates.render('web/page', { ...context, css: `${FONTS_MARK}\n${css}` });
  const at = draft.indexOf(FONTS_MARK);
  // Validation strips control characters from a brief's data, so only the stylesheet holds the mark: checked, not assumed.
  if (at < 0 || draft.indexOf(FONTS_MARK, at + 1) >= 0) throw new Error('the page template must print the stylesheet, and only there, once');
  const fonts = await fontFaceCss(theme, visibleText(draft));
  // A stylesheet is raw text in HTML: nothing in it may close the <style> element.
  if (/<\/style/i.test(fonts) || /<\/style/i.test(css)) throw new Error('the page stylesheet would close its <style> element');
  return { bytes: Buffer.from(draft.slice(0, at) + fonts + draft.slice(at + FONTS_MARK.length) + '\n', 'utf8') };
}

/** Where the @font-face rules go in the page, until they are made. */
export const FONTS_MARK = '\u0000briefpress:fonts\u0000';

const IMAGE_TYPES = { svg: 'image/svg+xml', png: 'image/png', jpeg: 'image/jpeg' } as const;

/** The characters a reader sees: the page's text, without its markup, stylesheet and drawings (whose text is outlines). */
export function visibleText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/gi, '')
    .replace(/<svg[\s\S]*?<\/svg>/gi, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[name]!);
}

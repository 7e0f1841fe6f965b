// Stage 5c: the deck, with pptxgenjs. Slide masters from the theme; slide titles
// in title placeholders; section text as bullets measured with real font metrics
// (shrunk within the theme's limits, continued on "(cont.)" slides beyond them);
// full paragraphs in the speaker notes; figures as native, editable charts.
import pptxgenModule from 'pptxgenjs';
import type { ComposedBrief, ComposedFigure } from '../compose/compose.ts';
import type { FontBook } from '../core/fonts.ts';
import { normalizePptx } from './package.ts';
import { briefDate } from '../core/dates.ts';
import type { Theme } from '../core/theme.ts';
import { setLines } from '../core/typeset.ts';

// pptxgenjs's types describe a CommonJS module whose default export is the class,
// while Node loads its ES build, whose default export is the class itself.
const PptxGenJS = pptxgenModule as unknown as typeof pptxgenModule.default;
type PptxGenJS = InstanceType<typeof PptxGenJS>;
type Slide = ReturnType<PptxGenJS['addSlide']>;
type TextOptions = NonNullable<Parameters<Slide['addText']>[1]>;

export interface PptxOutput {
  readonly bytes: Buffer;
  readonly slides: number;
}

/** Geometry of the 16:9 slide, in inches (pptxgenjs's unit for positions). */
const MARGIN_X = 0.6;
const BODY_TOP = 1.55;
const FOOTER_Y = 6.95;
const POINTS_PER_INCH = 72;
/** Text box insets pptxgenjs writes by default (0.1 in each side) and the bullet's hanging indent. */
const INSET = 0.1;
const BULLET_INDENT = 0.3;
/** Line height of single spacing, as a multiple of the font size (Arial's ascent + descent + PowerPoint's gap, rounded up). */
const LINE_HEIGHT = 1.22;
const PARA_SPACE_AFTER_PT = 8;
const TITLE_HEIGHT = 1.0;
const TITLE_SLIDE_TITLE_HEIGHT = 2.2;
const TITLE_SLIDE_TITLE_SIZE = 40;
const MIN_TITLE_SIZE = 20;

interface Box {
  /** inches */
  readonly w: number;
  readonly h: number;
}

interface Paragraph {
  readonly runs: ReadonlyArray<{ readonly text: string; readonly options?: TextOptions }>;
}

/**
 * Measures text as PowerPoint will set it: the deck face's real metrics (Arimo,
 * Arial's metric twin), the text box insets, single line spacing and the space
 * after each paragraph.
 */
class TextFitter {
  constructor(private readonly fonts: FontBook) {}

  private lines(text: string, size: number, widthPt: number, bold: boolean): number {
    return setLines([{ text, bold, italic: false }], { face: 'deck', size, color: '#000000', linkColor: '#000000' }, this.fonts, () => widthPt).length;
  }

  paragraphHeight(paragraph: Paragraph, size: number, box: Box, indent: number): number {
    const widthPt = (box.w - 2 * INSET - indent) * POINTS_PER_INCH;
    return this.lines(paragraph.runs.map((r) => r.text).join(''), size, widthPt, false) * size * LINE_HEIGHT + PARA_SPACE_AFTER_PT;
  }

  paginate(paragraphs: readonly Paragraph[], box: Box, maxSize: number, minSize: number, indent: number): { size: number; pages: Paragraph[][] } {
    const room = (box.h - 2 * INSET) * POINTS_PER_INCH;
    for (let size = maxSize; size >= minSize; size--) {
      if (paragraphs.reduce((sum, p) => sum + this.paragraphHeight(p, size, box, indent), 0) <= room) return { size, pages: [[...paragraphs]] };
    }
    const pages: Paragraph[][] = [[]];
    let used = 0;
    for (const paragraph of paragraphs) {
      const h = this.paragraphHeight(paragraph, minSize, box, indent);
      if (used + h > room && pages[pages.length - 1]!.length > 0) {
        pages.push([]);
        used = 0;
      }
      pages[pages.length - 1]!.push(paragraph);
      used += h;
    }
    return { size: minSize, pages };
  }

  /** The largest size that fits a one-paragraph box; at the minimum size, text is shortened with an ellipsis to fit. */
  title(text: string, box: Box, maxSize: number, minSize: number, bold = true): { size: number; text: string } {
    const room = (box.h - 2 * INSET) * POINTS_PER_INCH;
    const widthPt = (box.w - 2 * INSET) * POINTS_PER_INCH;
    const fits = (t: string, size: number) => this.lines(t, size, widthPt, bold) * size * LINE_HEIGHT <= room;
    for (let size = maxSize; size >= minSize; size--) if (fits(text, size)) return { size, text };
    let cut = text;
    while (cut.length > 1 && !fits(cut + '…', minSize)) cut = cut.slice(0, Math.floor(cut.length * 0.9)).trimEnd();
    return { size: minSize, text: cut + '…' };
  }
}

/** Sentences of a long text, so it can continue on a following slide between sentences. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z“"(])/);
}

const hex = (color: string) => color.replace(/^#/, '').toUpperCase();

export async function renderPptx(brief: ComposedBrief, theme: Theme, fonts: FontBook): Promise<PptxOutput> {
  const d = theme.deck;
  const colors = theme.colors;
  const fontFace = theme.fonts.deckFontName;
  const bodyWidth = d.width - 2 * MARGIN_X;
  const bodyHeight = FOOTER_Y - 0.2 - BODY_TOP;

  const pptx = new PptxGenJS();
  pptx.defineLayout({ name: 'BRIEF_16x9', width: d.width, height: d.height });
  pptx.layout = 'BRIEF_16x9';
  pptx.author = brief.pdf.author;
  pptx.company = brief.pdf.publisherName;
  pptx.title = brief.title;
  pptx.subject = brief.pdf.subject;
  pptx.theme = { headFontFace: fontFace, bodyFontFace: fontFace };

  const footer = (dark: boolean) => [
    { text: { text: brief.deck.footer, options: { x: MARGIN_X, y: FOOTER_Y, w: 6, h: 0.35, fontFace, fontSize: 10, color: hex(dark ? colors.brandLight : colors.muted) } } },
    { text: { text: brief.deck.wordmark, options: { x: d.width - MARGIN_X - 6.6, y: FOOTER_Y, w: 6, h: 0.35, fontFace, fontSize: 10, bold: true, align: 'right' as const, color: hex(dark ? '#FFFFFF' : colors.brand) } } },
  ];
  pptx.defineSlideMaster({
    title: 'BRIEF_TITLE',
    background: { color: hex(colors.brand) },
    objects: [
      { rect: { x: 0, y: 5.2, w: d.width, h: 0.06, fill: { color: hex(colors.accent) }, line: { type: 'none' } } },
      {
        placeholder: {
          options: { name: 'title', type: 'title', x: MARGIN_X, y: 2.0, w: bodyWidth, h: 2.2, fontFace, fontSize: 40, bold: true, color: 'FFFFFF', align: 'left', valign: 'bottom' },
          text: '',
        },
      },
      ...footer(true),
    ],
    slideNumber: { x: d.width - MARGIN_X - 0.5, y: FOOTER_Y, w: 0.5, h: 0.35, fontFace, fontSize: 10, color: hex(colors.brandLight), align: 'right' },
  });
  pptx.defineSlideMaster({
    title: 'BRIEF_CONTENT',
    background: { color: 'FFFFFF' },
    objects: [
      { rect: { x: 0, y: 0, w: d.width, h: 0.12, fill: { color: hex(colors.brand) }, line: { type: 'none' } } },
      { line: { x: MARGIN_X, y: FOOTER_Y - 0.08, w: bodyWidth, h: 0, line: { color: hex(colors.rule), width: 0.75 } } },
      {
        placeholder: {
          options: { name: 'title', type: 'title', x: MARGIN_X, y: 0.35, w: bodyWidth, h: 1.0, fontFace, fontSize: d.titleSize, bold: true, color: hex(colors.brand), align: 'left', valign: 'middle' },
          text: '',
        },
      },
      ...footer(false),
    ],
    slideNumber: { x: d.width - MARGIN_X - 0.5, y: FOOTER_Y, w: 0.5, h: 0.35, fontFace, fontSize: 10, color: hex(colors.muted), align: 'right' },
  });

  const fitter = new TextFitter(fonts);
  const body: Box = { w: bodyWidth, h: bodyHeight };
  const bulletIndentPt = BULLET_INDENT * POINTS_PER_INCH;
  const bulletOptions = { bullet: { indent: bulletIndentPt } };
  const bodyBox = { x: MARGIN_X, y: BODY_TOP, w: bodyWidth, h: bodyHeight, fontFace, valign: 'top' as const, paraSpaceAfter: PARA_SPACE_AFTER_PT, lineSpacingMultiple: 1 };

  const addTitle = (slide: Slide, text: string) => {
    const { size, text: fitted } = fitter.title(text, { w: bodyWidth, h: TITLE_HEIGHT }, d.titleSize, MIN_TITLE_SIZE);
    slide.addText(fitted, { placeholder: 'title', fontSize: size });
  };

  /**
   * Paragraphs of body text on as many slides as they need: the largest size
   * from the theme's body size down to its minimum that fits one slide, else
   * the minimum size and "(cont.)" slides.
   */
  const addFlowingSlides = (
    title: string,
    continuedTitle: string,
    paragraphs: readonly Paragraph[],
    notes: string,
    options: { indent: number; bodySize?: number; minSize?: number; color?: string },
  ) => {
    const { size, pages } = fitter.paginate(paragraphs, body, options.bodySize ?? d.bodySize, options.minSize ?? d.minBodySize, options.indent);
    pages.forEach((page, i) => {
      const slide = pptx.addSlide({ masterName: 'BRIEF_CONTENT' });
      addTitle(slide, i === 0 ? title : continuedTitle);
      slide.addText(
        page.flatMap((p) => p.runs.map((run, r) => ({ text: run.text, options: { ...(r === 0 && options.indent > 0 ? bulletOptions : {}), ...run.options, ...(r === p.runs.length - 1 ? { breakLine: true } : {}) } }))),
        { ...bodyBox, fontSize: size, color: options.color ?? hex(colors.text) },
      );
      if (notes) slide.addNotes(notes);
    });
  };
  const plainParagraphs = (texts: readonly string[]): Paragraph[] => texts.map((text) => ({ runs: [{ text }] }));

  // Title slide.
  const titleSlide = pptx.addSlide({ masterName: 'BRIEF_TITLE' });
  titleSlide.addText(brief.pdf.seriesLabel, { x: MARGIN_X, y: 1.2, w: bodyWidth, h: 0.6, fontFace, fontSize: 18, bold: true, color: hex(colors.accent), charSpacing: 2 });
  const bigTitle = fitter.title(brief.deck.title.title, { w: bodyWidth, h: TITLE_SLIDE_TITLE_HEIGHT }, TITLE_SLIDE_TITLE_SIZE, MIN_TITLE_SIZE);
  titleSlide.addText(bigTitle.text, { placeholder: 'title', fontSize: bigTitle.size });
  titleSlide.addText(brief.deck.title.subtitle, { x: MARGIN_X, y: 4.35, w: bodyWidth, h: 0.5, fontFace, fontSize: fitter.title(brief.deck.title.subtitle, { w: bodyWidth, h: 0.5 }, 18, 12, false).size, color: 'FFFFFF' });
  titleSlide.addText(brief.deck.title.authors, { x: MARGIN_X, y: 5.45, w: bodyWidth, h: 0.9, fontFace, fontSize: fitter.title(brief.deck.title.authors, { w: bodyWidth, h: 0.9 }, 16, 10, false).size, color: hex(colors.brandLight), valign: 'top' });

  addFlowingSlides(brief.deck.keyPoints.title, brief.deck.keyPoints.title, plainParagraphs(brief.deck.keyPoints.points), '', { indent: BULLET_INDENT });

  for (const section of brief.deck.sections) {
    // A section that holds only a figure goes straight to the figure's slide.
    if (section.bullets.length > 0) addFlowingSlides(section.title, section.continuedTitle, plainParagraphs(section.bullets), section.notes, { indent: BULLET_INDENT });
    for (const figure of section.figures) addFigureSlide(pptx, figure, theme, fontFace, addTitle);
  }

  if (brief.deck.more) {
    const links: Paragraph[] = brief.deck.more.links.map((link) => ({
      runs: [
        // Only the short report code is the hyperlink: LibreOffice treats a linked run as one unbreakable field.
        { text: link.text, options: { hyperlink: { url: link.url, tooltip: link.url }, color: hex(colors.link) } },
        { text: link.after, options: { color: hex(colors.text) } },
      ],
    }));
    addFlowingSlides(brief.deck.more.title, brief.deck.more.continuedTitle, links, brief.deck.more.notes, { indent: BULLET_INDENT });
  }

  addFlowingSlides(brief.deck.authors.title, brief.deck.authors.continuedTitle, plainParagraphs(brief.deck.authors.lines), '', { indent: 0 });

  // The disclaimer gets a slide of its own: decks travel without their notes.
  // One paragraph, unless it is too long for a slide: then it continues between sentences.
  const disclaimerSizes = { bodySize: 14, minSize: 10 };
  const disclaimerText = [brief.deck.disclaimer.text];
  const disclaimer = fitter.paginate(plainParagraphs(disclaimerText), body, disclaimerSizes.bodySize, disclaimerSizes.minSize, 0);
  const fitsOne = fitter.paragraphHeight({ runs: [{ text: disclaimerText[0]! }] }, disclaimer.size, body, 0) <= (bodyHeight - 2 * INSET) * POINTS_PER_INCH;
  addFlowingSlides(brief.deck.disclaimer.title, brief.deck.disclaimer.continuedTitle, plainParagraphs(fitsOne ? disclaimerText : sentences(disclaimerText[0]!)), '', {
    indent: 0,
    ...disclaimerSizes,
    color: hex(colors.muted),
  });

  numberChartsFromOne(pptx);
  // Stored, not deflated: the package step rewrites every entry and compresses once.
  const raw = (await pptx.write({ outputType: 'uint8array', compression: false })) as Uint8Array;
  const bytes = await normalizePptx(raw, briefDate(brief.updated));
  return { bytes, slides: countSlides(pptx) };
}

/**
 * pptxgenjs numbers charts with a counter shared by every presentation in the
 * process, so the second deck a process builds has chart2.xml where the first had
 * chart1.xml. Renumbering each deck's charts from 1 keeps the bytes independent of
 * what the process built before.
 */
function numberChartsFromOne(pptx: PptxGenJS): void {
  let next = 1;
  const slides = (pptx as unknown as { _slides: Array<{ _relsChart: Array<{ globalId: number; fileName: string; Target: string }> }> })._slides;
  for (const slide of slides) {
    for (const chart of slide._relsChart) {
      chart.globalId = next;
      chart.fileName = `chart${next}.xml`;
      chart.Target = `/ppt/charts/chart${next}.xml`;
      next++;
    }
  }
}

function countSlides(pptx: PptxGenJS): number {
  // pptxgenjs keeps its slides private; the count goes into the manifest.
  return (pptx as unknown as { _slides: unknown[] })._slides.length;
}

/** Excel number format for a figure's values, e.g. `"$"#,##0.0`. */
export function excelFormat(format: ComposedFigure['chart']['numberFormat']): string {
  const digits = format.decimals > 0 ? `#,##0.${'0'.repeat(format.decimals)}` : '#,##0';
  const quote = (s: string) => (s ? `"${s.replace(/"/g, '')}"` : '');
  return `${quote(format.prefix)}${digits}${quote(format.suffix)}`;
}

function addFigureSlide(
  pptx: PptxGenJS,
  entry: { title: string; source: string; notes: string; figure: ComposedFigure },
  theme: Theme,
  fontFace: string,
  addTitle: (slide: Slide, text: string) => void,
): void {
  const d = theme.deck;
  const colors = theme.colors;
  const chart = entry.figure.chart;
  const bodyWidth = d.width - 2 * MARGIN_X;
  const slide = pptx.addSlide({ masterName: 'BRIEF_CONTENT' });
  addTitle(slide, entry.title);
  if (entry.figure.subtitle) {
    slide.addText(entry.figure.subtitle, { x: MARGIN_X, y: 1.3, w: bodyWidth, h: 0.4, fontFace, fontSize: 16, color: hex(colors.muted) });
  }
  const horizontal = chart.orientation === 'horizontal';
  const formatCode = excelFormat(chart.numberFormat);
  const type = chart.type === 'pie' ? pptx.ChartType.pie : chart.type === 'line' ? pptx.ChartType.line : pptx.ChartType.bar;
  const data = chart.series.map((s) => ({ name: s.label, labels: [...chart.categories], values: [...s.values] }));
  const multi = chart.series.length > 1;
  slide.addChart(type, data, {
    x: MARGIN_X + 0.4,
    y: 1.8,
    w: bodyWidth - 0.8,
    h: 4.55,
    altText: entry.figure.alt,
    chartColors: chart.type === 'pie' ? theme.colors.chartSeries.map(hex) : chart.series.map((s) => hex(s.color)),
    barDir: horizontal ? 'bar' : 'col',
    // Chart.js draws the first category at the top of a horizontal bar chart; PowerPoint
    // draws it at the bottom unless the category axis runs max to min.
    // (pptxgenjs's types list only 'minMax', its code writes either.)
    catAxisOrientation: (horizontal ? 'maxMin' : 'minMax') as 'minMax',
    // With the categories reversed, keep the value axis at the bottom.
    ...(horizontal ? { catAxisCrossesAt: 'max' as unknown as number } : {}),
    catAxisLabelFontFace: fontFace,
    catAxisLabelFontSize: 14,
    catAxisLabelColor: hex(colors.text),
    valAxisLabelFontFace: fontFace,
    valAxisLabelFontSize: 12,
    valAxisLabelColor: hex(colors.text),
    // Axis ticks are round numbers; the bars' own labels carry the decimals.
    valAxisLabelFormatCode: excelFormat({ ...chart.numberFormat, decimals: 0 }),
    valAxisLabelPos: 'nextTo',
    valGridLine: { color: hex(colors.chartGrid), size: 0.75 },
    catGridLine: { style: 'none' },
    ...(chart.axisTitle ? { showValAxisTitle: true, valAxisTitle: chart.axisTitle, valAxisTitleFontFace: fontFace, valAxisTitleFontSize: 12, valAxisTitleColor: hex(colors.muted) } : {}),
    showValue: chart.type !== 'line',
    dataLabelFormatCode: formatCode,
    dataLabelFontFace: fontFace,
    dataLabelFontSize: 12,
    dataLabelColor: hex(colors.text),
    dataLabelPosition: chart.type === 'pie' ? 'bestFit' : 'outEnd',
    showLegend: multi || chart.type === 'pie',
    legendPos: chart.type === 'pie' ? 'r' : 'b',
    legendFontFace: fontFace,
    legendFontSize: 12,
    barGapWidthPct: 60,
    lang: 'en-US',
  });
  slide.addText(entry.source, { x: MARGIN_X + 0.4, y: 6.38, w: bodyWidth - 0.8, h: 0.4, fontFace, fontSize: 12, color: hex(colors.muted) });
  slide.addNotes(entry.notes);
}

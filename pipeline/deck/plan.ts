// The deck's layout: every decision about the slides (which slides, what goes on
// each, at which size, where, and when a section continues on a "(cont.)" slide)
// made on plain data, before anything is drawn. Text is measured with the deck
// face's metrics (fit.ts), so what is planned to fit does fit. deck/render.ts
// only draws the plan.
import type { ChartArtifact, NumberFormat } from '../charts/charts.ts';
import type { ComposedBrief, ComposedFigure, DeckExhibit, DeckSection } from '../compose/compose.ts';
import type { FontBook } from '../core/fonts.ts';
import type { Theme } from '../core/theme.ts';
import { TextFitter, type SizeRange } from './fit.ts';
import { acrossContent, slideMasters, titlePlaceholder, WHITE } from './masters.ts';
import { POINTS_PER_INCH, type ChartShape, type DeckPlan, type Paragraph, type Rect, type Run, type SlidePlan, type TextShape, type TitleShape } from './model.ts';

export type { DeckPlan, SlidePlan } from './model.ts';

/** What every slide planner needs: the theme, the fitter and the content slides' body box. */
interface Planner {
  readonly theme: Theme;
  readonly fitter: TextFitter;
  /** From below the title to just above the footer. */
  readonly body: Rect;
  readonly language: string;
}

/** Body text that fills as many content slides as it needs. */
interface Flow {
  readonly title: string;
  readonly continuedTitle: string;
  readonly paragraphs: ReadonlyArray<readonly Run[]>;
  readonly bulleted: boolean;
  readonly notes: string;
  readonly sizes?: SizeRange;
  readonly color?: string;
}

export function planDeck(brief: ComposedBrief, theme: Theme, fonts: FontBook): DeckPlan {
  const { deck } = theme;
  const planner: Planner = { theme, fitter: new TextFitter(fonts, deck.text), body: bodyBox(deck), language: brief.language };
  return {
    width: deck.width,
    height: deck.height,
    fontFace: theme.fonts.deckFontName,
    language: brief.language,
    properties: { title: brief.title, subject: brief.pdf.subject, author: brief.pdf.author, company: brief.pdf.publisherName, date: brief.updated },
    masters: slideMasters(brief, theme),
    slides: [
      titleSlide(brief, planner),
      ...keyPointSlides(brief.deck.keyPoints, planner),
      ...brief.deck.sections.flatMap((section) => sectionSlides(section, planner)),
      ...(brief.deck.more ? linkSlides(brief.deck.more, planner) : []),
      ...flowingSlides({ ...brief.deck.authors, paragraphs: plain(brief.deck.authors.lines), bulleted: false, notes: '' }, planner),
      ...disclaimerSlides(brief.deck.disclaimer, planner),
    ],
  };
}

/** A slide's title, as outline view and screen readers announce it. */
export function slideTitle(slide: SlidePlan): string {
  return slide.shapes.find((s): s is TitleShape => s.kind === 'title')?.text ?? '';
}

function bodyBox(deck: Theme['deck']): Rect {
  const { content, footer } = deck;
  return acrossContent(deck, content.bodyTop, footer.y - content.bodyGap - content.bodyTop);
}

const plain = (texts: readonly string[]): Run[][] => texts.map((text) => [{ text }]);

function titleSlide(brief: ComposedBrief, planner: Planner): SlidePlan {
  const { deck, colors } = planner.theme;
  const { seriesLabel, subtitle, authors } = deck.titleSlide;
  // The subtitle and author lines take the size that fits but keep every word.
  const fittedSize = (text: string, box: Rect, sizes: SizeRange) => planner.fitter.shrinkToFit(text, box, sizes, false).size;
  const subtitleBox = acrossContent(deck, subtitle.y, subtitle.height);
  const authorsBox = acrossContent(deck, authors.y, authors.height);
  return {
    master: 'BRIEF_TITLE',
    shapes: [
      {
        kind: 'text',
        box: acrossContent(deck, seriesLabel.y, seriesLabel.height),
        text: brief.pdf.seriesLabel,
        style: { fontSize: seriesLabel.size, bold: true, color: colors.accent, charSpacing: seriesLabel.letterSpacing },
      },
      fittedTitle(brief.deck.title.title, 'BRIEF_TITLE', planner),
      { kind: 'text', box: subtitleBox, text: brief.deck.title.subtitle, style: { fontSize: fittedSize(brief.deck.title.subtitle, subtitleBox, subtitle), color: WHITE } },
      {
        kind: 'text',
        box: authorsBox,
        text: brief.deck.title.authors,
        style: { fontSize: fittedSize(brief.deck.title.authors, authorsBox, authors), color: colors.brandLight, valign: 'top' },
      },
    ],
  };
}

/** The title at the largest size that fits the master's placeholder, shortened with an ellipsis past the minimum (the notes keep it whole). */
function fittedTitle(text: string, master: SlidePlan['master'], { theme, fitter }: Planner): TitleShape {
  const placeholder = titlePlaceholder(theme.deck, master);
  const fitted = fitter.shrinkToFit(text, placeholder.box, { size: placeholder.fontSize, minSize: theme.deck.text.minTitleSize });
  return { kind: 'title', text: fitted.text, fontSize: fitted.size };
}

/**
 * Paragraphs of body text on as many slides as they need: the largest size from
 * the flow's sizes (the theme's body sizes unless given) that fits one slide, else
 * the minimum size and "(cont.)" slides.
 */
function flowingSlides(flow: Flow, planner: Planner): SlidePlan[] {
  const { theme, fitter, body } = planner;
  const { text } = theme.deck;
  const bullet = flow.bulleted ? { bullet: { indent: text.bulletIndent * POINTS_PER_INCH } } : {};
  const paragraphs: Paragraph[] = flow.paragraphs.map((runs) => ({ ...bullet, runs }));
  const { size, pages } = fitter.paginate(paragraphs, body, flow.sizes ?? text.body, flow.bulleted ? text.bulletIndent : 0);
  return pages.map((page, i) => ({
    master: 'BRIEF_CONTENT',
    shapes: [
      fittedTitle(i === 0 ? flow.title : flow.continuedTitle, 'BRIEF_CONTENT', planner),
      { kind: 'body', box: body, fontSize: size, color: flow.color ?? theme.colors.text, paragraphSpaceAfter: text.paragraphSpaceAfter, paragraphs: page },
    ],
    ...(flow.notes ? { notes: flow.notes } : {}),
  }));
}

function keyPointSlides(keyPoints: ComposedBrief['deck']['keyPoints'], planner: Planner): SlidePlan[] {
  return flowingSlides({ title: keyPoints.title, continuedTitle: keyPoints.title, paragraphs: plain(keyPoints.points), bulleted: true, notes: '' }, planner);
}

function sectionSlides(section: DeckSection, planner: Planner): SlidePlan[] {
  // A section that holds only a figure goes straight to the figure's slide.
  const bullets = section.bullets.length > 0 ? flowingSlides({ ...section, paragraphs: plain(section.bullets), bulleted: true }, planner) : [];
  return [...bullets, ...section.exhibits.flatMap((exhibit) => (exhibit.kind === 'figure' ? [figureSlide(exhibit, planner)] : []))];
}

function linkSlides(more: NonNullable<ComposedBrief['deck']['more']>, planner: Planner): SlidePlan[] {
  const { colors } = planner.theme;
  const links = more.links.map((link): Run[] => [
    // Only the short report code is the hyperlink: LibreOffice treats a linked run as one unbreakable field.
    { text: link.text, hyperlink: { url: link.url, tooltip: link.url }, color: colors.link },
    { text: link.after, color: colors.text },
  ]);
  return flowingSlides({ ...more, paragraphs: links, bulleted: true }, planner);
}

/**
 * The disclaimer gets slides of its own: decks travel without their notes. One
 * paragraph, unless it is too long for a slide: then it continues between sentences.
 */
function disclaimerSlides(disclaimer: ComposedBrief['deck']['disclaimer'], planner: Planner): SlidePlan[] {
  const { fitter, body, theme } = planner;
  const sizes = theme.deck.disclaimer;
  const whole = [{ runs: [{ text: disclaimer.text }] }];
  const { size } = fitter.paginate(whole, body, sizes, 0);
  const paragraphs = fitter.fits(whole, size, body, 0) ? [disclaimer.text] : sentences(disclaimer.text);
  return flowingSlides({ ...disclaimer, paragraphs: plain(paragraphs), bulleted: false, notes: '', sizes, color: theme.colors.muted }, planner);
}

/** Sentences of a long text, so it can continue on a following slide between sentences. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z“"(])/);
}

function figureSlide(entry: Extract<DeckExhibit, { kind: 'figure' }>, planner: Planner): SlidePlan {
  const { theme } = planner;
  const { deck, colors } = theme;
  const { subtitle, chart, source } = deck.figure;
  // The chart and its source line stand in from the margins.
  const indented = (y: number, h: number): Rect => {
    const across = acrossContent(deck, y, h);
    return { ...across, x: across.x + chart.indent, w: across.w - 2 * chart.indent };
  };
  const subtitleShape: TextShape[] = entry.figure.subtitle
    ? [{ kind: 'text', box: acrossContent(deck, subtitle.y, subtitle.height), text: entry.figure.subtitle, style: { fontSize: subtitle.size, color: colors.muted } }]
    : [];
  return {
    master: 'BRIEF_CONTENT',
    shapes: [
      fittedTitle(entry.title, 'BRIEF_CONTENT', planner),
      ...subtitleShape,
      ...(entry.figure.chart ? [chartShape(entry.figure, entry.figure.chart, indented(chart.y, chart.height), planner)] : []),
      ...(entry.source ? [{ kind: 'text' as const, box: indented(source.y, source.height), text: entry.source, style: { fontSize: source.size, color: colors.muted } }] : []),
    ],
    notes: entry.notes,
  };
}

function chartShape(figure: ComposedFigure, chart: ChartArtifact, box: Rect, { theme, language }: Planner): ChartShape {
  const { colors } = theme;
  const sizes = theme.deck.chart;
  const pie = chart.type === 'pie';
  return {
    kind: 'chart',
    box,
    type: chart.type,
    horizontal: chart.orientation === 'horizontal',
    series: chart.series.map((s) => ({ name: s.label, labels: chart.categories, values: s.values })),
    colors: pie ? colors.chartSeries : chart.series.map((s) => s.color),
    altText: figure.alt,
    language,
    categoryAxis: { fontSize: sizes.categoryLabelSize, color: colors.text },
    valueAxis: {
      fontSize: sizes.labelSize,
      color: colors.text,
      // Axis ticks are round numbers; the bars' own labels carry the decimals.
      format: excelFormat({ ...chart.numberFormat, decimals: 0 }),
      ...(chart.axisTitle ? { title: { text: chart.axisTitle, fontSize: sizes.labelSize, color: colors.muted } } : {}),
    },
    dataLabels: { show: chart.type !== 'line', format: excelFormat(chart.numberFormat), fontSize: sizes.labelSize, color: colors.text, position: pie ? 'bestFit' : 'outEnd' },
    legend: { show: chart.series.length > 1 || pie, position: pie ? 'r' : 'b', fontSize: sizes.labelSize },
    gridLine: { color: colors.chartGrid, weight: sizes.gridWeight },
    gapWidthPct: sizes.barGapWidthPct,
  };
}

/** Excel number format for a figure's values, e.g. `"$"#,##0.0`. */
export function excelFormat(format: NumberFormat): string {
  const digits = format.decimals > 0 ? `#,##0.${'0'.repeat(format.decimals)}` : '#,##0';
  const quote = (s: string) => (s ? `"${s.replace(/"/g, '')}"` : '');
  return `${quote(format.prefix)}${digits}${quote(format.suffix)}`;
}

// The deck's layout: every decision about the slides (which slides, what goes on
// each, at which size, where, and when a section continues on a "(cont.)" slide)
// made on plain data, before anything is drawn. Text is measured with the deck
// face's metrics (fit.ts), so what is planned to fit does fit. deck/render.ts
// only draws the plan. Tables are laid out in tables.ts, charts in charts.ts;
// a sub-section gets slides of its own, the parent section's heading above their
// titles as a kicker (planner.ts).
import type { ComposedBrief, ComposedFigure, DeckExhibit, Notes } from '../compose/compose.ts';
import type { FontBook } from '../core/fonts.ts';
import { metadataText } from '../core/text.ts';
import type { Theme } from '../core/theme.ts';
import { chartShape, rangeNotes } from './charts.ts';
import { TextFitter, type SizeRange } from './fit.ts';
import { acrossContent, slideMasters, WHITE } from './masters.ts';
import { POINTS_PER_INCH, type BodyShape, type DeckPlan, type Paragraph, type PictureShape, type Rect, type Run, type SlidePlan, type SlideShape, type TextShape, type TitleShape } from './model.ts';
import { outline, pagePoints, type ExhibitItem, type OutlinePoint, type PointsItem } from './outline.ts';
import { boxHeight, contentSlide, deckRuns, fittedTitle, type Planner } from './planner.ts';
import { tableSlides } from './tables.ts';

export type { DeckPlan, SlidePlan } from './model.ts';

/** A paragraph of a flow: its runs, with or without a bullet (a list's item under its lead-in at level 2). */
interface FlowParagraph {
  readonly runs: readonly Run[];
  readonly bulleted: boolean;
  readonly level?: 2;
}

/** Body text that fills as many content slides as it needs. */
interface Flow {
  readonly title: string;
  readonly continuedTitle: string;
  readonly paragraphs: readonly FlowParagraph[];
  readonly notes: Notes;
  readonly sizes?: SizeRange;
  readonly color?: string;
  /** The parent section's heading, on a sub-section's slides. */
  readonly kicker?: string;
  /** The body box, when not the planner's. */
  readonly box?: Rect;
  /** Shapes the last slide also holds (a text box's source line). */
  readonly last?: readonly SlideShape[];
}

export function planDeck(brief: ComposedBrief, theme: Theme, fonts: FontBook): DeckPlan {
  const { deck } = theme;
  const planner: Planner = { theme, fitter: new TextFitter(fonts, deck.text, brief.language), body: bodyBox(deck), language: brief.language };
  const { wordsPerPoint, ...limits } = deck.points;
  const plan = outline(brief.deck, { language: brief.language, limits, wordsPerPoint, shortenedLabel: brief.deck.shortenedLabel });
  return {
    width: deck.width,
    height: deck.height,
    fontFace: theme.fonts.deckFontName,
    language: brief.language,
    // docProps, which file browsers show alone: no invisible bidirectional or zero-width controls (metadataText).
    properties: {
      title: metadataText(brief.title),
      subject: metadataText(brief.pdf.subject),
      author: metadataText(brief.pdf.author),
      company: metadataText(brief.pdf.publisherName),
      date: brief.updated,
    },
    masters: slideMasters(brief, theme),
    slides: [
      titleSlide(brief, planner),
      ...pointSlides(plan.keyPoints, planner),
      ...plan.sections.flatMap((item) => (item.kind === 'points' ? pointSlides(item, planner) : exhibitSlides(item, planner))),
      ...(brief.deck.more ? linkSlides(brief.deck.more, planner) : []),
      ...flowingSlides({ ...brief.deck.authors, paragraphs: plain(brief.deck.authors.lines, false), notes: [] }, planner),
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

const plain = (texts: readonly string[], bulleted: boolean): FlowParagraph[] => texts.map((text) => ({ runs: [{ text }], bulleted }));

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

/**
 * Paragraphs of body text on as many slides as they need: the largest size from
 * the flow's sizes (the theme's body sizes unless given) that fits one slide, else
 * the minimum size and "(cont.)" slides.
 */
function flowingSlides(flow: Flow, planner: Planner): SlidePlan[] {
  const { theme, fitter } = planner;
  const { text } = theme.deck;
  const box = flow.box ?? planner.body;
  const paragraphs: Paragraph[] = flow.paragraphs.map(({ runs, bulleted, level }) => ({
    ...(bulleted ? { bullet: { indent: text.bulletIndent * POINTS_PER_INCH, ...(level === undefined ? {} : { level }) } } : {}),
    runs,
  }));
  const { size, pages } = fitter.paginate(paragraphs, box, flow.sizes ?? text.body, (p) => (p.bullet ? text.bulletIndent * (p.bullet.level ?? 1) : 0));
  return pages.map((page, i) => {
    const body: BodyShape = { kind: 'body', box, fontSize: size, color: flow.color ?? theme.colors.text, paragraphSpaceAfter: text.paragraphSpaceAfter, paragraphs: page };
    return contentSlide(i === 0 ? flow.title : flow.continuedTitle, planner, [body, ...(i === pages.length - 1 ? (flow.last ?? []) : [])], flow.notes, flow.kicker);
  });
}

/**
 * Points on slides: chosen points a slide's worth at a time (bullets and words per
 * slide), the authors' as they flow; each slide's text then fitted by height. A
 * section's heading as a lead-in is bold and has no bullet.
 */
function pointSlides(item: PointsItem, planner: Planner): SlidePlan[] {
  const { colors, deck } = planner.theme;
  const paragraphs = (points: readonly OutlinePoint[]) => flowParagraphs(points, colors.link);
  const kicker = item.kicker === undefined ? {} : { kicker: item.kicker };
  const { wordsPerPoint: _unused, ...limits } = deck.points;
  const pages = item.paged ? pagePoints(item.points, limits) : [item.points];
  return pages.flatMap((page, i) =>
    flowingSlides({ title: i === 0 ? item.title : item.continuedTitle, continuedTitle: item.continuedTitle, paragraphs: paragraphs(page), notes: item.notes, ...kicker }, planner),
  );
}

const flowParagraphs = (points: readonly OutlinePoint[], linkColor: string): FlowParagraph[] =>
  points.map((p) => ({ runs: deckRuns(p.runs, linkColor), bulleted: p.level > 0, ...(p.level === 2 ? { level: 2 as const } : {}) }));

function exhibitSlides(item: ExhibitItem, planner: Planner): SlidePlan[] {
  const { exhibit, kicker } = item;
  switch (exhibit.kind) {
    case 'figure': {
      if (item.takeaway === undefined || !fitsOneTitleLine(item.takeaway, planner)) return [figureSlide(exhibit, planner, kicker)];
      // The takeaway is the title; the caption (and the figure's subtitle) the line under it.
      const caption = [exhibit.title, exhibit.figure.subtitle].filter(Boolean).join(' — ');
      return [figureSlide({ ...exhibit, title: item.takeaway, figure: { ...exhibit.figure, subtitle: caption } }, planner, kicker)];
    }
    case 'table': {
      if (item.takeaway === undefined || !fitsOneTitleLine(item.takeaway, planner)) return tableSlides(exhibit, planner, kicker);
      const caption = [exhibit.title, exhibit.table.subtitle].filter(Boolean).join(' — ');
      return tableSlides({ ...exhibit, title: item.takeaway, table: { ...exhibit.table, subtitle: caption } }, planner, kicker);
    }
    case 'textbox':
      return textboxSlides(item.notes === undefined ? exhibit : { ...exhibit, notes: item.notes }, planner, kicker, item.points);
  }
}

/** Whether a takeaway fits the title placeholder on one line at no less than the smallest title size. */
function fitsOneTitleLine(text: string, planner: Planner): boolean {
  const { theme, fitter } = planner;
  const width = (theme.deck.width - 2 * theme.deck.content.marginX - 2 * theme.deck.text.inset) * POINTS_PER_INCH;
  return fitter.lines(text, theme.deck.text.minTitleSize, width, true) === 1;
}

function linkSlides(more: NonNullable<ComposedBrief['deck']['more']>, planner: Planner): SlidePlan[] {
  const { colors } = planner.theme;
  const links = more.links.map((link): FlowParagraph => ({
    runs: [
      // Only the short report code is the hyperlink: LibreOffice treats a linked run as one unbreakable field.
      { text: link.text, hyperlink: { url: link.url, tooltip: link.url }, color: colors.link },
      { text: link.after, color: colors.text },
    ],
    bulleted: true,
  }));
  return flowingSlides({ ...more, paragraphs: links }, planner);
}

/**
 * The disclaimer gets slides of its own: decks travel without their notes. One
 * paragraph, which continues between sentences when it is too long for a slide.
 */
function disclaimerSlides(disclaimer: ComposedBrief['deck']['disclaimer'], planner: Planner): SlidePlan[] {
  const { theme } = planner;
  return flowingSlides({ ...disclaimer, paragraphs: plain([disclaimer.text], false), notes: [], sizes: theme.deck.disclaimer, color: theme.colors.muted }, planner);
}

/**
 * A figure's slide: its subtitle, the native chart or the picture, and the source
 * line (after the names of a chart's shaded ranges). A source line too long for one
 * line grows upward and the chart gives up the room.
 */
function figureSlide(entry: Extract<DeckExhibit, { kind: 'figure' }>, planner: Planner, kicker: string | undefined): SlidePlan {
  const { theme, fitter } = planner;
  const { deck, colors } = theme;
  const { subtitle, chart, source } = deck.figure;
  // The chart and its source line stand in from the margins.
  const indented = (y: number, h: number): Rect => {
    const across = acrossContent(deck, y, h);
    return { ...across, x: across.x + chart.indent, w: across.w - 2 * chart.indent };
  };
  const { figure } = entry;
  const sourceText = [...(figure.chart ? rangeNotes(figure.chart).map((note) => `${note}.`) : []), ...(entry.source ? [entry.source] : [])].join(' ');
  const sourceWidth = (indented(0, 0).w - 2 * deck.text.inset) * POINTS_PER_INCH;
  const extraLines = sourceText ? fitter.lines(sourceText, source.size, sourceWidth, false) - 1 : 0;
  const extra = (extraLines * source.size * deck.text.lineHeight) / POINTS_PER_INCH;
  const area = indented(chart.y, chart.height - extra);
  const subtitleShape: TextShape[] = figure.subtitle
    ? [{ kind: 'text', box: acrossContent(deck, subtitle.y, subtitle.height), text: figure.subtitle, style: { fontSize: subtitle.size, color: colors.muted } }]
    : [];
  const shown: SlideShape[] = figure.chart ? [chartShape(figure, figure.chart, area, planner)] : figure.image ? [pictureShape(figure.image, figure.alt, area, planner)] : [];
  const sourceShape: TextShape[] = sourceText
    ? [{ kind: 'text', box: indented(source.y - extra, source.height + extra), text: sourceText, style: { fontSize: source.size, color: colors.muted } }]
    : [];
  return contentSlide(entry.title, planner, [...subtitleShape, ...shown, ...sourceShape], entry.notes, kicker);
}

/** The largest box of the image's proportions inside `area`, centred in it. */
function pictureShape(image: NonNullable<ComposedFigure['image']>, altText: string, area: Rect, { theme }: Planner): PictureShape {
  const aspect = image.width / image.height;
  const w = Math.min(area.w, area.h * aspect);
  const h = w / aspect;
  const box = { x: area.x + (area.w - w) / 2, y: area.y + (area.h - h) / 2, w, h };
  const dpi = theme.deck.image.fallbackDpi;
  // A very thin picture (10,000 × 1) would round to no pixels at all, which no canvas can be.
  const pixels = (inches: number) => Math.max(1, Math.round(inches * dpi));
  return {
    kind: 'picture',
    box,
    format: image.format,
    bytes: image.bytes,
    altText,
    ...(image.format === 'svg' ? { fallback: { width: pixels(w), height: pixels(h) } } : {}),
  };
}

/** A text box's slides: its paragraphs and bullets as body text, its source line at the foot of the last. */
function textboxSlides(entry: Extract<DeckExhibit, { kind: 'textbox' }>, planner: Planner, kicker: string | undefined, points?: readonly OutlinePoint[]): SlidePlan[] {
  const { theme, fitter, body } = planner;
  const { deck, colors } = theme;
  const { textbox } = entry;
  const paragraphs = points
    ? flowParagraphs(points, colors.link)
    : textbox.blocks.flatMap((block): FlowParagraph[] =>
        block.kind === 'paragraph'
          ? [{ runs: deckRuns(block.runs, colors.link), bulleted: false }]
          : block.items.map((item) => ({ runs: deckRuns(item, colors.link), bulleted: true })),
      );
  const sourceLine: Paragraph[] = textbox.source ? [{ runs: deckRuns(textbox.source, colors.link) }] : [];
  const size = deck.figure.source.size;
  const sourceHeight = sourceLine.length === 0 ? 0 : boxHeight(fitter.height(sourceLine, size, body, 0, 0), planner);
  const source: BodyShape[] =
    sourceLine.length === 0
      ? []
      : [{ kind: 'body', box: { ...body, y: body.y + body.h - sourceHeight, h: sourceHeight }, fontSize: size, color: colors.muted, paragraphSpaceAfter: 0, paragraphs: sourceLine }];
  return flowingSlides(
    {
      title: entry.title,
      continuedTitle: entry.continuedTitle,
      paragraphs,
      notes: entry.notes,
      box: { ...body, h: body.h - sourceHeight },
      last: source,
      ...(kicker === undefined ? {} : { kicker }),
    },
    planner,
  );
}

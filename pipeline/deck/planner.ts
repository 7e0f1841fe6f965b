// What the slide planners share: the theme, the text fitter and the body box; a
// slide's title fitted to its master's placeholder (clear of the kicker a
// sub-section's slides carry); the composed runs of tables, text boxes and source
// lines as the deck's runs.
import { crossReferenceTarget } from '../input/inline.ts';
import { plainText, type Run as ComposedRun } from '../core/text.ts';
import type { Theme } from '../core/theme.ts';
import type { TextFitter } from './fit.ts';
import { acrossContent, titlePlaceholder } from './masters.ts';
import { POINTS_PER_INCH, type Rect, type Run, type SlidePlan, type SlideShape, type TextShape, type TitleShape } from './model.ts';

export interface Planner {
  readonly theme: Theme;
  readonly fitter: TextFitter;
  /** From below the title to just above the footer. */
  readonly body: Rect;
  readonly language: string;
}

/**
 * The title at the largest size that fits the master's placeholder, shortened with
 * an ellipsis past the minimum (the notes keep it whole). Under a kicker the title
 * keeps to the middle of the placeholder: it is centred vertically, so its text
 * may reach up only as far as it reaches down.
 */
export function fittedTitle(text: string, master: SlidePlan['master'], { theme, fitter }: Planner, kicker?: string): TitleShape {
  const placeholder = titlePlaceholder(theme.deck, master);
  const box = kicker === undefined ? placeholder.box : belowKicker(placeholder.box, theme.deck);
  const fitted = fitter.shrinkToFit(text, box, { size: placeholder.fontSize, minSize: theme.deck.text.minTitleSize });
  return { kind: 'title', text: fitted.text, fontSize: fitted.size };
}

function belowKicker(box: Rect, deck: Theme['deck']): Rect {
  const { kicker } = deck.content;
  const { inset, lineHeight } = deck.text;
  const middle = box.y + box.h / 2;
  const kickerTextBottom = kicker.y + inset + (kicker.size * lineHeight) / POINTS_PER_INCH;
  const half = Math.min(box.h / 2 - inset, middle - kickerTextBottom);
  return { ...box, y: middle - half - inset, h: 2 * (half + inset) };
}

/** The height of a box that holds `points` of text inside its insets: rounded up to a hundredth of an inch, so what was measured to fit still fits in floating point. */
export function boxHeight(points: number, { theme }: Planner): number {
  return Math.ceil((points / POINTS_PER_INCH + 2 * theme.deck.text.inset) * 100) / 100;
}

/** The parent section's heading, small, above a sub-section slide's title. */
export function kickerShape(text: string, { theme }: Planner): TextShape {
  const { deck, colors } = theme;
  const { kicker } = deck.content;
  return { kind: 'text', box: acrossContent(deck, kicker.y, kicker.height), text, style: { fontSize: kicker.size, bold: true, color: colors.muted, valign: 'top' } };
}

/** A content slide: its title (and kicker), then its shapes in reading order. */
export function contentSlide(title: string, planner: Planner, shapes: readonly SlideShape[], notes: readonly ComposedRun[], kicker?: string): SlidePlan {
  return {
    master: 'BRIEF_CONTENT',
    shapes: [fittedTitle(title, 'BRIEF_CONTENT', planner, kicker), ...(kicker === undefined ? [] : [kickerShape(kicker, planner)]), ...shapes],
    ...(plainText(notes) === '' ? {} : { notes: noteRuns(notes) }),
  };
}

/**
 * Composed runs as the notes': italics, bold and raised marks kept; a link as its
 * text with the URL after it in brackets, as a reader of the notes needs it (a
 * link in the notes would need relationships of the notes slide's own). A bare
 * URL is its own text already, and a cross-reference ("Figure 2") points inside
 * the deck.
 */
function noteRuns(runs: readonly ComposedRun[]): Run[] {
  const out: Run[] = [];
  let linkText = '';
  runs.forEach((run, i) => {
    if (run.text !== '') out.push({ text: run.text, ...(run.bold ? { bold: true } : {}), ...(run.italic ? { italic: true } : {}), ...(run.superscript ? { superscript: true } : {}) });
    const { href } = run;
    if (href === undefined) return;
    linkText += run.text;
    // A link's text may be several runs (a word of it in italics): the URL follows the last.
    if (runs[i + 1]?.href === href) return;
    const text = linkText;
    linkText = '';
    if (crossReferenceTarget(href) === undefined && text !== href && `mailto:${text}` !== href) out.push({ text: ` (${href})` });
  });
  return out;
}

/**
 * Composed runs as the deck's: links to reports and web pages stay links (in the
 * link color, which pptxgenjs does not give them itself); a cross-reference
 * ("Figure 2") is plain text; footnote marks stay raised.
 */
export function deckRuns(runs: readonly ComposedRun[], linkColor: string): Run[] {
  return runs
    .filter((run) => run.text !== '')
    .map((run) => {
      const external = run.href !== undefined && crossReferenceTarget(run.href) === undefined;
      return {
        text: run.text,
        ...(run.bold ? { bold: true } : {}),
        ...(run.italic ? { italic: true } : {}),
        ...(external ? { hyperlink: { url: run.href!, tooltip: run.href! }, color: linkColor } : {}),
        ...(run.superscript ? { superscript: true } : {}),
      };
    });
}

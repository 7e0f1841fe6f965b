// The deck's two slide masters as data, from the theme and the composed footer and
// wordmark: the title master (brand background, accent rule) and the content
// master (brand bar, footer rule). Both hold the title placeholder every slide's
// title goes into, so outline view and screen readers see it.
import type { ComposedBrief } from '../compose/compose.ts';
import type { Theme } from '../core/theme.ts';
import type { MasterName, Rect, SlideMaster, TextShape } from './model.ts';

/** Text on the brand color. */
export const WHITE = '#FFFFFF';

type DeckTheme = Theme['deck'];

/** A box from margin to margin. */
export function acrossContent(deck: DeckTheme, y: number, h: number): Rect {
  return { x: deck.content.marginX, y, w: deck.width - 2 * deck.content.marginX, h };
}

/** Where a master's title placeholder stands, and the size its text starts at before it is fitted. */
export function titlePlaceholder(deck: DeckTheme, master: MasterName): { box: Rect; fontSize: number } {
  const spec = master === 'BRIEF_TITLE' ? deck.titleSlide.title : deck.content.title;
  return { box: acrossContent(deck, spec.y, spec.height), fontSize: spec.size };
}

export function slideMasters(brief: ComposedBrief, theme: Theme): SlideMaster[] {
  return [titleMaster(brief, theme), contentMaster(brief, theme)];
}

function titleMaster(brief: ComposedBrief, { deck, colors }: Theme): SlideMaster {
  const title = titlePlaceholder(deck, 'BRIEF_TITLE');
  const rule = deck.titleSlide.accentRule;
  return {
    name: 'BRIEF_TITLE',
    background: colors.brand,
    shapes: [
      { kind: 'band', box: { x: 0, y: rule.y, w: deck.width, h: rule.height }, color: colors.accent },
      { kind: 'titlePlaceholder', box: title.box, style: { fontSize: title.fontSize, bold: true, color: WHITE, align: 'left', valign: 'bottom' } },
      ...footer(brief, deck, { text: colors.brandLight, wordmark: WHITE }),
    ],
    slideNumber: slideNumber(deck, colors.brandLight),
  };
}

function contentMaster(brief: ComposedBrief, { deck, colors }: Theme): SlideMaster {
  const title = titlePlaceholder(deck, 'BRIEF_CONTENT');
  const { footer: f, content } = deck;
  return {
    name: 'BRIEF_CONTENT',
    background: WHITE,
    shapes: [
      { kind: 'band', box: { x: 0, y: 0, w: deck.width, h: content.brandBarHeight }, color: colors.brand },
      { kind: 'rule', box: acrossContent(deck, f.y - f.ruleAbove, 0), color: colors.rule, weight: f.ruleWeight },
      { kind: 'titlePlaceholder', box: title.box, style: { fontSize: title.fontSize, bold: true, color: colors.brand, align: 'left', valign: 'middle' } },
      ...footer(brief, deck, { text: colors.muted, wordmark: colors.brand }),
    ],
    slideNumber: slideNumber(deck, colors.muted),
  };
}

/** The product line at the left margin; the wordmark right-aligned, clear of the slide number. */
function footer(brief: ComposedBrief, deck: DeckTheme, color: { text: string; wordmark: string }): TextShape[] {
  const { footer: f, content } = deck;
  const wordmarkX = deck.width - content.marginX - f.wordmarkClearance - f.textWidth;
  return [
    { kind: 'text', box: { x: content.marginX, y: f.y, w: f.textWidth, h: f.height }, text: brief.deck.footer, style: { fontSize: f.size, color: color.text } },
    { kind: 'text', box: { x: wordmarkX, y: f.y, w: f.textWidth, h: f.height }, text: brief.deck.wordmark, style: { fontSize: f.size, bold: true, align: 'right', color: color.wordmark } },
  ];
}

function slideNumber(deck: DeckTheme, color: string): SlideMaster['slideNumber'] {
  const { footer: f, content } = deck;
  return { box: { x: deck.width - content.marginX - f.slideNumberWidth, y: f.y, w: f.slideNumberWidth, h: f.height }, style: { fontSize: f.size, color, align: 'right' } };
}

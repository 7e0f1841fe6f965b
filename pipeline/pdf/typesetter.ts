// Text for the page: styles from the theme, lines broken (and justified) by
// core/typeset, and set lines stacked on their baselines. The furniture, the
// measuring and the flow all go through it, so every line on the page sits alike.
import type { Measurer } from '../core/fonts.ts';
import type { Run } from '../core/text.ts';
import type { Theme } from '../core/theme.ts';
import { setTotalFit, type ParagraphSetting } from '../core/totalfit.ts';
import { justify, setLines, type SetLine, type TextStyle } from '../core/typeset.ts';
import type { PlacedLine } from './layout.ts';

/** How justified text is broken: total fit, or the first-fit filling it replaced (kept for the typesetting report). */
export type Breaker = 'total-fit' | 'first-fit';

/** A justified paragraph, with its settings one line shorter or longer on demand (for copyfitting). */
export interface JustifiedText {
  /** The measure it was set to. */
  readonly width: number;
  readonly lines: readonly SetLine[];
  readonly demerits: number;
  /** The best setting `looseness` lines longer (negative: shorter) within the quality limits, if any. */
  variant(looseness: number): { readonly lines: readonly SetLine[]; readonly demerits: number } | undefined;
  /** Words wider than the column, cut between letters. */
  readonly wideWords: number;
}

export class Typesetter {
  /** The language's decimal separator, on which table columns of numbers align. */
  readonly decimal: string;

  constructor(
    readonly theme: Theme,
    readonly measurer: Measurer,
    /** The brief's language: its hyphenation patterns break the justified lines. */
    private readonly language: string,
    readonly breaker: Breaker = 'total-fit',
  ) {
    this.decimal = new Intl.NumberFormat(language).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
  }

  style(face: TextStyle['face'], size: number, color = this.theme.colors.text): TextStyle {
    return { face, size, color, linkColor: this.theme.colors.link, superscript: this.theme.pdf.superscript };
  }

  /** Width of a set line's text before the UTF-16 offset `index` into its fragments' text, measured as drawn. */
  widthBefore(line: SetLine, index: number): number {
    let offset = 0;
    for (const fragment of line.fragments) {
      if (index <= offset + fragment.text.length) {
        return fragment.dx + (index > offset ? this.measurer.width(fragment.text.slice(0, index - offset), fragment.font, fragment.size) : 0);
      }
      offset += fragment.text.length;
    }
    return line.width;
  }

  /** Ragged-right lines: furniture, headings, captions. */
  set(runs: readonly Run[], style: TextStyle, width: number): SetLine[] {
    return setLines(runs, style, this.measurer, () => width);
  }

  /** Body text: broken by total fit with hyphenation, then justified to the full width. */
  setJustified(runs: readonly Run[], style: TextStyle, width: number): SetLine[] {
    return [...this.justified(runs, style, width).lines];
  }

  /** Body text with its other settings, for the copyfitting that may choose one. */
  justified(runs: readonly Run[], style: TextStyle, width: number): JustifiedText {
    const space = this.measurer.width(' ', { face: style.face, weight: 'regular' }, style.size);
    const maxStretch = space * this.theme.pdf.lines.maxSpaceStretch;
    if (this.breaker === 'first-fit') {
      const lines = setLines(runs, style, this.measurer, () => width, { hyphenate: { language: this.language } }).map((line) => justify(line, width, maxStretch, this.measurer));
      return { width, lines, demerits: 0, variant: () => undefined, wideWords: 0 };
    }
    const rules = { justification: this.theme.pdf.justification, space, size: style.size };
    const justifyAll = (lines: readonly SetLine[]) => lines.map((line) => justify(line, width, maxStretch, this.measurer, rules));
    const fit = setTotalFit(runs, style, this.measurer, () => width, { hyphenate: { language: this.language }, justification: this.theme.pdf.justification });
    const settle = (setting: ParagraphSetting) => ({ lines: justifyAll(setting.lines), demerits: setting.demerits });
    return {
      width,
      ...settle(fit.best),
      variant: (looseness) => {
        const setting = fit.variant(looseness);
        return setting ? settle(setting) : undefined;
      },
      wideWords: fit.wideWords,
    };
  }

  /**
   * Lines stacked `leading` apart from `top`, starting at `x`, or ending at
   * `rightEdge` when one is given.
   */
  position(lines: readonly SetLine[], x: number, top: number, leading: number, style: TextStyle, rightEdge?: number): PlacedLine[] {
    const ascent = this.measurer.ascent({ face: style.face, weight: 'regular' }, style.size);
    // Centre the font's ascent within the leading so mixed sizes sit evenly.
    const baselineOffset = (leading - style.size) / 2 + ascent * this.theme.pdf.lines.ascentScale;
    // A loop, not a callback made at each call (see core/totalfit.ts's atoms).
    const placed: PlacedLine[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const y = top + i * leading;
      placed.push({ x: rightEdge === undefined ? x : rightEdge - line.width, y, baseline: y + baselineOffset, fragments: line.fragments });
    }
    return placed;
  }
}

export const plain = (text: string): Run => ({ text, bold: false, italic: false });
export const bold = (text: string): Run => ({ text, bold: true, italic: false });
export const italic = (text: string): Run => ({ text, bold: false, italic: true });

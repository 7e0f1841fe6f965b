// Text for the page: styles from the theme, lines broken (and justified) by
// core/typeset, and set lines stacked on their baselines. The furniture, the
// measuring and the flow all go through it, so every line on the page sits alike.
import type { Measurer } from '../core/fonts.ts';
import type { Run } from '../core/text.ts';
import type { Theme } from '../core/theme.ts';
import { justify, setLines, type SetLine, type TextStyle } from '../core/typeset.ts';
import type { PlacedLine } from './layout.ts';

export class Typesetter {
  /** The language's decimal separator, on which table columns of numbers align. */
  readonly decimal: string;

  constructor(
    readonly theme: Theme,
    readonly measurer: Measurer,
    /** The brief's language: its hyphenation patterns break the justified lines. */
    private readonly language: string,
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

  /** Body text: hyphenated where a line would be loose, then justified to the full width. */
  setJustified(runs: readonly Run[], style: TextStyle, width: number): SetLine[] {
    const space = this.measurer.width(' ', { face: style.face, weight: 'regular' }, style.size);
    const maxStretch = space * this.theme.pdf.lines.maxSpaceStretch;
    return setLines(runs, style, this.measurer, () => width, { hyphenate: { language: this.language } }).map((line) => justify(line, width, maxStretch, this.measurer));
  }

  /**
   * Lines stacked `leading` apart from `top`, starting at `x`, or ending at
   * `rightEdge` when one is given.
   */
  position(lines: readonly SetLine[], x: number, top: number, leading: number, style: TextStyle, rightEdge?: number): PlacedLine[] {
    const ascent = this.measurer.ascent({ face: style.face, weight: 'regular' }, style.size);
    // Centre the font's ascent within the leading so mixed sizes sit evenly.
    const baselineOffset = (leading - style.size) / 2 + ascent * this.theme.pdf.lines.ascentScale;
    return lines.map((line, i) => {
      const y = top + i * leading;
      const lineX = rightEdge === undefined ? x : rightEdge - line.width;
      return { x: lineX, y, baseline: y + baselineOffset, fragments: line.fragments };
    });
  }
}

export const plain = (text: string): Run => ({ text, bold: false, italic: false });
export const bold = (text: string): Run => ({ text, bold: true, italic: false });
export const italic = (text: string): Run => ({ text, bold: false, italic: true });

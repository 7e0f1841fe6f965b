// The lines under a figure or table (source, notes, each footnote): their height,
// and what of them fits the room a column leaves under the exhibit. Measure and
// the table module both keep an exhibit and its lines inside one column with it.
import type { ApparatusField, LayoutError } from './layout.ts';
import type { FigurePart } from './measure.ts';

/** Points of rounding the lines may be over their room by and still count as fitting. */
const TOLERANCE = 0.01;

/** One paragraph of the apparatus, and the field of the brief it sets. */
export type ApparatusPart = FigurePart & {
  readonly field: ApparatusField;
  /** With field `footnotes`: the footnote's index. */
  readonly footnote?: number;
};

/** The parts stacked, `gap` between two. */
export function apparatusHeight(parts: readonly FigurePart[], gap: number): number {
  return parts.reduce((h, part, i) => h + (i > 0 ? gap : 0) + part.lines.length * part.leading, 0);
}

/** What the room holds of the parts, and where and by how many lines the rest runs over. */
export interface FittedApparatus {
  readonly parts: readonly ApparatusPart[];
  readonly over?: Pick<LayoutError, 'field' | 'footnote' | 'linesOver'>;
}

/**
 * The parts, whole and in order, while they fit `room` points; the part that runs past
 * it keeps the lines that fit, and the rest are left out and counted. A room below
 * zero (the exhibit alone fills the column) holds none.
 */
export function fitApparatus(parts: readonly ApparatusPart[], room: number, gap: number): FittedApparatus {
  if (apparatusHeight(parts, gap) <= room + TOLERANCE) return { parts };
  const kept: ApparatusPart[] = [];
  let height = 0;
  for (const [i, part] of parts.entries()) {
    const top = height + (i > 0 ? gap : 0);
    const fits = Math.max(0, Math.min(part.lines.length, Math.floor((room - top + TOLERANCE) / part.leading)));
    if (fits > 0) kept.push(fits === part.lines.length ? part : { ...part, lines: part.lines.slice(0, fits) });
    if (fits < part.lines.length) {
      const linesOver = part.lines.length - fits + parts.slice(i + 1).reduce((n, p) => n + p.lines.length, 0);
      return { parts: kept, over: { field: part.field, ...(part.footnote === undefined ? {} : { footnote: part.footnote }), linesOver } };
    }
    height = top + part.lines.length * part.leading;
  }
  return { parts: kept };
}

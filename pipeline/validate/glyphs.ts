// Every character the brief prints must have a glyph in the fonts that print it:
// a blank box in a printed brief is a silent loss of meaning. That holds for the
// brief's own text and for the chart labels read from CSV files.
import { DiagnosticCode } from '../core/diagnostics.ts';
import type { FontKey, Measurer } from '../core/fonts.ts';
import type { BriefData } from '../input/schema.ts';
import { errorAt, type Checks } from './context.ts';
import type { FigureData } from './figure-data.ts';
import type { ImageData } from './images.ts';
import type { TableData } from './table-data.ts';

const noGlyph = (cp: number) => `character "${String.fromCodePoint(cp)}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) has no glyph in any bundled font`;

/** The body serif prints most text; headings, captions and the deck use the sans in bold. */
const TEXT_FACES: readonly FontKey[] = [
  { face: 'serif', weight: 'regular' },
  { face: 'sans', weight: 'bold' },
];
/** Chart labels print in the body serif; table cells in the serif, their headers in bold. */
const DATA_FACE: FontKey = { face: 'serif', weight: 'regular' };
const SVG_FACE: FontKey = { face: 'sans', weight: 'regular' };

export function checkGlyphs(checks: Checks, brief: BriefData, measurer: Measurer): void {
  const visit = (value: unknown, path: PropertyKey[]) => {
    if (typeof value === 'string') {
      for (const face of TEXT_FACES) {
        const missing = measurer.missingGlyph(value, face);
        if (missing === undefined) continue;
        errorAt(checks, DiagnosticCode.noGlyph, path, noGlyph(missing)).hint('remove or replace it, or add a font that has it to templates/theme.yaml');
        return;
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(brief, []);
}

/** The text an SVG figure prints: its <text> elements' content, tags and entities aside. */
export function svgText(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/gi)]
    .map((m) => m[1]!.replace(/<[^>]*>/g, ' ').replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))).replace(/&[a-z]+;/gi, ' ').trim())
    .filter(Boolean);
}

/** An SVG figure's text is set in the theme's sans and its fallbacks: each character needs a glyph there. */
export function checkImageGlyphs(checks: Checks, brief: BriefData, images: ReadonlyMap<string, ImageData>, measurer: Measurer): void {
  brief.figures.forEach((figure, f) => {
    const image = images.get(figure.id);
    if (image?.format !== 'svg') return;
    for (const text of svgText(image.bytes.toString('utf8'))) {
      const missing = measurer.missingGlyph(text, SVG_FACE);
      if (missing !== undefined) errorAt(checks, DiagnosticCode.noGlyph, ['figures', f, 'image'], `"${text.slice(0, 40)}" in ${figure.image}: ${noGlyph(missing)}`);
    }
  });
}

/** Chart labels and table cells come from CSV files, and are printed too. */
export function checkDataGlyphs(
  checks: Checks,
  brief: BriefData,
  figureData: ReadonlyMap<string, FigureData>,
  tableData: ReadonlyMap<string, TableData>,
  measurer: Measurer,
): void {
  const check = (texts: readonly string[], path: PropertyKey[], file: string) => {
    for (const text of texts) {
      const missing = measurer.missingGlyph(text, DATA_FACE);
      if (missing !== undefined) errorAt(checks, DiagnosticCode.noGlyph, path, `"${text}" in ${file}: ${noGlyph(missing)}`);
    }
  };
  brief.figures.forEach((figure, f) => {
    const data = figureData.get(figure.id);
    if (data && figure.chart) check([...data.categories, ...data.series.map((s) => s.label)], ['figures', f, 'chart', 'data'], figure.chart.data);
  });
  brief.tables.forEach((table, t) => {
    const data = tableData.get(table.id);
    if (data) check([...data.columns.map((c) => c.label), ...data.rows.flatMap((row) => row.filter((cell): cell is string => typeof cell === 'string'))], ['tables', t, 'data'], table.data);
  });
}

// `npm run typeset-report -- [ID ...] [--data DIR]`: how well each brief's justified
// text is set, by the total-fit breaker the build uses and by the first-fit filling
// it replaced, side by side: word-space widths against the font's normal space,
// ragged lines inside paragraphs, hyphenation.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ChartRenderer } from '../charts/charts.ts';
import { compose, type ComposedBrief } from '../compose/compose.ts';
import { TemplateSet } from '../compose/templates.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { BriefpressError, exitCodeFor } from '../core/diagnostics.ts';
import { FontBook } from '../core/fonts.ts';
import { defaultTheme, type Theme } from '../core/theme.ts';
import { loadBrief } from '../input/load.ts';
import { layoutBrief, type Layout } from '../pdf/layout.ts';
import { spacingFigures, type SpacingFigures } from '../pdf/spacing.ts';
import { Typesetter, type Breaker } from '../pdf/typesetter.ts';
import { validateBrief } from '../validate/validate.ts';
import { discoverBriefs } from './discover.ts';
import { isEntryPoint } from './entry.ts';

export const USAGE = 'npm run typeset-report -- [ID ...] [--data DIR] [--json]';

export interface BreakerReport {
  readonly figures: SpacingFigures;
  readonly bodyPages: number;
  /** Lines the body runs past its budget; 0 when it fits. */
  readonly overBudget: number;
  readonly tightened: Layout['tightened'];
  readonly widowResets: Layout['widowResets'];
  /** Milliseconds the layout stage took (measure, break, flow), warm. */
  readonly layoutMs: number;
}

export interface BriefReport {
  readonly id: string;
  readonly totalFit: BreakerReport;
  readonly firstFit: BreakerReport;
}

class InvalidBrief extends Error {}

/** Composes a brief as the build does, up to the layout. */
async function composeBrief(briefDir: string, fonts: FontBook, charts: ChartRenderer, templates: TemplateSet): Promise<{ composed: ComposedBrief; series: string }> {
  const loaded = await loadBrief(briefDir);
  const validated = await validateBrief(loaded, fonts);
  if (!validated.result) throw new InvalidBrief(validated.diagnostics.map(formatDiagnostic).join('\n'));
  const { brief, figureData, tableData, images } = validated.result;
  const rendered = await charts.renderFigures(brief.figures, figureData, brief.language);
  return { composed: compose({ brief, charts: rendered, tables: tableData, images, templates }), series: brief.series };
}

/** The report of each brief folder, both breakers; one font book and theme for all. */
export async function typesetReports(briefDirs: readonly string[], theme: Theme = defaultTheme()): Promise<BriefReport[]> {
  const fonts = new FontBook(theme);
  const charts = new ChartRenderer(theme);
  const templates = new TemplateSet();
  const reports: BriefReport[] = [];
  for (const dir of briefDirs) {
    const { composed, series } = await composeBrief(dir, fonts, charts, templates);
    const budget = theme.series[series]?.bodyPages;
    const run = (breaker: Breaker): BreakerReport => {
      const typesetter = () => new Typesetter(theme, fonts, composed.language, breaker);
      layoutBrief(composed, theme, fonts, budget, typesetter()); // warms the width cache, so the time below is the breaking's
      const start = performance.now();
      const layout = layoutBrief(composed, theme, fonts, budget, typesetter());
      const layoutMs = Math.round((performance.now() - start) * 10) / 10;
      const j = theme.pdf.justification;
      return {
        figures: spacingFigures(layout.justified, fonts, j.hyphenMinBefore, j.hyphenMinAfter),
        bodyPages: layout.bodyPages,
        overBudget: layout.overflow?.lines ?? 0,
        tightened: layout.tightened,
        widowResets: layout.widowResets,
        layoutMs,
      };
    };
    reports.push({ id: path.basename(dir), totalFit: run('total-fit'), firstFit: run('first-fit') });
  }
  return reports;
}

const ROWS: ReadonlyArray<[string, (r: BreakerReport) => string]> = [
  ['lines', (r) => String(r.figures.lines)],
  ['justified lines', (r) => String(r.figures.justified)],
  ['hyphenated lines', (r) => String(r.figures.hyphenated)],
  ['largest word space (× normal)', (r) => r.figures.maxSpace.toFixed(2)],
  ['mean word space (× normal)', (r) => r.figures.meanSpace.toFixed(3)],
  ['smallest word space (× normal)', (r) => r.figures.minSpace.toFixed(2)],
  ['lines with spaces > 1.5×', (r) => String(r.figures.over15)],
  ['lines with spaces > 2×', (r) => String(r.figures.over2)],
  ['ragged lines inside paragraphs', (r) => String(r.figures.ragged)],
  ['most hyphenated lines in a row', (r) => String(r.figures.maxConsecutiveHyphens)],
  ['hyphens leaving < 2 / < 3 letters', (r) => String(r.figures.shortHyphenations)],
  ['words wider than a column', (r) => String(r.figures.wideWords)],
  ['body pages', (r) => String(r.bodyPages)],
  ['lines over budget', (r) => String(r.overBudget)],
  ['paragraphs tightened', (r) => (r.tightened.length === 0 ? '0' : r.tightened.map((t) => `block ${t.block}${t.item === undefined ? '' : ` item ${t.item}`}: ${t.from}→${t.from + t.lines}`).join(', '))],
  ['paragraphs reset to avoid a widow', (r) => (r.widowResets.length === 0 ? '0' : r.widowResets.map((t) => `block ${t.block}${t.item === undefined ? '' : ` item ${t.item}`}: ${t.from}→${t.from + t.lines}`).join(', '))],
  ['layout stage, warm (ms)', (r) => r.layoutMs.toFixed(1)],
];

export function formatReport(report: BriefReport): string {
  const rows: string[][] = [['', 'total fit', 'first fit'], ...ROWS.map(([name, value]) => [name, value(report.totalFit), value(report.firstFit)])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [report.id, ...rows.map(line)].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { data: { type: 'string', default: 'data' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: ${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`Usage: ${USAGE}\n\nPrints, for each brief, how its justified text is set by total fit and by first fit.\n`);
    return 0;
  }
  try {
    const dirs = discoverBriefs({ dataDir: path.resolve(parsed.values.data), ids: parsed.positionals });
    const reports = await typesetReports(dirs);
    process.stdout.write(parsed.values.json ? `${JSON.stringify(reports, null, 2)}\n` : `${reports.map(formatReport).join('\n\n')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof BriefpressError ? exitCodeFor[error.code] : error instanceof InvalidBrief ? exitCodeFor.INVALID_INPUT : exitCodeFor.INTERNAL;
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

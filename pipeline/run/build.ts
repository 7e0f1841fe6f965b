// Runs the stages for one brief, in memory: load → validate → charts → compose →
// layout → render PDF / PPTX / HTML. Nothing here touches the output folder; the CLI
// hands the buffers to publish only when every stage succeeded.
import path from 'node:path';
import { chartPreviewScale } from '../catalog/thumbnail.ts';
import { ChartRenderer } from '../charts/charts.ts';
import { compose, type ComposedBrief } from '../compose/compose.ts';
import { metadataWarnings } from '../compose/metadata.ts';
import { DiagnosticCode, hasErrors, Report, type Diagnostic } from '../core/diagnostics.ts';
import { FontBook } from '../core/fonts.ts';
import { layoutBrief, type Layout, type PageLayout } from '../pdf/layout.ts';
import { loadBrief, locate, type LoadedBrief } from '../input/load.ts';
import type { BriefData } from '../input/schema.ts';
import { artifactFileName, type Artifact, type Format } from '../output/manifest.ts';
import { TemplateSet } from '../compose/templates.ts';
import { defaultTheme, loadTheme, type Theme } from '../core/theme.ts';
import { templatesDir as projectTemplates } from '../core/paths.ts';
import { validateBrief } from '../validate/validate.ts';
import { folderHash } from './cache.ts';
import { msSince } from './progress.ts';

/** Everything loaded once per process and shared by every brief it builds. */
export interface BuildContext {
  readonly theme: Theme;
  readonly fonts: FontBook;
  readonly templates: TemplateSet;
  readonly charts: ChartRenderer;
}

export function createContext(theme: Theme = defaultTheme(), templatesDir = projectTemplates): BuildContext {
  return Object.freeze({ theme, fonts: new FontBook(theme), templates: new TemplateSet(templatesDir), charts: new ChartRenderer(theme, undefined, chartPreviewScale(theme.pdf.page.width)) });
}

/**
 * The context of the templates and theme as they are now. A long-lived process
 * (--watch) keeps its context warm between builds, but makes it again when a file
 * of the templates folder changed: a context kept from before an edit would build
 * with the old template while the cache records the new one's hash.
 */
export class ContextCache {
  private made: { fingerprint: string; context: BuildContext } | undefined;

  constructor(private readonly templatesDir = projectTemplates) {}

  current(): BuildContext {
    const fingerprint = folderHash(this.templatesDir);
    if (this.made?.fingerprint !== fingerprint) {
      // The first context of the project's own theme shares the process-wide parsed theme.
      const theme = !this.made && this.templatesDir === projectTemplates ? defaultTheme() : loadTheme(path.join(this.templatesDir, 'theme.yaml'));
      this.made = { fingerprint, context: createContext(theme, this.templatesDir) };
    }
    return this.made.context;
  }
}

export interface StageTiming {
  readonly stage: string;
  readonly ms: number;
}

export type BuildResult =
  | {
      readonly ok: true;
      readonly id: string;
      readonly version: number;
      readonly updated: string;
      readonly title: string;
      readonly authors: readonly string[];
      /** The key points as one text, for the catalog's filter. */
      readonly summary: string;
      readonly artifacts: readonly Artifact[];
      readonly columnFill: ReadonlyArray<readonly number[]>;
      /** Page 1 of the PDF as laid out, when the build made a PDF: the catalog's thumbnail is drawn from it. */
      readonly firstPage?: PageLayout;
      /** Paragraphs set a line tighter to keep the brief inside its budget, at their place in brief.yaml. */
      readonly tightened: readonly TightenedParagraph[];
      readonly diagnostics: readonly Diagnostic[];
      readonly timings: readonly StageTiming[];
      /** Every file the build read or looked for, for the cache (pipeline/run/cache.ts). */
      readonly inputs: Readonly<Record<string, string>>;
    }
  | { readonly ok: false; readonly id: string; readonly diagnostics: readonly Diagnostic[]; readonly timings: readonly StageTiming[] };

export interface BuildOptions {
  readonly formats: ReadonlySet<Format>;
  /** Build a brief that runs past its series' page budget, with a warning instead of an error. */
  readonly allowOverflow?: boolean;
  readonly onStage?: (id: string, timing: StageTiming) => void;
  /** Awaited before each stage; what it throws ends the build (--watch's warm-up yields to the event loop here, and stops). */
  readonly beforeStage?: () => Promise<void>;
}

export async function buildBrief(briefDir: string, context: BuildContext, options: BuildOptions): Promise<BuildResult> {
  const id = path.basename(briefDir);
  const timings: StageTiming[] = [];
  const timed = async <T>(stage: string, run: () => T | Promise<T>): Promise<T> => {
    await options.beforeStage?.();
    const start = performance.now();
    const result = await run();
    const timing = { stage, ms: msSince(start) };
    timings.push(timing);
    options.onStage?.(id, timing);
    return result;
  };

  const loaded = await timed('load', () => loadBrief(briefDir));
  const validated = await timed('validate', () => validateBrief(loaded, context.fonts));
  if (!validated.result) return { ok: false, id, diagnostics: validated.diagnostics, timings };
  const { brief, figureData, tableData, images } = validated.result;
  const diagnostics: Diagnostic[] = [...validated.diagnostics, ...metadataWarnings(loaded, brief)];

  const charts = await timed('charts', () => context.charts.renderFigures(brief.figures, figureData, brief.language));
  const composed = await timed('compose', () => compose({ brief, charts, tables: tableData, images, templates: context.templates }));

  const artifacts: Artifact[] = [];
  let columnFill: number[][] = [];
  let firstPage: PageLayout | undefined;
  let tightened: TightenedParagraph[] = [];
  if (options.formats.has('pdf')) {
    const budget = context.theme.series[brief.series]?.bodyPages;
    const layout = await timed('layout', () => layoutBrief(composed, context.theme, context.fonts, budget));
    if (layout.overflow) {
      const overflow = overflowDiagnostic(loaded, brief, composed, layout.overflow, budget!, options.allowOverflow === true);
      diagnostics.push(overflow);
      if (overflow.severity === 'error') return { ok: false, id, diagnostics, timings };
    }
    tightened = tightenedParagraphs(loaded, composed, layout, budget);
    diagnostics.push(...tightened.map((t) => t.diagnostic));
    const found = layoutFindings(loaded, brief, layout);
    diagnostics.push(...found);
    if (hasErrors(found)) return { ok: false, id, diagnostics, timings };
    columnFill = layout.pages.filter((p) => p.kind !== 'disclaimer').map((p) => p.fill.map((f) => Math.round(f * 1000) / 1000));
    // Renderers load on first use: a --format pdf build never loads pptxgenjs, and the reverse.
    const { renderPdf } = await import('../pdf/render.ts');
    const pdf = await timed('render-pdf', () => renderPdf(composed, layout, context.theme, context.fonts));
    artifacts.push({ format: 'pdf', bytes: pdf.bytes, count: pdf.pages });
    firstPage = layout.pages[0];
  }
  if (options.formats.has('pptx')) {
    const { renderPptx } = await import('../deck/render.ts');
    const pptx = await timed('render-pptx', () => renderPptx(composed, context.theme, context.fonts));
    artifacts.push({ format: 'pptx', bytes: pptx.bytes, count: pptx.slides });
  }
  if (options.formats.has('html')) {
    const { renderHtml } = await import('../web/render.ts');
    // The page links to the other files of this run only: a link to a PDF this run did not make could point at an old one, or at nothing.
    const siblings = {
      ...(options.formats.has('pdf') ? { pdf: artifactFileName(brief.id, 'pdf') } : {}),
      ...(options.formats.has('pptx') ? { pptx: artifactFileName(brief.id, 'pptx') } : {}),
    };
    const page = await timed('render-html', () => renderHtml(composed, { theme: context.theme, templates: context.templates, siblings }));
    artifacts.push({ format: 'html', bytes: page.bytes, count: 1 });
  }
  return {
    ok: true,
    id: brief.id,
    version: brief.version,
    updated: brief.updated,
    title: brief.title,
    authors: brief.authors.map((a) => a.name),
    summary: summaryText(brief),
    artifacts,
    columnFill,
    ...(firstPage ? { firstPage } : {}),
    tightened,
    diagnostics,
    timings,
    inputs: loaded.inputs.entries,
  };
}

/** Longest summary kept in the manifest: enough words to filter by, not the brief again. */
const SUMMARY_CHARACTERS = 600;

/**
 * The brief's key points (its summary, or else each section's), as one text cut
 * at a word, for the catalog's filter: what a reader would search a brief by.
 */
export function summaryText(brief: BriefData): string {
  const points = brief.summary ?? brief.sections.flatMap((s) => s.keyPoints ?? []);
  const text = points.join(' ').replace(/\s+/g, ' ').trim();
  if (text.length <= SUMMARY_CHARACTERS) return text;
  const cut = text.slice(0, SUMMARY_CHARACTERS + 1);
  const space = cut.lastIndexOf(' ');
  return `${cut.slice(0, space > 0 ? space : SUMMARY_CHARACTERS)}…`;
}

export interface TightenedParagraph {
  /** The paragraph's (or list item's) field in brief.yaml and where it starts. */
  readonly field: string;
  readonly line: number;
  readonly column: number;
  /** Its lines at its best setting, and as set. */
  readonly from: number;
  readonly to: number;
  /** What the tighter setting cost, in demerits over the best. */
  readonly cost: number;
  readonly diagnostic: Diagnostic;
}

/** The copyfitting's choices, each a warning at the paragraph it tightened: the author sees what was squeezed, and where. */
function tightenedParagraphs(loaded: LoadedBrief, composed: ComposedBrief, layout: Layout, budget: number | undefined): TightenedParagraph[] {
  return layout.tightened.flatMap((t) => {
    const block = composed.body[t.block];
    if (!block || (block.kind !== 'paragraph' && block.kind !== 'bullets')) return [];
    const path = ['sections', block.section, 'blocks', block.block, ...(block.kind === 'paragraph' ? ['paragraph'] : ['bullets', t.item ?? 0])];
    const where = locate(loaded, path);
    const to = t.from + t.lines;
    const report = new Report();
    report
      .warning(DiagnosticCode.tightened, where, `set ${t.from} → ${to} lines (word spaces closer) to keep the brief inside its budget of ${budget} body page${budget === 1 ? '' : 's'}`)
      .hint('shorten the text to give it back its natural spacing');
    return [{ field: where.field, line: where.line, column: where.column, from: t.from, to, cost: t.cost, diagnostic: report.diagnostics[0]! }];
  });
}

/** What the layout found wrong or worth a warning, at the field of brief.yaml a person would change. */
function layoutFindings(loaded: LoadedBrief, brief: BriefData, layout: Layout): readonly Diagnostic[] {
  const report = new Report();
  for (const error of layout.errors) {
    const list = error.block === 'figure' ? 'figures' : 'tables';
    const index = brief[list].findIndex((x) => x.id === error.id);
    const field = error.field === 'footnotes' ? ['footnotes', error.footnote ?? 0, 'text'] : [error.field];
    const what = error.field === 'footnotes' ? 'footnotes' : error.field;
    report
      .error(DiagnosticCode.exhibitTooTall, locate(loaded, [list, index, ...field]), `the ${error.block} "${error.id}" with the lines under it is taller than a column: its ${what} run ${error.linesOver} line${error.linesOver === 1 ? '' : 's'} past the column's foot`)
      .hint(`shorten the ${what}, or move that text into a paragraph`);
  }
  for (const warning of layout.warnings) {
    const index = brief.figures.findIndex((f) => f.id === warning.figureId);
    report
      .warning(DiagnosticCode.imageLowResolution, locate(loaded, ['figures', index, 'image']), `the image prints at ${warning.dpi} dpi, below the ${warning.minDpi} dpi print needs`)
      .hint(`supply it at least ${Math.ceil(warning.minDpi / warning.dpi * 100)}% larger, or as SVG`);
  }
  return report.diagnostics;
}

/** Names the section where the text first runs past the budget, at its heading in brief.yaml. */
function overflowDiagnostic(
  loaded: LoadedBrief,
  brief: BriefData,
  composed: ComposedBrief,
  overflow: NonNullable<Layout['overflow']>,
  budget: number,
  allowed: boolean,
): Diagnostic {
  const block = composed.body[overflow.firstBlock];
  const section = block?.section;
  const path = section === undefined ? ['authors'] : brief.sections[section]!.heading ? ['sections', section, 'heading'] : ['sections', section];
  const where = section === undefined ? 'the author block' : brief.sections[section]!.heading ? `section "${brief.sections[section]!.heading}"` : 'the opening section';
  const message = `the brief runs ${overflow.lines} line${overflow.lines === 1 ? '' : 's'} over the ${brief.series} budget of ${budget} body page${budget === 1 ? '' : 's'}, from ${where} on`;
  const report = new Report();
  if (allowed) report.warning(DiagnosticCode.overBudget, locate(loaded, path), message).hint('built anyway (--allow-overflow)');
  else report.error(DiagnosticCode.overBudget, locate(loaded, path), message).hint('shorten the text, or build anyway with --allow-overflow');
  return report.diagnostics[0]!;
}

// Stage 2: check a loaded brief against the schema, its own cross-references,
// its data files and the fonts that will print it, and report every problem with
// its position. The result is a brief every later stage can trust.
import path from 'node:path';
import { DiagnosticCode, Report, type Diagnostic } from '../core/diagnostics.ts';
import type { Measurer } from '../core/fonts.ts';
import type { LoadedBrief } from '../input/load.ts';
import { briefSchema, chartSchema, tableSchema, type BriefData, type ChartSpec, type Table } from '../input/schema.ts';
import type { Checks } from './context.ts';
import { errorAt } from './context.ts';
import { stripForbidden } from './control-chars.ts';
import { readFigureData, type FigureData } from './figure-data.ts';
import { readTableData, type TableData } from './table-data.ts';
import { checkDataGlyphs, checkGlyphs, checkImageGlyphs } from './glyphs.ts';
import { readImages, type ImageData } from './images.ts';
import { checkReferences, warnUnusedFootnotes } from './references.ts';
import { reportSchemaIssue } from './schema-issues.ts';
import { checkAmbiguousNumbers } from './yaml-numbers.ts';

export type { FigureData, SeriesData } from './figure-data.ts';
export type { ImageData, ImageFormat } from './images.ts';
export type { TableColumnData, TableData } from './table-data.ts';

export interface ValidBrief {
  readonly brief: BriefData;
  /** The numbers of each chart figure, by figure id. */
  readonly figureData: ReadonlyMap<string, FigureData>;
  /** The cells of each table, by table id. */
  readonly tableData: ReadonlyMap<string, TableData>;
  /** The file of each image figure, by figure id. */
  readonly images: ReadonlyMap<string, ImageData>;
  /** Files the brief reads, for the manifest and caches. */
  readonly files: readonly string[];
}

export interface Validated {
  /** Absent when any diagnostic is an error. */
  readonly result?: ValidBrief;
  readonly diagnostics: readonly Diagnostic[];
}

/** `measurer` answers which characters the bundled fonts can print. */
export function validateBrief(loaded: LoadedBrief, measurer: Measurer): Validated {
  const report = new Report();
  report.add(loaded.diagnostics);
  if (report.hasErrors) return { diagnostics: report.diagnostics };
  const checks: Checks = { loaded, report };

  if (loaded.value === undefined || loaded.value === null || typeof loaded.value !== 'object' || Array.isArray(loaded.value)) {
    errorAt(checks, DiagnosticCode.notAMapping, [], 'expected a mapping of fields (id, title, sections, …) at the top of the file');
    return { diagnostics: report.diagnostics };
  }
  checkAmbiguousNumbers(checks);
  const cleaned = stripForbidden(checks, loaded.value);

  const parsed = briefSchema.safeParse(cleaned);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportSchemaIssue(checks, issue, cleaned);
    // Every problem at once: the data files whose references are sound are read and
    // checked now, not after the schema errors are fixed.
    const sound = soundDataReferences(cleaned, parsed.error.issues.map((i) => i.path));
    readFigureData(checks, sound);
    readTableData(checks, sound);
    readImages(checks, sound);
    return { diagnostics: report.diagnostics };
  }
  const brief = parsed.data;
  const folder = path.basename(loaded.dir);
  if (brief.id !== folder) {
    errorAt(checks, DiagnosticCode.idMismatch, ['id'], `id "${brief.id}" differs from the brief's folder name "${folder}"`).hint(
      'the folder name is the id the CLI selects and names files by',
    );
  }
  checkReferences(checks, brief);
  brief.figures.forEach((figure, f) =>
    warnUnusedFootnotes(checks, 'figures', f, figure.footnotes ?? [], [figure.title, figure.subtitle, figure.notes, figure.source].filter((x): x is string => x !== undefined)),
  );
  const charts = readFigureData(checks, brief);
  const tables = readTableData(checks, brief);
  const images = readImages(checks, brief);
  if (report.hasErrors) return { diagnostics: report.diagnostics };
  checkGlyphs(checks, brief, measurer);
  checkDataGlyphs(checks, brief, charts.figureData, tables.tableData, measurer);
  checkImageGlyphs(checks, brief, images.images, measurer);
  if (report.hasErrors) return { diagnostics: report.diagnostics };
  return {
    result: {
      brief,
      figureData: charts.figureData,
      tableData: tables.tableData,
      images: images.images,
      files: [loaded.file, ...charts.files, ...tables.files, ...images.files],
    },
    diagnostics: report.diagnostics,
  };
}

type IssuePath = ReadonlyArray<PropertyKey>;

/**
 * The charts, images and tables of a brief that failed the schema whose own fields
 * passed it, at their indexes (the arrays are sparse: a skipped index is a figure or
 * table with a problem of its own, already reported).
 */
function soundDataReferences(value: unknown, issues: readonly IssuePath[]): { figures: FigureRef[]; tables: Table[] } {
  const root = value as { figures?: unknown; tables?: unknown };
  const clean = (...prefix: PropertyKey[]) => !issues.some((p) => prefix.every((step, i) => p[i] === step) || (p.length < prefix.length && prefix.slice(0, p.length).every((step, i) => p[i] === step)));
  const figures: FigureRef[] = [];
  if (Array.isArray(root.figures)) {
    root.figures.forEach((figure: unknown, f) => {
      if (!figure || typeof figure !== 'object') return;
      const { id, chart, image } = figure as { id?: unknown; chart?: unknown; image?: unknown };
      const name = typeof id === 'string' ? id : `figure ${f + 1}`;
      const parsedChart = chart !== undefined && clean('figures', f, 'chart') ? chartSchema.safeParse(chart) : undefined;
      if (parsedChart?.success) figures[f] = { id: name, chart: parsedChart.data };
      else if (typeof image === 'string' && image !== '' && clean('figures', f, 'image')) figures[f] = { id: name, image };
    });
  }
  const tables: Table[] = [];
  if (Array.isArray(root.tables)) {
    root.tables.forEach((table: unknown, t) => {
      const parsedTable = clean('tables', t) ? tableSchema.safeParse(table) : undefined;
      if (parsedTable?.success) tables[t] = parsedTable.data;
    });
  }
  return { figures, tables };
}

export interface FigureRef {
  readonly id: string;
  readonly chart?: ChartSpec;
  readonly image?: string;
}

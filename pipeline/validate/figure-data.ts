// The numbers behind each chart: its CSV file, found inside the brief's folder,
// read with the position of every cell, and checked cell by cell. A problem inside
// a CSV points at the CSV's line and column; one about the file as a whole points
// at the brief's reference to it.
import { DiagnosticCode, fieldPath, type Location } from '../core/diagnostics.ts';
import { readTable, resolveInside, type Table } from '../input/load.ts';
import type { BriefData, Figure } from '../input/schema.ts';
import { errorAt, type Checks } from './context.ts';

export interface SeriesData {
  readonly label: string;
  readonly values: readonly number[];
  readonly color?: string;
}

export interface FigureData {
  readonly figureId: string;
  readonly categories: readonly string[];
  readonly series: readonly SeriesData[];
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
/** Larger numbers lose digits in a double and make no sense in a brief's chart. */
const LARGEST_VALUE = 1e15;

export function readFigureData(checks: Checks, brief: BriefData): { figureData: Map<string, FigureData>; files: string[] } {
  const figureData = new Map<string, FigureData>();
  const files: string[] = [];
  brief.figures.forEach((figure, f) => {
    const chartPath = ['figures', f, 'chart'];
    const resolved = resolveInside(checks.loaded.dir, figure.chart.data);
    if (!resolved.ok) {
      errorAt(checks, resolved.code, [...chartPath, 'data'], resolved.message);
      return;
    }
    const read = readTable(resolved.path);
    if (!read.ok) {
      if (read.line > 0) checks.report.error(read.code, { file: read.file, line: read.line, column: read.column || 1, field: fieldPath([...chartPath, 'data']) }, read.message);
      else errorAt(checks, read.code, [...chartPath, 'data'], read.message);
      return;
    }
    files.push(read.table.file);
    const data = tableToFigure(checks, figure, read.table, chartPath);
    if (data) figureData.set(figure.id, data);
  });
  return { figureData, files };
}

function tableToFigure(checks: Checks, figure: Figure, table: Table, chartPath: PropertyKey[]): FigureData | undefined {
  const inCsv = (line: number, column: number): Location => ({ file: table.file, line, column, field: fieldPath(chartPath) });
  let ok = true;
  const columnIndex = (name: string, path: PropertyKey[]) => {
    const index = table.header.indexOf(name);
    if (index < 0) {
      ok = false;
      errorAt(checks, DiagnosticCode.unknownColumn, path, `column "${name}" is not in the header of ${table.file}`).hint(`the header has: ${table.header.join(', ')}`);
    }
    return index;
  };
  const categoryIndex = columnIndex(figure.chart.categoryColumn, [...chartPath, 'categoryColumn']);
  const seriesIndexes = figure.chart.series.map((s, i) => columnIndex(s.column, [...chartPath, 'series', i, 'column']));
  if (!ok) return undefined;
  if (table.rows.length === 0) {
    checks.report.error(DiagnosticCode.csvNoRows, inCsv(1, 1), 'the CSV has a header but no data rows; a chart needs at least one value');
    return undefined;
  }
  const categories: string[] = [];
  const values: number[][] = figure.chart.series.map(() => []);
  for (const row of table.rows) {
    if (row.cells.length !== table.header.length) {
      checks.report.error(DiagnosticCode.csvRaggedRow, inCsv(row.line, 1), `row has ${row.cells.length} cells; the header has ${table.header.length}`);
      ok = false;
      continue;
    }
    const cellAt = (index: number) => inCsv(row.positions[index]?.line ?? row.line, row.positions[index]?.column ?? 1);
    const category = row.cells[categoryIndex]!;
    if (!category) {
      checks.report.error(DiagnosticCode.csvEmptyLabel, cellAt(categoryIndex), `empty label in column "${figure.chart.categoryColumn}"`);
      ok = false;
    }
    categories.push(category);
    seriesIndexes.forEach((index, s) => {
      const cell = row.cells[index]!;
      const value = NUMBER.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(value) || Math.abs(value) > LARGEST_VALUE) {
        checks.report.error(DiagnosticCode.csvNotANumber, cellAt(index), `"${cell}" in column "${table.header[index]}" is not a finite number`);
        ok = false;
      }
      values[s]!.push(value);
    });
  }
  if (figure.chart.type === 'pie' && values.some((series) => series.some((v) => v < 0))) {
    errorAt(checks, DiagnosticCode.negativeInPie, [...chartPath, 'type'], 'a pie chart cannot show negative values');
    ok = false;
  }
  if (!ok) return undefined;
  return {
    figureId: figure.id,
    categories,
    series: figure.chart.series.map((s, i) => ({ label: s.label, values: values[i]!, ...(s.color ? { color: s.color } : {}) })),
  };
}

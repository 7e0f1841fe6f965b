// The numbers behind each chart: its CSV file, read with the position of every
// cell and checked cell by cell, and the chart's references to its own data
// (annotated categories) checked against it.
import { DiagnosticCode, fieldPath } from '../core/diagnostics.ts';
import type { CsvTable } from '../input/load.ts';
import type { BriefData, ChartSpec } from '../input/schema.ts';
import { errorAt, type Checks } from './context.ts';
import { cellLocation, cellNumber, columnIndex, notANumber, readCsv, rowComplete } from './data-files.ts';
import { didYouMean } from './suggest.ts';

export interface SeriesData {
  readonly label: string;
  readonly values: readonly number[];
  readonly color?: string;
  /** On a bar chart, a series drawn as a line. */
  readonly type?: 'bar' | 'line';
}

export interface FigureData {
  readonly figureId: string;
  readonly categories: readonly string[];
  readonly series: readonly SeriesData[];
}

export function readFigureData(checks: Checks, brief: { readonly figures: ReadonlyArray<Pick<BriefData['figures'][number], 'id' | 'chart'>> }): { figureData: Map<string, FigureData>; files: string[] } {
  const figureData = new Map<string, FigureData>();
  const files: string[] = [];
  brief.figures.forEach((figure, f) => {
    if (!figure.chart) return;
    const chartPath = ['figures', f, 'chart'];
    const table = readCsv(checks, figure.chart.data, [...chartPath, 'data']);
    if (!table) return;
    files.push(table.file);
    const data = tableToChartData(checks, figure.id, figure.chart, table, chartPath);
    if (data) figureData.set(figure.id, data);
  });
  return { figureData, files };
}

function tableToChartData(checks: Checks, figureId: string, chart: ChartSpec, table: CsvTable, chartPath: PropertyKey[]): FigureData | undefined {
  const categoryIndex = columnIndex(checks, table, chart.categoryColumn, [...chartPath, 'categoryColumn']);
  const seriesIndexes = chart.series.map((s, i) => columnIndex(checks, table, s.column, [...chartPath, 'series', i, 'column']));
  if (categoryIndex < 0 || seriesIndexes.some((i) => i < 0)) return undefined;
  if (table.rows.length === 0) {
    checks.report.error(DiagnosticCode.csvNoRows, { file: table.file, line: 1, column: 1, field: fieldPath(chartPath) }, 'the CSV has a header but no data rows; a chart needs at least one value');
    return undefined;
  }
  let ok = true;
  const categories: string[] = [];
  const values: number[][] = chart.series.map(() => []);
  for (const row of table.rows) {
    if (!rowComplete(checks, table, row, chartPath)) {
      ok = false;
      continue;
    }
    const category = row.cells[categoryIndex]!;
    if (!category) {
      checks.report.error(DiagnosticCode.csvEmptyLabel, cellLocation(table, row, categoryIndex, chartPath), `empty label in column "${chart.categoryColumn}"`);
      ok = false;
    }
    categories.push(category);
    seriesIndexes.forEach((index, s) => {
      const cell = row.cells[index]!;
      const value = cellNumber(cell);
      if (value === undefined) {
        checks.report.error(DiagnosticCode.csvNotANumber, cellLocation(table, row, index, chartPath), notANumber(cell, table.header[index]!));
        ok = false;
      }
      values[s]!.push(value ?? NaN);
    });
  }
  if (chart.type === 'pie' && values.some((series) => series.some((v) => v < 0))) {
    errorAt(checks, DiagnosticCode.negativeInPie, [...chartPath, 'type'], 'a pie chart cannot show negative values');
    ok = false;
  }
  if (chart.type === 'pie' && values[0]!.every((v) => v === 0)) {
    errorAt(checks, DiagnosticCode.emptyChart, [...chartPath, 'data'], 'every value of the pie chart is zero: it would show nothing');
    ok = false;
  }
  chart.annotations.forEach((annotation, a) => {
    const [from, to] = [annotation.from, annotation.to].map((c) => (c === undefined ? -1 : categories.indexOf(c)));
    if (from! >= 0 && to! >= 0 && from! > to!) {
      errorAt(checks, DiagnosticCode.invalidValue, [...chartPath, 'annotations', a, 'from'], `the range starts at "${annotation.from}", after its end "${annotation.to}"`).hint('give the categories in the order the chart shows them');
      ok = false;
    }
    for (const end of ['from', 'to'] as const) {
      const category = annotation[end];
      if (category === undefined || categories.includes(category)) continue;
      errorAt(checks, DiagnosticCode.unknownCategory, [...chartPath, 'annotations', a, end], `category "${category}" is not in column "${chart.categoryColumn}" of ${table.file}`).hint(
        didYouMean(category, categories),
      );
      ok = false;
    }
  });
  if (!ok) return undefined;
  return {
    figureId,
    categories,
    series: chart.series.map((s, i) => ({ label: s.label, values: values[i]!, ...(s.color ? { color: s.color } : {}), ...(s.type ? { type: s.type } : {}) })),
  };
}

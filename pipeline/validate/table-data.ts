// The cells behind each table: its CSV file, the columns it prints (all, or those
// `columns` names, in that order), how each is aligned, and the numbers of a
// column that has a number format.
import { DiagnosticCode, fieldPath } from '../core/diagnostics.ts';
import { limits, type BriefData, type NumberFormat, type Table } from '../input/schema.ts';
import { errorAt, type Checks } from './context.ts';
import { FOOTNOTE_MARK, warnUnusedFootnotes } from './references.ts';
import { cellLocation, cellNumber, checkRowLengths, columnIndex, notANumber, readCsv } from './data-files.ts';

export interface TableColumnData {
  readonly label: string;
  readonly align: 'left' | 'right' | 'center';
  /** Present when the column's numbers are printed in a number format. */
  readonly numberFormat?: NumberFormat;
}

export interface TableData {
  readonly tableId: string;
  readonly columns: readonly TableColumnData[];
  /** The printed columns of every row, as written in the CSV (numbers of a formatted column as parsed). */
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>;
}

/** Cells that read as amounts or counts: "$25 million", "1,200", "−3.5%" align right by default. */
const NUMERIC_CELL = /^[-+−(]?[$€£¥]?\d/;

export function readTableData(checks: Checks, brief: { readonly tables: BriefData['tables'] }): { tableData: Map<string, TableData>; files: string[] } {
  const tableData = new Map<string, TableData>();
  const files: string[] = [];
  brief.tables.forEach((spec, t) => {
    const path = ['tables', t];
    const csv = readCsv(checks, spec.data, [...path, 'data']);
    if (!csv) return;
    files.push(csv.file);
    if (csv.rows.length === 0) {
      checks.report.error(DiagnosticCode.csvNoRows, { file: csv.file, line: 1, column: 1, field: fieldPath([...path, 'data']) }, 'the CSV has a header but no data rows');
      return;
    }
    if (!checkRowLengths(checks, csv, [...path, 'data'])) return;
    if (!spec.columns && csv.header.length > limits.tableColumns) {
      errorAt(checks, DiagnosticCode.tooManyColumns, [...path, 'data'], `${csv.file} has ${csv.header.length} columns; a table prints at most ${limits.tableColumns}`).hint('choose the columns to print with `columns:`');
      return;
    }
    const chosen = (spec.columns ?? csv.header.map((column) => ({ column }))) as NonNullable<Table['columns']>;
    const indexes = chosen.map((c, i) => columnIndex(checks, csv, c.column, spec.columns ? [...path, 'columns', i, 'column'] : [...path, 'data']));
    if (indexes.some((i) => i < 0)) return;
    let ok = true;
    const rows = csv.rows.map((row) =>
      indexes.map((index, c) => {
        const cell = row.cells[index]!;
        const format = chosen[c]!.numberFormat;
        if (!format || cell === '') return cell;
        const value = cellNumber(cell);
        if (value !== undefined) return value;
        checks.report.error(DiagnosticCode.csvNotANumber, cellLocation(csv, row, index, [...path, 'columns', c, 'numberFormat']), `${notANumber(cell, csv.header[index]!)}, and the column has a number format`);
        ok = false;
        return cell;
      }),
    );
    const marks = new Set((spec.footnotes ?? []).map((f) => f.mark));
    for (const [c, index] of indexes.entries()) {
      const label = chosen[c]!.label ?? csv.header[index]!;
      for (const [, mark] of label.matchAll(FOOTNOTE_MARK)) {
        if (marks.has(mark!)) continue;
        errorAt(checks, DiagnosticCode.undefinedFootnote, chosen[c]!.label ? [...path, 'columns', c, 'label'] : [...path, 'data'], `footnote mark "^${mark}" in the column label "${label}" has no footnote`);
        ok = false;
      }
    }
    for (const row of csv.rows) {
      for (const index of indexes) {
        for (const [, mark] of row.cells[index]!.matchAll(FOOTNOTE_MARK)) {
          if (marks.has(mark!)) continue;
          checks.report.error(DiagnosticCode.undefinedFootnote, cellLocation(csv, row, index, [...path, 'footnotes']), `footnote mark "^${mark}" has no footnote in tables[${t}].footnotes`);
          ok = false;
        }
      }
    }
    if (!ok) return;
    const labels = indexes.map((index, c) => chosen[c]!.label ?? csv.header[index]!);
    const printed = [spec.title, spec.subtitle, spec.notes, spec.source, ...labels, ...csv.rows.flatMap((row) => indexes.map((i) => row.cells[i]!))];
    warnUnusedFootnotes(checks, 'tables', t, spec.footnotes ?? [], printed.filter((x): x is string => x !== undefined));
    const columns = chosen.map((c, i): TableColumnData => {
      const cells = rows.map((r) => r[i]!).filter((cell) => cell !== '');
      const numeric = cells.length > 0 && cells.every((cell) => typeof cell === 'number' || NUMERIC_CELL.test(cell));
      return { label: c.label ?? c.column, align: c.align ?? (numeric ? 'right' : 'left'), ...(c.numberFormat ? { numberFormat: c.numberFormat } : {}) };
    });
    tableData.set(spec.id, { tableId: spec.id, columns, rows });
  });
  return { tableData, files };
}

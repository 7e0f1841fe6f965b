// The files a brief names (CSV data, images) are found inside its folder only,
// and a problem with one points at the brief's field that names it, or, inside a
// CSV, at the CSV's own line and column.
import { DiagnosticCode, fieldPath, type Location } from '../core/diagnostics.ts';
import { cleanText } from '../core/text.ts';
import { readInput, readTable, type CsvTable } from '../input/load.ts';
import { errorAt, type Checks } from './context.ts';

/** The bytes of the file `relative` names, inside the brief's folder, at most `cap`; reported at `path` when it cannot be used. */
export function readDataFile(checks: Checks, relative: string, path: PropertyKey[], cap: number): { path: string; bytes: Buffer } | undefined {
  const read = readInput(checks.loaded, relative, cap);
  if (read.ok) return read;
  errorAt(checks, read.code, path, read.message).hint(read.hint);
  return undefined;
}

/** Reads the CSV `relative` names; `path` is the brief's field that names it. */
export function readCsv(checks: Checks, relative: string, path: PropertyKey[]): CsvTable | undefined {
  const read = readTable(checks.loaded, relative);
  if (read.ok) return withoutControlCharacters(checks, read.table, path);
  if (read.line > 0) checks.report.error(read.code, { file: read.file, line: read.line, column: read.column || 1, field: fieldPath(path) }, read.message).hint(read.hint);
  else errorAt(checks, read.code, path, read.message).hint(read.hint);
  return undefined;
}

/** A cell's position in its CSV, for a diagnostic about that cell. */
export function cellLocation(table: CsvTable, row: CsvTable['rows'][number], index: number, field: PropertyKey[]): Location {
  const at = row.positions[index];
  return { file: table.file, line: at?.line ?? row.line, column: at?.column ?? 1, field: fieldPath(field) };
}

/** The index of the header column `name`, or -1 with an error at `path` listing the header. */
export function columnIndex(checks: Checks, table: CsvTable, name: string, path: PropertyKey[]): number {
  const index = table.header.indexOf(name);
  if (index < 0) errorAt(checks, DiagnosticCode.unknownColumn, path, `column "${name}" is not in the header of ${table.file}`).hint(`the header has: ${table.header.join(', ')}`);
  return index;
}

/** Whether a row has as many cells as the header; a ragged row is reported at its CSV line. */
export function rowComplete(checks: Checks, table: CsvTable, row: CsvTable['rows'][number], field: PropertyKey[]): boolean {
  if (row.cells.length === table.header.length) return true;
  checks.report.error(DiagnosticCode.csvRaggedRow, { file: table.file, line: row.line, column: 1, field: fieldPath(field) }, `row has ${row.cells.length} cells; the header has ${table.header.length}`);
  return false;
}

/** Whether every row is complete, reporting each that is not. */
export function checkRowLengths(checks: Checks, table: CsvTable, field: PropertyKey[]): boolean {
  return table.rows.filter((row) => !rowComplete(checks, table, row, field)).length === 0;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
/** Larger numbers lose digits in a double and make no sense in a brief. */
const LARGEST_VALUE = 1e15;

/** Why a CSV cell is not a number a chart or formatted column can use. */
export function notANumber(cell: string, column: string): string {
  const value = NUMBER.test(cell) ? Number(cell) : NaN;
  return Number.isFinite(value) ? `"${cell}" in column "${column}" is larger than ${LARGEST_VALUE.toExponential()}, the largest number a brief takes` : `"${cell}" in column "${column}" is not a finite number`;
}

/** The number a CSV cell holds, or undefined when it is not a finite number of sensible size. */
export function cellNumber(cell: string): number | undefined {
  const value = NUMBER.test(cell) ? Number(cell) : NaN;
  return Number.isFinite(value) && Math.abs(value) <= LARGEST_VALUE ? value : undefined;
}

/**
 * The table without characters XML forbids (they would reach chart labels, table
 * cells and the deck's embedded workbook), with a warning at each cell that had any.
 */
function withoutControlCharacters(checks: Checks, table: CsvTable, field: PropertyKey[]): CsvTable {
  const clean = (cell: string, at: { line: number; column: number } | undefined, line: number): string => {
    const { text, forbidden } = cleanText(cell);
    if (forbidden > 0) {
      checks.report
        .warning(DiagnosticCode.controlCharacters, { file: table.file, line: at?.line ?? line, column: at?.column ?? 1, field: fieldPath(field) }, `removed ${forbidden} control or non-XML character${forbidden === 1 ? '' : 's'} from this cell`)
        .hint('they print as nothing, or break the deck');
    }
    return text;
  };
  return {
    ...table,
    header: table.header.map((cell, i) => clean(cell, table.headerPositions[i], 1)),
    rows: table.rows.map((row) => ({ ...row, cells: row.cells.map((cell, i) => clean(cell, row.positions[i], row.line)) })),
  };
}

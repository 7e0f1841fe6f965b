// Stage 1: read brief.yaml and its CSV files, keeping line/column positions so
// that every later problem can point at the line a person must edit.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { parse as parseCsv } from 'csv-parse/sync';
import { DiagnosticCode, fieldPath, Report, type Diagnostic, type Location } from '../core/diagnostics.ts';
import { limits } from './schema.ts';

export interface LoadedBrief {
  /** Absolute folder of the brief; data files are resolved inside it. */
  readonly dir: string;
  /** The brief file as shown in messages (relative to the working directory when possible). */
  readonly file: string;
  readonly document: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** Plain JS value of the YAML document; not yet validated. */
  readonly value: unknown;
  readonly diagnostics: readonly Diagnostic[];
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export function loadBrief(dir: string): LoadedBrief {
  const absDir = path.resolve(dir);
  const filePath = path.join(absDir, 'brief.yaml');
  const file = displayPath(filePath);
  const lineCounter = new LineCounter();
  const report = new Report();
  const wholeFile: Location = { file, line: 0, column: 0, field: '' };

  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    report.error(DiagnosticCode.briefMissing, wholeFile, 'no brief.yaml in this folder');
    return emptyLoad(absDir, file, lineCounter, report.diagnostics);
  }
  if (stat.size > limits.yamlFileBytes) {
    report.error(DiagnosticCode.fileTooLarge, wholeFile, `file is ${stat.size} bytes; the limit is ${limits.yamlFileBytes}`);
    return emptyLoad(absDir, file, lineCounter, report.diagnostics);
  }
  const source = fs.readFileSync(filePath, 'utf8');
  // YAML 1.2 core schema: `no`, `on`, `010` and unquoted dates are not turned into
  // booleans, octal or Date objects behind the writer's back.
  const document = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false, version: '1.2', schema: 'core' });
  const at = (offset: number): Location => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, field: '' };
  };
  for (const error of document.errors) {
    const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
    report.error(DiagnosticCode.yamlSyntax, at(error.pos[0]), `YAML: ${message}`);
  }
  for (const warning of document.warnings) report.warning(DiagnosticCode.yamlWarning, at(warning.pos[0]), `YAML: ${warning.message}`);
  let value: unknown;
  if (!report.hasErrors) {
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // Alias expansion past the limit (a "billion laughs" document) is refused here.
      report.error(DiagnosticCode.yamlAliases, { file, line: 1, column: 1, field: '' }, `YAML: ${(error as Error).message}`);
    }
  }
  return { dir: absDir, file, document, lineCounter, value, diagnostics: report.diagnostics };
}

function emptyLoad(dir: string, file: string, lineCounter: LineCounter, diagnostics: readonly Diagnostic[]): LoadedBrief {
  return { dir, file, document: parseDocument(''), lineCounter, value: undefined, diagnostics };
}

/**
 * Where a field path lives in the YAML source. For a missing field, the nearest
 * existing parent; with `key`, the position of the key rather than the value.
 */
export function positionOf(loaded: LoadedBrief, fields: ReadonlyArray<PropertyKey>, key = false): Position {
  let node: unknown = loaded.document.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < fields.length; i++) {
    const step = fields[i];
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      next = pair?.value;
      keyNode = pair?.key;
    } else if (isSeq(node) && typeof step === 'number') {
      next = node.items[step];
    }
    if (key && i === fields.length - 1 && isNode(keyNode)) {
      best = keyNode;
      break;
    }
    if (!isNode(next)) {
      if (isNode(keyNode)) best = keyNode;
      break;
    }
    node = next;
    best = next;
  }
  if (!best?.range) return { line: 0, column: 0 };
  const pos = loaded.lineCounter.linePos(best.range[0]);
  return { line: pos.line, column: pos.col };
}

/** The brief's field at `path` as a diagnostic's location: the file, its line and column, the field path. */
export function locate(loaded: LoadedBrief, path: ReadonlyArray<PropertyKey>, key = false): Location {
  const pos = positionOf(loaded, path, key);
  return { file: loaded.file, line: pos.line, column: pos.column, field: fieldPath(path) };
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value && !isPair(value);
}

/** A CSV file with the source line of every data row. */
export interface CsvTable {
  readonly file: string;
  readonly header: readonly string[];
  /** `line` is where the record starts; `positions[i]` is where cell i starts (1-based), even in a record spanning lines. */
  readonly rows: ReadonlyArray<{ readonly line: number; readonly cells: readonly string[]; readonly positions: ReadonlyArray<Position> }>;
}

/** Where each cell of one CSV record starts, honouring quotes and line breaks inside them. */
export function cellPositions(raw: string, startLine: number): Position[] {
  const positions: Position[] = [{ line: startLine, column: 1 }];
  let quoted = false;
  let line = startLine;
  let column = 1;
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) positions.push({ line, column: column + 1 });
    if (ch === '\n') {
      line++;
      column = 1;
    } else column++;
  }
  return positions;
}

export type TableResult = { ok: true; table: CsvTable } | { ok: false; code: DiagnosticCode; message: string; line: number; column: number; file: string };

/**
 * Resolves `relative` inside `dir` and refuses anything that points elsewhere:
 * absolute paths, `..`, and symbolic links whose target lies outside.
 */
export function resolveInside(dir: string, relative: string): { ok: true; path: string } | { ok: false; code: DiagnosticCode; message: string } {
  if (path.isAbsolute(relative) || /^[A-Za-z]:[\\/]/.test(relative)) {
    return { ok: false, code: DiagnosticCode.pathOutside, message: `"${relative}" is an absolute path; give a path relative to the brief's folder` };
  }
  if (relative.split(/[\\/]/).includes('..')) {
    return { ok: false, code: DiagnosticCode.pathOutside, message: `"${relative}" contains ".."; data files must lie inside the brief's folder` };
  }
  const candidate = path.resolve(dir, relative);
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return { ok: false, code: DiagnosticCode.fileNotFound, message: `file "${relative}" not found next to brief.yaml` };
  }
  const realDir = fs.realpathSync(dir);
  if (real !== realDir && !real.startsWith(realDir + path.sep)) {
    return { ok: false, code: DiagnosticCode.pathOutside, message: `"${relative}" resolves (through a link) outside the brief's folder` };
  }
  if (!fs.statSync(real).isFile()) return { ok: false, code: DiagnosticCode.notAFile, message: `"${relative}" is not a file` };
  return { ok: true, path: real };
}

export function readTable(filePath: string): TableResult {
  const size = fs.statSync(filePath).size;
  if (size > limits.csvFileBytes) {
    return { ok: false, code: DiagnosticCode.fileTooLarge, message: `file is ${size} bytes; the limit is ${limits.csvFileBytes}`, line: 0, column: 0, file: displayPath(filePath) };
  }
  let records: Array<{ record: string[]; info: { lines: number }; raw: string }>;
  const source = fs.readFileSync(filePath, 'utf8');
  try {
    records = parseCsv(source, {
      info: true,
      raw: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as unknown as Array<{ record: string[]; info: { lines: number }; raw: string }>;
  } catch (error) {
    const e = error as { message?: string; lines?: number; column?: number };
    return { ok: false, code: DiagnosticCode.csvSyntax, message: `CSV: ${e.message ?? String(error)}`, line: e.lines ?? 0, column: 0, file: displayPath(filePath) };
  }
  const [headerRecord, ...data] = records;
  if (!headerRecord) return { ok: false, code: DiagnosticCode.csvEmpty, message: 'CSV file is empty; expected a header row', line: 1, column: 1, file: displayPath(filePath) };
  if (data.length > limits.csvRows) {
    return { ok: false, code: DiagnosticCode.csvTooManyRows, message: `${data.length} rows; the limit is ${limits.csvRows}`, line: 0, column: 0, file: displayPath(filePath) };
  }
  return {
    ok: true,
    table: {
      file: displayPath(filePath),
      header: headerRecord.record,
      rows: data.map((r) => {
        const raw = r.raw.replace(/\r?\n$/, '');
        const start = r.info.lines - (raw.match(/\n/g)?.length ?? 0);
        return { line: start, cells: r.record, positions: cellPositions(raw, start) };
      }),
    },
  };
}

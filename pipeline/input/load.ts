// Stage 1: read brief.yaml and its CSV files, keeping line/column positions so
// that every later problem can point at the line a person must edit.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { parse as parseCsv } from 'csv-parse/sync';
import { DiagnosticCode, fieldPath, Report, type Diagnostic, type Location } from '../core/diagnostics.ts';
import { decodeUtf8, InputRecord, kindOf, MISSING, notRegularHint, readRegularFile, UNREADABLE, digestOf } from './files.ts';
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
  /** Every file the build read or looked for, by the name the brief gives it; later stages add theirs. */
  readonly inputs: InputRecord;
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

  const inputs = new InputRecord();
  const refuse = (code: DiagnosticCode, where: Location, message: string, hint?: string) => {
    report.error(code, where, message).hint(hint);
    return emptyLoad(absDir, file, lineCounter, report.diagnostics, inputs);
  };
  try {
    fs.lstatSync(filePath);
  } catch {
    inputs.missing('brief.yaml');
    return refuse(DiagnosticCode.briefMissing, wholeFile, 'no brief.yaml in this folder');
  }
  // brief.yaml is held to the data files' rules: a link to outside the folder is refused.
  const resolved = resolveInside(absDir, 'brief.yaml');
  if (!resolved.ok) {
    inputs.unreadable('brief.yaml');
    return refuse(resolved.code, wholeFile, resolved.message, resolved.hint);
  }
  const read = readRegularFile(resolved.path, 'brief.yaml', limits.yamlFileBytes);
  if (!read.ok) {
    inputs.unreadable('brief.yaml');
    return refuse(read.code, wholeFile, read.message, read.hint);
  }
  inputs.read('brief.yaml', read.bytes);
  const decoded = decodeUtf8(read.bytes);
  if (!decoded.ok) return refuse(DiagnosticCode.notUtf8, { file, line: decoded.line, column: decoded.column, field: '' }, decoded.message, decoded.hint);
  const source = decoded.text;
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
  return { dir: absDir, file, document, lineCounter, value, diagnostics: report.diagnostics, inputs };
}

function emptyLoad(dir: string, file: string, lineCounter: LineCounter, diagnostics: readonly Diagnostic[], inputs: InputRecord): LoadedBrief {
  return { dir, file, document: parseDocument(''), lineCounter, value: undefined, diagnostics, inputs };
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
  /** Where each header cell starts. */
  readonly headerPositions: ReadonlyArray<Position>;
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

export type TableResult = { ok: true; table: CsvTable } | { ok: false; code: DiagnosticCode; message: string; hint?: string; line: number; column: number; file: string };

/**
 * Resolves `relative` inside `dir` and refuses anything that points elsewhere:
 * absolute paths, `..`, and symbolic links whose target lies outside.
 */
export function resolveInside(dir: string, relative: string): { ok: true; path: string } | { ok: false; code: DiagnosticCode; message: string; hint?: string } {
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
  // A first look, for the message; the opened file is checked again (readRegularFile).
  const stat = fs.lstatSync(real);
  if (!stat.isFile()) return { ok: false, code: DiagnosticCode.notAFile, message: `"${relative}" is ${kindOf(stat)}, not a regular file`, hint: notRegularHint };
  return { ok: true, path: real };
}

export type InputRead = { ok: true; path: string; bytes: Buffer } | { ok: false; code: DiagnosticCode; message: string; hint?: string };

/**
 * Reads the file `relative` names inside the brief's folder (a regular file of at
 * most `cap` bytes), and records it, or its absence, in the brief's inputs.
 */
export function readInput(loaded: Pick<LoadedBrief, 'dir' | 'inputs'>, relative: string, cap: number): InputRead {
  const resolved = resolveInside(loaded.dir, relative);
  if (!resolved.ok) {
    if (resolved.code === DiagnosticCode.fileNotFound) loaded.inputs.missing(relative);
    else loaded.inputs.unreadable(relative);
    return resolved;
  }
  const read = readRegularFile(resolved.path, `"${relative}"`, cap);
  if (!read.ok) {
    loaded.inputs.unreadable(relative);
    return read;
  }
  loaded.inputs.read(relative, read.bytes);
  return { ok: true, path: resolved.path, bytes: read.bytes };
}

/**
 * What the file `relative` holds now, as an InputRecord would record it: the cache
 * compares this with the record of the last build before reusing its files. The
 * cap is the largest any input may have; a file past its own limit changed anyway.
 */
export function inputDigest(dir: string, relative: string, cap: number): string {
  const resolved = resolveInside(dir, relative);
  if (!resolved.ok) return resolved.code === DiagnosticCode.fileNotFound ? MISSING : UNREADABLE;
  const read = readRegularFile(resolved.path, relative, cap);
  return read.ok ? digestOf(read.bytes) : UNREADABLE;
}

/** Reads the CSV `relative` names; a problem with the file as a whole has line 0 (to be reported at the brief's field). */
export function readTable(loaded: Pick<LoadedBrief, 'dir' | 'inputs'>, relative: string): TableResult {
  const read = readInput(loaded, relative, limits.csvFileBytes);
  if (!read.ok) return { ...read, line: 0, column: 0, file: relative };
  const filePath = read.path;
  const decoded = decodeUtf8(read.bytes);
  if (!decoded.ok) return { ok: false, code: DiagnosticCode.notUtf8, message: decoded.message, hint: decoded.hint, line: decoded.line, column: decoded.column, file: displayPath(filePath) };
  let records: Array<{ record: string[]; info: { lines: number }; raw: string }>;
  const source = decoded.text;
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
      headerPositions: cellPositions(headerRecord.raw.replace(/\r?\n$/, ''), headerRecord.info.lines - (headerRecord.raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0)),
      rows: data.map((r) => {
        const raw = r.raw.replace(/\r?\n$/, '');
        const start = r.info.lines - (raw.match(/\n/g)?.length ?? 0);
        return { line: start, cells: r.record, positions: cellPositions(raw, start) };
      }),
    },
  };
}

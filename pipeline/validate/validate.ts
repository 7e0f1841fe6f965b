// Stage 2: check a loaded brief against the schema and its own cross-references,
// read the figures' CSV data, and report every problem with its position.
import path from 'node:path';
import { isPair, isScalar, isSeq, visit } from 'yaml';
import type { z } from 'zod';
import { type Diagnostic, fieldPath, hasErrors } from '../core/diagnostics.ts';
import { FORBIDDEN_CHARS } from '../core/text.ts';
import { briefSchema, type BriefData, type Figure } from '../input/schema.ts';
import { type LoadedBrief, positionOf, readTable, resolveInside, type Table } from '../input/load.ts';
import { linkProblem, parseInline } from '../input/inline.ts';
import type { FontKey, Measurer } from '../core/fonts.ts';

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

export interface ValidBrief {
  readonly brief: BriefData;
  readonly figureData: ReadonlyMap<string, FigureData>;
  /** Files the brief reads, for the manifest and caches. */
  readonly files: readonly string[];
}

export interface Validated {
  /** Absent when any diagnostic is an error. */
  readonly result?: ValidBrief;
  readonly diagnostics: readonly Diagnostic[];
}


export function validateBrief(loaded: LoadedBrief): Validated {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (hasErrors(diagnostics)) return { diagnostics };

  const at = (path: ReadonlyArray<PropertyKey>, message: string, options: { key?: boolean; hint?: string; severity?: 'warning' } = {}) => {
    const pos = positionOf(loaded, path, options.key);
    diagnostics.push({
      severity: options.severity ?? 'error',
      message,
      file: loaded.file,
      line: pos.line,
      column: pos.column,
      field: fieldPath(path),
      ...(options.hint ? { hint: options.hint } : {}),
    });
  };

  if (loaded.value === undefined || loaded.value === null || typeof loaded.value !== 'object' || Array.isArray(loaded.value)) {
    at([], 'expected a mapping of fields (id, title, sections, …) at the top of the file');
    return { diagnostics };
  }
  checkYaml11Numbers(loaded, at);
  const cleaned = stripForbidden(loaded.value, [], (path, count) =>
    at(path, `removed ${count} control or non-XML character${count === 1 ? '' : 's'}`, { severity: 'warning' }),
  );

  const parsed = briefSchema.safeParse(cleaned);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportIssue(issue, cleaned, at);
    return { diagnostics };
  }
  const brief = parsed.data;
  const folder = path.basename(loaded.dir);
  if (brief.id !== folder) at(['id'], `id "${brief.id}" differs from the brief's folder name "${folder}"`, { hint: 'the folder name is the id the CLI selects and names files by' });
  checkReferences(brief, at);
  const { figureData, files } = readFigureData(loaded, brief, at, diagnostics);
  if (hasErrors(diagnostics)) return { diagnostics };
  return { result: { brief, figureData, files: [loaded.file, ...files] }, diagnostics };
}

type At = (path: ReadonlyArray<PropertyKey>, message: string, options?: { key?: boolean; hint?: string; severity?: 'warning' }) => void;

/**
 * YAML 1.2 reads `010` as ten; YAML 1.1 tools (and many editors' previews) read it
 * as eight. A number written with a leading zero is ambiguous, so it is refused.
 */
function checkYaml11Numbers(loaded: LoadedBrief, at: At): void {
  visit(loaded.document, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'number' || node.type !== 'PLAIN') return;
      const source = (node as { source?: string }).source ?? '';
      if (!/^[-+]?0[0-9_]/.test(source)) return;
      const path: PropertyKey[] = [];
      ancestors.forEach((ancestor, i) => {
        const next = ancestors[i + 1] ?? node;
        if (isPair(ancestor) && isScalar(ancestor.key)) path.push(String(ancestor.key.value));
        else if (isSeq(ancestor)) path.push(ancestor.items.indexOf(next as never));
      });
      at(path, `the number ${source} has a leading zero, which YAML 1.1 tools read as octal`, {
        hint: `write ${Number(source)} or, for text, quote it: "${source}"`,
      });
    },
  });
}

function stripForbidden(value: unknown, path: PropertyKey[], warn: (path: PropertyKey[], count: number) => void): unknown {
  if (typeof value === 'string') {
    const count = value.match(FORBIDDEN_CHARS)?.length ?? 0;
    if (count === 0) return value;
    warn(path, count);
    return value.replace(FORBIDDEN_CHARS, '');
  }
  if (Array.isArray(value)) return value.map((item, i) => stripForbidden(item, [...path, i], warn));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = stripForbidden(v, [...path, k], warn);
    return out;
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${value.length > 40 ? value.slice(0, 40) + '…' : value}"`;
  return `the ${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[step];
  }
  return node;
}

function knownKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  // Walk the zod schema along the path to list the fields a person could have meant.
  let schema: z.ZodType = briefSchema;
  for (const step of path) {
    const def = unwrap(schema);
    if (typeof step === 'number' && def.type === 'array') schema = (def as unknown as { element: z.ZodType }).element;
    else if (def.type === 'object') {
      const shape = (def as unknown as { shape: Record<string, z.ZodType> }).shape;
      const next = shape[String(step)];
      if (!next) return [];
      schema = next;
    } else return [];
  }
  const def = unwrap(schema);
  return def.type === 'object' ? Object.keys((def as unknown as { shape: Record<string, z.ZodType> }).shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType['_zod']['def'] & { type: string } {
  let def = schema._zod.def as z.ZodType['_zod']['def'] & { type: string; innerType?: z.ZodType; in?: z.ZodType };
  while ((def.type === 'optional' || def.type === 'default' || def.type === 'pipe') && (def.innerType ?? def.in)) {
    def = (def.innerType ?? def.in)!._zod.def as typeof def;
  }
  return def;
}

function reportIssue(issue: z.core.$ZodIssue, root: unknown, at: At): void {
  const path = issue.path as PropertyKey[];
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        const suggestion = closest(key, knownKeysAt(path));
        at([...path, key], `unknown field "${key}"`, {
          key: true,
          ...(suggestion ? { hint: `did you mean "${suggestion}"?` } : {}),
        });
      }
      return;
    case 'invalid_type': {
      const actual = valueAt(root, path);
      if (actual === undefined) {
        at(path, `is required (expected ${issue.expected})`);
      } else {
        at(path, `expected ${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}, got ${describeValue(actual)}`);
      }
      return;
    }
    case 'invalid_value':
      at(path, `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(valueAt(root, path))}`);
      return;
    default:
      at(path, issue.message);
  }
}

/** Edit distance suggestion for a mistyped field name. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

function checkUniqueIds(items: ReadonlyArray<{ id: string }>, listName: string, at: At): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const key = item.id.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      const sameCase = items[first]!.id === item.id;
      at([listName, index, 'id'], `duplicate id "${item.id}"${sameCase ? '' : ` (differs only in case from "${items[first]!.id}")`}`, {
        hint: `first used at ${listName}[${first}]`,
      });
    } else seen.set(key, index);
  });
}

function checkReferences(brief: BriefData, at: At): void {
  checkUniqueIds(brief.figures, 'figures', at);
  checkUniqueIds(brief.relatedReports, 'relatedReports', at);
  const figureIds = new Set(brief.figures.map((f) => f.id));
  const reportIds = new Set(brief.relatedReports.map((r) => r.id));
  const placed = new Map<string, string>();

  const checkLinks = (textValue: string, path: PropertyKey[]) => {
    for (const run of parseInline(textValue)) {
      if (!run.href) continue;
      const problem = linkProblem(run.href);
      if (problem) at(path, problem);
      else if (run.href.toLowerCase().startsWith('report:')) {
        const target = run.href.slice('report:'.length);
        if (!reportIds.has(target)) {
          const suggestion = closest(target, [...reportIds]);
          at(path, `link to report "${target}", which relatedReports does not define`, suggestion ? { hint: `did you mean "${suggestion}"?` } : {});
        }
      }
    }
  };

  brief.sections.forEach((section, s) => {
    section.blocks.forEach((block, b) => {
      const path = ['sections', s, 'blocks', b];
      if (block.paragraph !== undefined) checkLinks(block.paragraph, [...path, 'paragraph']);
      block.bullets?.forEach((item, i) => checkLinks(item, [...path, 'bullets', i]));
      if (block.figure !== undefined) {
        const where = `sections[${s}].blocks[${b}]`;
        if (!figureIds.has(block.figure)) {
          const suggestion = closest(block.figure, [...figureIds]);
          at([...path, 'figure'], `figure "${block.figure}" is not defined in figures`, suggestion ? { hint: `did you mean "${suggestion}"?` } : {});
        } else if (placed.has(block.figure)) {
          at([...path, 'figure'], `figure "${block.figure}" is placed twice`, { hint: `already placed at ${placed.get(block.figure)}` });
        } else placed.set(block.figure, where);
      }
    });
  });
  brief.figures.forEach((figure, f) => {
    if (!placed.has(figure.id)) at(['figures', f, 'id'], `figure "${figure.id}" is never placed`, { hint: 'add a block `- figure: ' + figure.id + '` where it belongs in the text' });
  });
}

function readFigureData(loaded: LoadedBrief, brief: BriefData, at: At, diagnostics: Diagnostic[]) {
  const figureData = new Map<string, FigureData>();
  const files: string[] = [];
  brief.figures.forEach((figure, f) => {
    const chartPath = ['figures', f, 'chart'];
    const resolved = resolveInside(loaded.dir, figure.chart.data);
    if (!resolved.ok) {
      at([...chartPath, 'data'], resolved.message);
      return;
    }
    const read = readTable(resolved.path);
    if (!read.ok) {
      // A problem inside the CSV points at the CSV; one about the file as a whole, at the brief's reference to it.
      if (read.line > 0) diagnostics.push({ severity: 'error', message: read.message, file: read.file, line: read.line, column: read.column || 1, field: fieldPath([...chartPath, 'data']) });
      else at([...chartPath, 'data'], read.message);
      return;
    }
    files.push(read.table.file);
    const data = tableToFigure(figure, read.table, chartPath, at, (d) => diagnostics.push(d));
    if (data) figureData.set(figure.id, data);
  });
  return { figureData, files };
}

function tableToFigure(
  figure: Figure,
  table: Table,
  chartPath: PropertyKey[],
  at: At,
  push: (d: Diagnostic) => void,
): FigureData | undefined {
  const csvError = (line: number, column: number, message: string) =>
    push({ severity: 'error', message, file: table.file, line, column, field: fieldPath(chartPath) });
  let ok = true;
  const columnIndex = (name: string, path: PropertyKey[]) => {
    const index = table.header.indexOf(name);
    if (index < 0) {
      ok = false;
      at(path, `column "${name}" is not in the header of ${table.file}`, { hint: `the header has: ${table.header.join(', ')}` });
    }
    return index;
  };
  const categoryIndex = columnIndex(figure.chart.categoryColumn, [...chartPath, 'categoryColumn']);
  const seriesIndexes = figure.chart.series.map((s, i) => columnIndex(s.column, [...chartPath, 'series', i, 'column']));
  if (!ok) return undefined;
  if (table.rows.length === 0) {
    csvError(1, 1, 'the CSV has a header but no data rows; a chart needs at least one value');
    return undefined;
  }
  const categories: string[] = [];
  const values: number[][] = figure.chart.series.map(() => []);
  for (const row of table.rows) {
    if (row.cells.length !== table.header.length) {
      csvError(row.line, 1, `row has ${row.cells.length} cells; the header has ${table.header.length}`);
      ok = false;
      continue;
    }
    const category = row.cells[categoryIndex]!;
    if (!category) {
      csvError(row.positions[categoryIndex]?.line ?? row.line, row.positions[categoryIndex]?.column ?? 1, `empty label in column "${figure.chart.categoryColumn}"`);
      ok = false;
    }
    categories.push(category);
    seriesIndexes.forEach((index, s) => {
      const cell = row.cells[index]!;
      const value = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(value) || Math.abs(value) > 1e15) {
        csvError(row.positions[index]?.line ?? row.line, row.positions[index]?.column ?? 1, `"${cell}" in column "${table.header[index]}" is not a finite number`);
        ok = false;
      }
      values[s]!.push(value);
    });
  }
  if (figure.chart.type === 'pie' && values.some((series) => series.some((v) => v < 0))) {
    at([...chartPath, 'type'], 'a pie chart cannot show negative values');
    ok = false;
  }
  if (!ok) return undefined;
  return {
    figureId: figure.id,
    categories,
    series: figure.chart.series.map((s, i) => ({ label: s.label, values: values[i]!, ...(s.color ? { color: s.color } : {}) })),
  };
}

const noGlyph = (cp: number) => `character "${String.fromCodePoint(cp)}" (U+${cp.toString(16).toUpperCase().padStart(4, '0')}) has no glyph in any bundled font`;

/**
 * Every character of the brief's text must have a glyph in the fonts that print
 * it: a blank box in a printed brief is a silent loss of meaning.
 */
export function checkGlyphs(loaded: LoadedBrief, brief: BriefData, measurer: Measurer): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const faces: FontKey[] = [
    { face: 'serif', weight: 'regular' },
    { face: 'sans', weight: 'bold' },
  ];
  const visit = (value: unknown, path: PropertyKey[]) => {
    if (typeof value === 'string') {
      for (const face of faces) {
        const missing = measurer.missingGlyph(value, face);
        if (missing !== undefined) {
          const pos = positionOf(loaded, path);
          diagnostics.push({
            severity: 'error',
            message: noGlyph(missing),
            file: loaded.file,
            line: pos.line,
            column: pos.column,
            field: fieldPath(path),
            hint: 'remove or replace it, or add a font that has it to templates/theme.yaml',
          });
          return;
        }
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(brief, []);
  return diagnostics;
}

/** The chart labels read from CSV files are printed too: every character needs a glyph there as well. */
export function checkChartGlyphs(loaded: LoadedBrief, brief: BriefData, figureData: ReadonlyMap<string, FigureData>, measurer: Measurer): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  brief.figures.forEach((figure, f) => {
    const data = figureData.get(figure.id);
    if (!data) return;
    for (const label of [...data.categories, ...data.series.map((s) => s.label)]) {
      const missing = measurer.missingGlyph(label, { face: 'serif', weight: 'regular' });
      if (missing === undefined) continue;
      const path = ['figures', f, 'chart', 'data'];
      const pos = positionOf(loaded, path);
      diagnostics.push({
        severity: 'error',
        message: `label "${label}" in ${figure.chart.data}: ${noGlyph(missing)}`,
        file: loaded.file,
        line: pos.line,
        column: pos.column,
        field: fieldPath(path),
      });
    }
  });
  return diagnostics;
}

// One shape for every problem found in a user's brief, one way to make it, and
// one error class for everything else. Stages collect Diagnostics in a Report and
// return them; only run/ prints them.
//
// A diagnostic carries a stable `code` per kind of problem (as vfile's `ruleId`
// and Typst's diagnostics do), so tools and tests match on the code, never on the
// English sentence, which may be reworded.

export type Severity = 'error' | 'warning';

export const DiagnosticCode = {
  // Reading the files.
  briefMissing: 'brief-missing',
  notAFile: 'not-a-file',
  unreadable: 'unreadable',
  notUtf8: 'not-utf8',
  fileTooLarge: 'file-too-large',
  yamlSyntax: 'yaml-syntax',
  yamlWarning: 'yaml-warning',
  yamlAliases: 'yaml-aliases',
  // The brief's shape (the schema).
  notAMapping: 'not-a-mapping',
  unknownField: 'unknown-field',
  missingField: 'missing-field',
  wrongType: 'wrong-type',
  notAllowedValue: 'not-allowed-value',
  invalidValue: 'invalid-value',
  ambiguousNumber: 'ambiguous-number',
  controlCharacters: 'control-characters',
  invisibleInMetadata: 'invisible-in-metadata',
  // References inside the brief.
  idMismatch: 'id-mismatch',
  duplicateId: 'duplicate-id',
  undefinedFigure: 'undefined-figure',
  figurePlacedTwice: 'figure-placed-twice',
  figureNotPlaced: 'figure-not-placed',
  linkScheme: 'link-scheme',
  undefinedReport: 'undefined-report',
  // Data files.
  pathOutside: 'path-outside',
  fileNotFound: 'file-not-found',
  csvSyntax: 'csv-syntax',
  csvEmpty: 'csv-empty',
  csvNoRows: 'csv-no-rows',
  csvTooManyRows: 'csv-too-many-rows',
  csvRaggedRow: 'csv-ragged-row',
  csvEmptyLabel: 'csv-empty-label',
  csvNotANumber: 'csv-not-a-number',
  unknownColumn: 'unknown-column',
  negativeInPie: 'negative-in-pie',
  emptyChart: 'empty-chart',
  unknownCategory: 'unknown-category',
  tooManyColumns: 'too-many-columns',
  markupNotAllowed: 'markup-not-allowed',
  subheadingFirst: 'subheading-first',
  imageRotated: 'image-rotated',
  undefinedTable: 'undefined-table',
  tablePlacedTwice: 'table-placed-twice',
  tableNotPlaced: 'table-not-placed',
  undefinedReference: 'undefined-reference',
  undefinedFootnote: 'undefined-footnote',
  unusedFootnote: 'unused-footnote',
  duplicateFootnote: 'duplicate-footnote',
  imageMismatch: 'image-mismatch',
  imageTooLarge: 'image-too-large',
  imageUnsafe: 'image-unsafe',
  imageDamaged: 'image-damaged',
  imageLowResolution: 'image-low-resolution',
  // Printing.
  noGlyph: 'no-glyph',
  overBudget: 'over-budget',
  tightened: 'tightened',
  exhibitTooTall: 'exhibit-too-tall',
} as const;
export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** Where a problem is: a file, a position in it, and the field of the brief it concerns. */
export interface Location {
  /** Path of the file the problem is in, as given to the loader (relative when possible). */
  readonly file: string;
  /** 1-based; 0 when unknown. */
  readonly line: number;
  /** 1-based; 0 when unknown. */
  readonly column: number;
  /** Field path inside the brief, e.g. `sections[1].heading`; empty for the whole file. */
  readonly field: string;
}

export interface Diagnostic extends Location {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly hint?: string;
}

/** What `Report.error` returns: the diagnostic just recorded, open for a hint. */
export interface DiagnosticNote {
  hint(text: string | undefined): DiagnosticNote;
}

/**
 * Collects the diagnostics of one stage. Every problem is recorded, none is
 * thrown: the user sees them all at once.
 *
 *     report.error(DiagnosticCode.unknownField, where, 'unknown field "headng"').hint('did you mean "heading"?');
 */
export class Report {
  private readonly list: Array<{ -readonly [K in keyof Diagnostic]: Diagnostic[K] }> = [];

  error(code: DiagnosticCode, where: Location, message: string): DiagnosticNote {
    return this.record('error', code, where, message);
  }

  warning(code: DiagnosticCode, where: Location, message: string): DiagnosticNote {
    return this.record('warning', code, where, message);
  }

  /** Diagnostics made elsewhere (an earlier stage's), kept in order. */
  add(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) this.list.push({ ...d });
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.list;
  }

  get hasErrors(): boolean {
    return hasErrors(this.list);
  }

  private record(severity: Severity, code: DiagnosticCode, where: Location, message: string): DiagnosticNote {
    const diagnostic: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
      severity,
      code,
      message,
      file: where.file,
      line: where.line,
      column: where.column,
      field: where.field,
    };
    this.list.push(diagnostic);
    const note: DiagnosticNote = {
      hint(text) {
        if (text) diagnostic.hint = text;
        return note;
      },
    };
    return note;
  }
}

/** `data/briefs/X/brief.yaml:12:5 sections[1].heading: expected a string, got a number` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const field = d.field ? ` ${d.field}` : '';
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${where}${field}: ${prefix}${d.message}${hint}`;
}

/** Turns a path of keys and indices into `sections[1].blocks[0].paragraph`. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${visible(String(key))}` : visible(String(key));
  }
  return out;
}

/** Characters that print nothing, or reorder or hide what follows: controls, DEL, C1, bidirectional and zero-width marks. */
// eslint-disable-next-line no-control-regex
const UNSEEN = /[\u0000-\u001F\u007F-\u009F\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * Text of the brief quoted in a message, with what would print nothing written as
 * \u{…}: a field named "sec\u{7F}tions" must not read as "sections" ("unknown field
 * "sections" (did you mean "sections"?)").
 */
export function visible(text: string): string {
  return text.replace(UNSEEN, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Faults that are not the brief's: a wrong command line, an unwritable folder, a bug. */
export const ErrorCode = {
  usage: 'USAGE',
  internal: 'INTERNAL',
  output: 'OUTPUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Exit codes promised by the CLI contract (README); 1 is also what invalid briefs give. */
export const exitCodeFor: Readonly<Record<ErrorCode | 'INVALID_INPUT', number>> = {
  INVALID_INPUT: 1,
  OUTPUT: 1,
  USAGE: 2,
  INTERNAL: 3,
};

export class BriefpressError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BriefpressError';
    this.code = code;
  }
}

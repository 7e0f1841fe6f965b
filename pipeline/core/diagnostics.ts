// One shape for every problem found in a user's brief, and one error class for
// everything else. Stages collect Diagnostics and return them; only the CLI prints.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  /** Path of the file the problem is in, as given to the loader (relative when possible). */
  readonly file: string;
  /** 1-based; 0 when unknown. */
  readonly line: number;
  /** 1-based; 0 when unknown. */
  readonly column: number;
  /** Field path inside the brief, e.g. `sections[1].heading`; empty for the whole file. */
  readonly field: string;
  readonly hint?: string;
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
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export const ErrorCode = {
  invalidInput: 'INVALID_INPUT',
  usage: 'USAGE',
  internal: 'INTERNAL',
  output: 'OUTPUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Exit codes promised by the CLI contract (README). */
export const exitCodeFor: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 1,
  OUTPUT: 1,
  USAGE: 2,
  INTERNAL: 3,
};

export class BriefpressError extends Error {
  readonly code: ErrorCode;
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; diagnostics?: readonly Diagnostic[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BriefpressError';
    this.code = code;
    this.diagnostics = options.diagnostics ?? [];
  }
}

/** Thrown by a stage when the brief itself is wrong; carries every problem found. */
export class InvalidBriefError extends BriefpressError {
  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    super(ErrorCode.invalidInput, `${errors} problem${errors === 1 ? '' : 's'} in the brief`, { diagnostics });
    this.name = 'InvalidBriefError';
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

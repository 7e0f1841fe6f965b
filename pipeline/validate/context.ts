// What every check of the validation stage works with: the loaded brief (for
// positions) and the report its problems go to.
import type { DiagnosticNote, DiagnosticCode, Report } from '../core/diagnostics.ts';
import { locate, type LoadedBrief } from '../input/load.ts';

export interface Checks {
  readonly loaded: LoadedBrief;
  readonly report: Report;
}

/** Records an error at a field of brief.yaml (`key`: at the key, for a field that should not be there). */
export function errorAt(checks: Checks, code: DiagnosticCode, path: ReadonlyArray<PropertyKey>, message: string, key = false): DiagnosticNote {
  return checks.report.error(code, locate(checks.loaded, path, key), message);
}

export function warningAt(checks: Checks, code: DiagnosticCode, path: ReadonlyArray<PropertyKey>, message: string): DiagnosticNote {
  return checks.report.warning(code, locate(checks.loaded, path), message);
}

// Characters XML forbids cannot reach the deck, and have no business in a printed
// brief: they are removed from the data, with a warning naming each field. Soft
// hyphens are removed too, without one.
import { DiagnosticCode } from '../core/diagnostics.ts';
import { cleanText } from '../core/text.ts';
import { warningAt, type Checks } from './context.ts';

/** A copy of `value` without forbidden characters in any string. */
export function stripForbidden(checks: Checks, value: unknown, path: PropertyKey[] = []): unknown {
  if (typeof value === 'string') {
    const { text, forbidden } = cleanText(value);
    if (forbidden > 0) warningAt(checks, DiagnosticCode.controlCharacters, path, `removed ${forbidden} control or non-XML character${forbidden === 1 ? '' : 's'}`);
    return text;
  }
  // A !!binary value: not text, and copied field by field it would pass for a mapping.
  if (value instanceof Uint8Array || value instanceof Map || value instanceof Set) return value;
  if (Array.isArray(value)) return value.map((item, i) => stripForbidden(checks, item, [...path, i]));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = stripForbidden(checks, v, [...path, k]);
    return out;
  }
  return value;
}

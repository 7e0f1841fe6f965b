// zod's findings about the brief's shape, said the way a person editing YAML
// needs them: at the line of the field, with the value found and the fields that
// were probably meant.
import type { z } from 'zod';
import { DiagnosticCode, visible } from '../core/diagnostics.ts';
import { briefSchema } from '../input/schema.ts';
import { errorAt, type Checks } from './context.ts';
import { didYouMean } from './suggest.ts';

export function reportSchemaIssue(checks: Checks, issue: z.core.$ZodIssue, root: unknown): void {
  const path = issue.path as PropertyKey[];
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys) {
        errorAt(checks, DiagnosticCode.unknownField, [...path, key], `unknown field "${visible(key)}"`, true).hint(didYouMean(key, knownKeysAt(path)));
      }
      return;
    case 'invalid_type': {
      const actual = valueAt(root, path);
      if (actual === undefined) errorAt(checks, DiagnosticCode.missingField, path, `is required (expected ${issue.expected})`);
      else errorAt(checks, DiagnosticCode.wrongType, path, `expected ${article(issue.expected)}, got ${describeValue(actual)}`);
      return;
    }
    case 'invalid_value':
      errorAt(
        checks,
        DiagnosticCode.notAllowedValue,
        path,
        `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(valueAt(root, path))}`,
      );
      return;
    case 'too_big':
    case 'too_small': {
      // A list's length, said with what it counts; zod's own words ("Too big: expected
      // array to have <=60 items") are kept for the limits that carry a message of the schema's.
      const actual = valueAt(root, path);
      const noun = typeof path[path.length - 1] === 'string' ? String(path[path.length - 1]) : 'items';
      if (issue.origin === 'array' && Array.isArray(actual) && issue.code === 'too_big') {
        const whose = path.length === 1 ? 'this brief has' : 'there are';
        errorAt(checks, DiagnosticCode.invalidValue, path, `at most ${String(issue.maximum)} ${noun}; ${whose} ${actual.length}`).hint(`the limit keeps a brief printable; split it, or leave some ${noun} out`);
        return;
      }
      errorAt(checks, DiagnosticCode.invalidValue, path, issue.message);
      return;
    }
    default:
      errorAt(checks, DiagnosticCode.invalidValue, path, issue.message);
  }
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  return `a ${expected}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (value instanceof Uint8Array) return 'a binary value (!!binary), which a brief does not take';
  if (value instanceof Map || value instanceof Set) return `a YAML ${value instanceof Map ? '!!omap or !!pairs' : '!!set'} value, which a brief does not take`;
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

type SchemaDef = z.ZodType['_zod']['def'] & { type: string };

/** The fields the schema allows at `path`, walking the zod schema along it. */
function knownKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  let schema: z.ZodType = briefSchema;
  for (const step of path) {
    const def = unwrap(schema);
    if (typeof step === 'number' && def.type === 'array') schema = (def as unknown as { element: z.ZodType }).element;
    else if (def.type === 'object') {
      const next = shapeOf(def)[String(step)];
      if (!next) return [];
      schema = next;
    } else return [];
  }
  const def = unwrap(schema);
  return def.type === 'object' ? Object.keys(shapeOf(def)) : [];
}

function shapeOf(def: SchemaDef): Record<string, z.ZodType> {
  return (def as unknown as { shape: Record<string, z.ZodType> }).shape;
}

/** Looks through optional, default and refinement wrappers to the schema they hold. */
function unwrap(schema: z.ZodType): SchemaDef {
  let def = schema._zod.def as SchemaDef & { innerType?: z.ZodType; in?: z.ZodType };
  while ((def.type === 'optional' || def.type === 'default' || def.type === 'pipe') && (def.innerType ?? def.in)) {
    def = (def.innerType ?? def.in)!._zod.def as typeof def;
  }
  return def;
}

// YAML 1.2 reads `010` as ten; YAML 1.1 tools (and many editors' previews) read it
// as eight. A number written with a leading zero is ambiguous, so it is refused.
import { isPair, isScalar, isSeq, visit } from 'yaml';
import { DiagnosticCode } from '../core/diagnostics.ts';
import { errorAt, type Checks } from './context.ts';

export function checkAmbiguousNumbers(checks: Checks): void {
  visit(checks.loaded.document, {
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
      errorAt(checks, DiagnosticCode.ambiguousNumber, path, `the number ${source} has a leading zero, which YAML 1.1 tools read as octal`).hint(
        `write ${Number(source)} or, for text, quote it: "${source}"`,
      );
    },
  });
}

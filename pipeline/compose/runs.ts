// Text of the brief as runs both renderers can print: inline markup parsed, report
// links resolved to their URLs, cross-references filled in with the number of the
// figure or table they name ("Figure 1"), footnote marks raised.
import type { Run } from '../core/text.ts';
import { crossReferenceTarget, parseInline, reportTarget } from '../input/inline.ts';

/** What a `#id` cross-reference prints when its link has no text of its own: "Figure 1", "Table 2". */
export type ReferenceLabels = ReadonlyMap<string, string>;

export class RunResolver {
  constructor(
    private readonly reportUrls: ReadonlyMap<string, string>,
    private readonly labels: ReferenceLabels,
  ) {}

  /** Inline text (paragraphs, bullets, notes, sources) as runs. */
  runs(source: string): Run[] {
    return parseInline(source).flatMap((run) => this.resolve(run));
  }

  private resolve(run: Run): Run[] {
    if (run.href === undefined) return raiseFootnoteMarks(run);
    const report = reportTarget(run.href);
    if (report !== undefined) return [{ ...run, href: this.reportUrls.get(report)! }];
    const target = crossReferenceTarget(run.href);
    if (target !== undefined && run.text === '') return [{ ...run, text: this.labels.get(target)! }];
    return [run];
  }
}

/** `^a` after text: the mark of footnote a, printed as a superscript. */
const MARK = /\^([a-z0-9]{1,3})/g;

/** A run cut around its footnote marks, each mark a superscript run of its own. */
export function raiseFootnoteMarks(run: Run): Run[] {
  if (!run.text.includes('^')) return [run];
  const out: Run[] = [];
  let last = 0;
  for (const match of run.text.matchAll(MARK)) {
    if (match.index > last) out.push({ ...run, text: run.text.slice(last, match.index) });
    out.push({ ...run, text: match[1]!, superscript: true });
    last = match.index + match[0].length;
  }
  if (last < run.text.length) out.push({ ...run, text: run.text.slice(last) });
  return out;
}

/** A table cell's text: plain, with footnote marks raised. */
export function cellRuns(text: string): Run[] {
  return raiseFootnoteMarks({ text, bold: false, italic: false });
}

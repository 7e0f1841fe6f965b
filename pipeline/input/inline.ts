// The small Markdown subset allowed inside paragraphs and bullets:
// **bold**, *italic*, [text](href) and backslash escapes. Everything else is literal text.
import { ID_PATTERN, type Run } from '../core/text.ts';


interface Style {
  bold: boolean;
  italic: boolean;
  href?: string;
}

const ESCAPABLE = new Set(['\\', '*', '[', ']', '(', ')', '_', '`']);

export function parseInline(source: string): Run[] {
  const runs: Run[] = [];
  parseInto(source, { bold: false, italic: false }, runs);
  return mergeRuns(runs);
}

function parseInto(source: string, style: Style, out: Run[]): void {
  // The run's text so far, and where the plain text not yet added to it begins: plain
  // text is added a stretch at a time, not a character at a time (every paragraph of
  // every brief passes through here).
  let buffer = '';
  let plainFrom = 0;
  const flush = (at: number) => {
    buffer += source.slice(plainFrom, at);
    if (buffer) out.push({ text: buffer, bold: style.bold, italic: style.italic, ...(style.href ? { href: style.href } : {}) });
    buffer = '';
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\' && i + 1 < source.length && ESCAPABLE.has(source[i + 1]!)) {
      buffer += source.slice(plainFrom, i) + source[i + 1];
      i += 2;
      plainFrom = i;
      continue;
    }
    if (source.startsWith('**', i)) {
      const end = findClosing(source, '**', i + 2);
      if (end > i + 2) {
        flush(i);
        parseInto(source.slice(i + 2, end), { ...style, bold: true }, out);
        plainFrom = i = end + 2;
        continue;
      }
    } else if (ch === '*') {
      const end = findClosing(source, '*', i + 1);
      if (end > i + 1 && source[i + 1] !== ' ') {
        flush(i);
        parseInto(source.slice(i + 1, end), { ...style, italic: true }, out);
        plainFrom = i = end + 1;
        continue;
      }
    } else if (ch === '[' && !style.href) {
      const link = matchLink(source, i);
      if (link) {
        flush(i);
        // A cross-reference with no text of its own, [](#id): compose fills in "Figure 1".
        if (link.text === '') out.push({ text: '', bold: style.bold, italic: style.italic, href: link.href });
        else parseInto(link.text, { ...style, href: link.href }, out);
        plainFrom = i = link.end;
        continue;
      }
    } else if (ch === 'h' && !style.href && source.startsWith('http', i) && !/[\p{L}\p{N}]/u.test(source[i - 1] ?? ' ')) {
      const url = bareUrl(source, i);
      if (url) {
        flush(i);
        out.push({ text: url, bold: style.bold, italic: style.italic, href: url });
        i += url.length;
        plainFrom = i;
        continue;
      }
    }
    i++;
  }
  flush(source.length);
}

/** Index of the closing marker, skipping escaped characters and, for `*`, the `**` of nested bold. */
function findClosing(source: string, marker: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    if (source[i] === '\\') {
      i++;
      continue;
    }
    if (marker === '*' && source.startsWith('**', i)) {
      const inner = findClosing(source, '**', i + 2);
      if (inner < 0) return -1;
      i = inner + 1;
      continue;
    }
    if (source.startsWith(marker, i)) return i;
  }
  return -1;
}

/**
 * A bare http(s) URL starting at `start`, as briefs print them in resource lists
 * ("…, at https://www.gao.gov/products/GAO-04-882R."): the sentence's closing
 * punctuation and an unmatched closing parenthesis are not part of it.
 */
function bareUrl(source: string, start: number): string | undefined {
  const found = /^https?:\/\/[^\s<>"]+/.exec(source.slice(start))?.[0];
  if (!found) return undefined;
  let url: string = found;
  for (;;) {
    const trimmed: string = url.replace(/[.,;:!?'"”’]+$/, '');
    const unmatched = trimmed.endsWith(')') && (trimmed.match(/\(/g)?.length ?? 0) < (trimmed.match(/\)/g)?.length ?? 0);
    const next = unmatched ? trimmed.slice(0, -1) : trimmed;
    if (next === url) break;
    url = next;
  }
  return /^https?:\/\/[^/\s]/.test(url) ? url : undefined;
}

function matchLink(source: string, start: number): { text: string; href: string; end: number } | undefined {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') depth++;
    if (ch === ']' && --depth === 0) {
      if (source[i + 1] !== '(') return undefined;
      const close = source.indexOf(')', i + 2);
      if (close < 0) return undefined;
      const href = source.slice(i + 2, close).trim();
      if (!href || /\s/.test(href)) return undefined;
      return { text: source.slice(start + 1, i), href, end: close + 1 };
    }
  }
  return undefined;
}

function mergeRuns(runs: Run[]): Run[] {
  const merged: Run[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    // A cross-reference with no text of its own stays a run of its own: two side by side are two references.
    const crossReference = (r: Run) => r.text === '' && r.href !== undefined;
    if (last && last.bold === run.bold && last.italic === run.italic && last.href === run.href && !crossReference(last) && !crossReference(run)) {
      merged[merged.length - 1] = { ...last, text: last.text + run.text };
    } else {
      merged.push(run);
    }
  }
  return merged;
}


/** Links whose scheme the outputs may carry; `report:` is resolved against relatedReports. */
export function linkProblem(href: string): string | undefined {
  if (crossReferenceTarget(href) !== undefined) return undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(href)?.[1]?.toLowerCase();
  if (!scheme) return `link "${href}" has no scheme; expected https://, http://, mailto:, report:ID or #id`;
  if (!['http', 'https', 'mailto', 'report'].includes(scheme)) {
    return `link scheme "${scheme}:" is not allowed; expected https://, http://, mailto:, report:ID or #id`;
  }
  return undefined;
}

/** The report id a `report:ID` link names (the scheme in any case, as URL schemes are), else undefined. */
export function reportTarget(href: string): string | undefined {
  return /^report:/i.test(href) ? href.slice('report:'.length) : undefined;
}

/** The figure or table id a `#id` cross-reference names, else undefined. */
export function crossReferenceTarget(href: string): string | undefined {
  return href.startsWith('#') && ID_PATTERN.test(href.slice(1)) ? href.slice(1) : undefined;
}

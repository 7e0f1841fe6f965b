// Text in an SVG figure, set in the fonts that have its glyphs. svg-to-pdfkit asks
// for one font per text element (its fontCallback sees the family, weight and style,
// never the text), so an element that mixes Latin with Japanese or Korean would be
// drawn in one face, with empty boxes for what it lacks. Before drawing, each run of
// a text element's characters that the theme's faces lack is wrapped in a <tspan>
// whose family names the fallback font that has them (as FontBook.split chooses for
// the page's own text); render.ts's fontCallback maps that family to the font.
import type { FontKey, Measurer } from '../core/fonts.ts';

/** The family given to a run set in fallback font `i`: `${FALLBACK_FAMILY}${i}`. */
export const FALLBACK_FAMILY = 'briefpress-fallback-';

/** The fallback font index a family names, if it is one of ours. */
export function fallbackIndex(family: string | undefined): number | undefined {
  const match = family === undefined ? null : /^briefpress-fallback-(\d+)$/.exec(family);
  return match ? Number(match[1]) : undefined;
}

/**
 * The faces' coverage is the same (Tinos and Arimo, every weight, share their
 * character set), so which of them an element ends up in does not change which
 * characters need a fallback: the split is made once, in one of them.
 */
const PRIMARY: FontKey = { face: 'sans', weight: 'regular' };

/** Elements whose character data svg-to-pdfkit draws as text. */
const TEXT_CONTAINERS = new Set(['text', 'tspan', 'textPath', 'a']);

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * The SVG with the runs of text its faces cannot draw set in the fallback fonts; the
 * same string when there are none (so a figure without such text is drawn as before).
 */
export function withFallbackFonts(svg: string, measurer: Pick<Measurer, 'split'>): string {
  if (!svg.includes('<text')) return svg;
  const out: string[] = [];
  const stack: string[] = [];
  /** The fallback fonts a run was wrapped for. */
  const used = new Set<number>();
  let i = 0;
  const until = (end: string, from: number) => {
    const at = svg.indexOf(end, from);
    return at < 0 ? svg.length : at + end.length;
  };
  const inText = () => {
    const at = stack.lastIndexOf('text');
    return at >= 0 && stack.slice(at).every((name) => TEXT_CONTAINERS.has(name));
  };
  const text = (raw: string, cdata: boolean) => {
    const set = inText() ? setRuns(raw, cdata, measurer, used) : undefined;
    out.push(set ?? (cdata ? `<![CDATA[${raw}]]>` : raw));
  };
  while (i < svg.length) {
    if (svg[i] !== '<') {
      const end = svg.indexOf('<', i);
      const stop = end < 0 ? svg.length : end;
      text(svg.slice(i, stop), false);
      i = stop;
      continue;
    }
    let end: number;
    if (svg.startsWith('<!--', i)) end = until('-->', i + 4);
    else if (svg.startsWith('<![CDATA[', i)) {
      end = until(']]>', i + 9);
      text(svg.slice(i + 9, end - 3), true);
      i = end;
      continue;
    } else if (svg.startsWith('<?', i)) end = until('?>', i + 2);
    else if (svg.startsWith('<!', i)) end = declarationEnd(svg, i);
    else {
      end = tagEnd(svg, i);
      const tag = svg.slice(i, end);
      const name = /^<\/?([^\s/>]+)/.exec(tag)?.[1] ?? '';
      if (tag.startsWith('</')) stack.splice(stack.lastIndexOf(name) >= 0 ? stack.lastIndexOf(name) : stack.length);
      else if (!tag.endsWith('/>')) stack.push(name);
    }
    out.push(svg.slice(i, end));
    i = end;
  }
  if (used.size === 0) return svg;
  // The family is given by a class rule, last among the style sheets: svg-to-pdfkit lets a
  // style sheet's rule win over an element's own attributes, and a class is more specific
  // than a rule on `tspan` or `*` the figure's own style sheet may have.
  const rules = [...used].sort((a, b) => a - b).map((n) => `.${FALLBACK_FAMILY}${n}{font-family:${FALLBACK_FAMILY}${n}}`).join('');
  const result = out.join('');
  const close = result.lastIndexOf('</svg>');
  return close < 0 ? result : `${result.slice(0, close)}<style>${rules}</style>${result.slice(close)}`;
}

/** The end of the tag that starts at `from`, past its closing `>` (a `>` inside a quoted attribute value does not end it). */
function tagEnd(svg: string, from: number): number {
  let quote: string | undefined;
  for (let i = from + 1; i < svg.length; i++) {
    const c = svg[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i + 1;
  }
  return svg.length;
}

/** The end of a declaration such as <!DOCTYPE …>, past a bracketed internal subset. */
function declarationEnd(svg: string, from: number): number {
  let depth = 0;
  for (let i = from + 2; i < svg.length; i++) {
    const c = svg[i]!;
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '>' && depth <= 0) return i + 1;
  }
  return svg.length;
}

/**
 * Character data of a text element with each run a fallback font draws wrapped in a
 * tspan of that font's class; undefined when the faces draw all of it. The raw text
 * is cut only between characters (a character reference stays whole).
 */
function setRuns(raw: string, cdata: boolean, measurer: Pick<Measurer, 'split'>, used: Set<number>): string | undefined {
  let decoded = '';
  // For each UTF-16 unit of the decoded text, where its character starts in the raw text.
  const starts: number[] = [];
  for (let i = 0; i < raw.length; ) {
    const reference = cdata ? undefined : /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/.exec(raw.slice(i, i + 12));
    const value = reference ? decodeReference(reference[1]!) : undefined;
    const length = value !== undefined ? reference![0].length : raw.codePointAt(i)! > 0xffff ? 2 : 1;
    const char = value ?? raw.slice(i, i + length);
    for (let u = 0; u < char.length; u++) starts.push(i);
    decoded += char;
    i += length;
  }
  starts.push(raw.length);
  const runs = measurer.split(decoded, PRIMARY);
  if (runs.every((run) => run.key.fallback === undefined)) return undefined;
  let at = 0;
  return runs
    .map((run) => {
      const piece = raw.slice(starts[at]!, starts[at + run.text.length]!);
      at += run.text.length;
      const body = cdata ? `<![CDATA[${piece}]]>` : piece;
      if (run.key.fallback === undefined) return body;
      used.add(run.key.fallback);
      return `<tspan class="${FALLBACK_FAMILY}${run.key.fallback}">${body}</tspan>`;
    })
    .join('');
}

function decodeReference(name: string): string | undefined {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return NAMED[name];
}

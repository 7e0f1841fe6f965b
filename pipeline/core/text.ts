// Text as every stage sees it: runs of styled text, and the patterns that say
// what a brief's text, ids and colours may hold. One definition of each, used by
// validation, the renderers, the package repairs and the CLI alike.

/** A stretch of text in one style; `href` as written: https://…, mailto:…, report:ID or #id. */
export interface Run {
  readonly text: string;
  readonly bold: boolean;
  readonly italic: boolean;
  readonly href?: string;
  /** A footnote mark: printed smaller, raised above the baseline. */
  readonly superscript?: boolean;
}

export function plainText(runs: readonly Run[]): string {
  return runs.map((r) => r.text).join('');
}

/** Text in no style: what a template or a join adds between runs of the data. */
export function plainRun(text: string): Run {
  return { text, bold: false, italic: false };
}

/**
 * The parts one after another with `separator` between them, as `Array.join`
 * joins strings: speaker notes are runs (so the data's italics and bold survive
 * into them), and their line breaks are text ('\n').
 */
export function joinRuns(parts: ReadonlyArray<readonly Run[]>, separator: string): Run[] {
  return parts.flatMap((part, i) => (i === 0 ? [...part] : [plainRun(separator), ...part]));
}

/**
 * Characters XML 1.0 forbids (C0 controls other than tab and line breaks, U+FFFE,
 * U+FFFF, unpaired surrogates) and DEL, which has no business in a printed brief
 * either. Validation removes them from the data with a warning; the deck's
 * package step removes them from every part as the last guard.
 */
// eslint-disable-next-line no-control-regex
export const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Soft hyphens (U+00AD), as text pasted from a word processor carries them. They are
 * dropped from the data: the PDF hyphenates by its own patterns, a viewer of the deck
 * or the page by its own rules. Kept, one would also reach fontkit, whose glyph cache
 * gives the soft hyphen and the hyphen (one glyph in Tinos and Arimo) the characters
 * of whichever it met first in the process: a visible hyphen inside a word, or every
 * later hyphen hidden, depending on what the process built before.
 */
export const SOFT_HYPHENS = /\u00AD/g;

/**
 * A text of the data as the stages take it: without soft hyphens and without the
 * characters XML forbids, with how many of the latter it held (they are worth a
 * warning; a soft hyphen is a break hint, not an error).
 */
export function cleanText(text: string): { readonly text: string; readonly forbidden: number } {
  const kept = text.replace(SOFT_HYPHENS, '');
  const forbidden = kept.match(FORBIDDEN_CHARS)?.length ?? 0;
  return { text: forbidden === 0 ? kept : kept.replace(FORBIDDEN_CHARS, ''), forbidden };
}

/**
 * Bidirectional controls (U+202A–U+202E, U+2066–U+2069, the marks U+200E, U+200F,
 * U+061C) and zero-width characters (U+200B–U+200D, U+2060, U+FEFF). In running
 * text they may be right: Arabic and Hebrew need the marks, Persian and Indic
 * scripts the joiners. In file metadata (the PDF's Info dictionary, the deck's
 * docProps), which a file browser or a mail client shows without the text around
 * it, they only hide what a title or an author really says ("…\u202Efdp.exe").
 */
export const INVISIBLE_CONTROLS = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

/** Text as file metadata may hold it: no invisible controls (INVISIBLE_CONTROLS). */
export function metadataText(text: string): string {
  return text.replace(INVISIBLE_CONTROLS, '');
}

/** A brief's id, a figure's or a report's: it names files and folders, so it stays plain. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const ID_RULE = 'letters, digits, "-" or "_" (at most 64, starting with a letter or digit)';

/** A colour as the theme and the data write it. */
export const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;

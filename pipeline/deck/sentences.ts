// Sentences of a brief's text, for the deck: ICU's sentence boundaries
// (Intl.Segmenter, built into Node), then the abbreviations a policy text is full
// of put back together. ICU alone already keeps "U.S.-Japan", "P.L. 87-856, the",
// "(i.e., run on bank)" and "the U.S. grew" whole; it breaks after an abbreviation
// followed by a capital or a code ("Report No. EVAL-17-004", "Dr. Smith", "the
// U.S. Treasury"), which are rejoined here. An abbreviation that really ends a
// sentence ("… with the U.S. The next …") keeps its break.

/** A sentence: where it starts and ends in the text (trailing spaces left out). */
export interface Sentence {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Abbreviations that are always followed by what they qualify (a name, a number,
 * an example), so a break after them is never a sentence's end. Closing quotes or
 * brackets after the period ("“No.”") mean the sentence did end, and are not matched.
 */
const ALWAYS_CONTINUES = /(?:^|[\s(“‘"'[])(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Adm|Col|Lt|Sgt|Hon|St|No|Nos|Sec|Secs|Art|Arts|Vol|Vols|Ch|Pt|Pts|Fig|Figs|pp|p|cf|vs|v|e\.g|i\.e|al|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Stat|Cong|Sess|Doc|Rept|Pub)\.$/;

/** Initials and initialisms: "U.S.", "P.L.", "D.C.", "M." (a middle initial). */
const INITIALS = /(?:^|[\s(“‘"'[-])(?:[A-Z]\.)+$/;

/**
 * Words that open a sentence far more often than they follow "U.S." or "P.L." in
 * the same sentence: after initials, a break before one of them stands.
 */
const SENTENCE_OPENERS = new Set(
  'a an the this that these those it its in on at for from to by of as and but or nor so yet if when while since after before although though because however moreover meanwhile also he she they we i you there here some many most other others such one two each both all no not what which who how why where'.split(' '),
);

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(language: string): Intl.Segmenter {
  let s = segmenters.get(language);
  if (s === undefined) {
    s = new Intl.Segmenter(language, { granularity: 'sentence' });
    segmenters.set(language, s);
  }
  return s;
}

/** The sentences of `text`, in order; the abbreviation rules apply to English text (the ICU boundaries to any language). */
export function sentences(text: string, language: string): Sentence[] {
  const english = /^en\b/i.test(language);
  const pieces: Array<{ start: number; end: number }> = [];
  for (const { index, segment } of segmenter(language).segment(text)) {
    const end = index + segment.trimEnd().length;
    const previous = pieces[pieces.length - 1];
    if (previous !== undefined && english && continuesAfter(text.slice(previous.start, previous.end), segment)) previous.end = end;
    else pieces.push({ start: index + (segment.length - segment.trimStart().length), end });
  }
  return pieces.filter((p) => p.end > p.start).map((p) => ({ ...p, text: text.slice(p.start, p.end) }));
}

/** Whether the sentence ICU ended with `before` goes on into `next` (an abbreviation, not an end). */
function continuesAfter(before: string, next: string): boolean {
  if (ALWAYS_CONTINUES.test(before)) return true;
  if (!INITIALS.test(before)) return false;
  const word = /^[\s]*[“‘"'(]?([\p{L}\p{N}]+)/u.exec(next)?.[1];
  if (word === undefined) return false;
  // A number or a capitalized name after initials continues the sentence ("P.L. 106-102", "the U.S. Treasury"); an opener starts one.
  return /^\p{N}/u.test(word) || !SENTENCE_OPENERS.has(word.toLowerCase());
}

/** The sentences' texts. */
export function sentenceTexts(text: string, language: string): string[] {
  return sentences(text, language).map((s) => s.text);
}

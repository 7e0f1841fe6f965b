// Hyphenation points from Liang's patterns for the brief's language (the
// `hyphen` package ships TeX's patterns for some seventy languages), for justified
// columns that would otherwise have wide gaps. A language without patterns is
// set without hyphenation rather than with another language's.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SOFT_HYPHEN = '\u00AD';
type Hyphenator = (text: string, options: { hyphenChar: string; minWordLength: number }) => string;

/** Where the package's patterns for a language tag live: the tag itself, else its language alone ("fr-CA" → "fr"). */
const PATTERN_ALIASES: Readonly<Record<string, string>> = { de: 'de-1996', el: 'el-monoton', mn: 'mn-cyrl', sr: 'sr-cyrl' };
const hyphenators = new Map<string, Hyphenator | null>();

function hyphenatorFor(language: string): Hyphenator | null {
  const tag = language.toLowerCase();
  let found = hyphenators.get(tag);
  if (found !== undefined) return found;
  found = null;
  const primary = tag.split('-')[0]!;
  for (const candidate of [tag, PATTERN_ALIASES[primary], primary]) {
    if (!candidate || !/^[a-z]{2,3}(-[a-z0-9]+)*$/.test(candidate)) continue;
    try {
      found = (require(`hyphen/${candidate}/index.js`) as { hyphenateSync: Hyphenator }).hyphenateSync;
      break;
    } catch {
      // no patterns under that name: try the next
    }
  }
  hyphenators.set(tag, found);
  return found;
}

/**
 * The syllables of a word where it may be broken, e.g. "negotiations" → ["ne",
 * "go", "ti", "a", "tions"]. Acronyms, words with digits or capitals inside, and
 * words of fewer than six letters are never broken.
 */
export function hyphenationPoints(word: string, language: string): string[] {
  if (!HYPHENATABLE.test(word)) return [word];
  const key = `${language}\u0000${word}`;
  let points = known.get(key);
  if (!points) {
    learn([word], language);
    points = known.get(key)!;
  }
  return points;
}

/**
 * Hyphenates, in one call to the patterns, the words of a paragraph not seen yet:
 * total fit asks for every word, and the package's set-up per call cost more than
 * the patterns themselves.
 */
export function prepareHyphenation(words: readonly string[], language: string): void {
  const fresh = [...new Set(words.filter((w) => HYPHENATABLE.test(w) && !known.has(`${language}\u0000${w}`)))];
  if (fresh.length > 0) learn(fresh, language);
}

function learn(words: readonly string[], language: string): void {
  const hyphenate = hyphenatorFor(language);
  // Joined by spaces, the words are read one by one exactly as when each is passed alone.
  const parts = hyphenate ? hyphenate(words.join(' '), { hyphenChar: SOFT_HYPHEN, minWordLength: 6 }).split(' ') : words;
  if (known.size > 100_000) known.clear();
  words.forEach((word, i) => known.set(`${language}\u0000${word}`, (parts.length === words.length ? parts[i]! : word).split(SOFT_HYPHEN)));
}

/** Words the patterns may break: a letter, then at least five lower-case letters, marks or apostrophes. */
const HYPHENATABLE = /^\p{L}[\p{Ll}\p{M}’']{5,}$/u;

/** Words already hyphenated, by language: a brief repeats its words. */
const known = new Map<string, string[]>();

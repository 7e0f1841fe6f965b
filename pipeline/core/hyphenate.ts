// English hyphenation points (Liang's patterns for en-US, from the `hyphen`
// package), for justified columns that would otherwise have wide gaps.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SOFT_HYPHEN = '\u00AD';
let hyphenator: ((text: string, options: { hyphenChar: string; minWordLength: number }) => string) | undefined;

/**
 * The syllables of a lower-case word where it may be broken, e.g.
 * "negotiations" → ["ne", "go", "ti", "a", "tions"]. Acronyms and words with
 * digits or fewer than six letters are never broken.
 */
export function hyphenationPoints(word: string): string[] {
  if (!/^[A-Za-z][a-z’']{5,}$/.test(word)) return [word];
  hyphenator ??= (require('hyphen/en-us/index.js') as { hyphenateSync: NonNullable<typeof hyphenator> }).hyphenateSync;
  return hyphenator(word, { hyphenChar: SOFT_HYPHEN, minWordLength: 6 }).split(SOFT_HYPHEN);
}

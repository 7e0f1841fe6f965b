// Hyphenation follows the brief's language: its own patterns, or none.
import { describe, expect, it } from 'vitest';
import { hyphenationPoints } from '../pipeline/core/hyphenate.ts';

describe('hyphenation', () => {
  it('breaks words by the patterns of the language given', () => {
    expect(hyphenationPoints('negotiations', 'en-US')).toEqual(['ne', 'go', 'ti', 'a', 'tions']);
    expect(hyphenationPoints('negotiations', 'en-GB')).toEqual(['ne', 'go', 'ti', 'ations']);
    expect(hyphenationPoints('développement', 'fr-CA')).toEqual(['dé', 've', 'lop', 'pe', 'ment']);
    expect(hyphenationPoints('Zusammenarbeit', 'de-DE')).toEqual(['Zu', 'sam', 'men', 'ar', 'beit']);
  });

  it('leaves words whole in a language it has no patterns for, and acronyms and short words in any', () => {
    expect(hyphenationPoints('negotiations', 'xx')).toEqual(['negotiations']);
    expect(hyphenationPoints('NAFTA', 'en-US')).toEqual(['NAFTA']);
    expect(hyphenationPoints('trade', 'en-US')).toEqual(['trade']);
    expect(hyphenationPoints('P.L.106-102', 'en-US')).toEqual(['P.L.106-102']);
  });
});

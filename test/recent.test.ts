// The memos' map (pipeline/core/recent.ts): it keeps its most recently used entries.
import { describe, expect, it } from 'vitest';
import { RecentlyUsed } from '../pipeline/core/recent.ts';

describe('RecentlyUsed', () => {
  it('drops the least recently used entry past its limit, a use counting as recent', () => {
    const kept = new RecentlyUsed<string, number>(2);
    kept.set('a', 1);
    kept.set('b', 2);
    expect(kept.get('a')).toBe(1);
    kept.set('c', 3);
    expect([kept.get('a'), kept.get('b'), kept.get('c')]).toEqual([1, undefined, 3]);
    // Setting a kept key replaces it without dropping another.
    kept.set('c', 4);
    expect([kept.get('a'), kept.get('c')]).toEqual([1, 4]);
  });
});

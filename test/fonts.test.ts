// Fallback fonts: text the brand faces cannot draw is set in the theme's CJK
// fonts, run by run; a character no bundled font has is refused at validation.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fontName } from '../pipeline/core/fonts.ts';
import { itWith } from './tools.ts';
import { artifact, build, copySample, expectBuilt, readPdf, sharedContext, tempDir } from './helpers.ts';

const fonts = () => sharedContext().fonts;

describe('font fallback', () => {
  it('keeps Latin text in the brand face and sets Japanese and Korean in the fallbacks', () => {
    const runs = fonts().split('Senkaku Islands (尖閣諸島) and 대한민국.', { face: 'serif', weight: 'regular' });
    expect(runs.map((r) => [r.text, fontName(r.key)])).toEqual([
      ['Senkaku Islands (', 'serif-regular'],
      ['尖閣諸島) ', 'fallback0-regular'], // neutral characters stay with the run they follow
      ['and ', 'serif-regular'],
      ['대한민국.', 'fallback1-regular'],
    ]);
  });

  it('keeps a letter and its combining marks in one font', () => {
    const runs = fonts().split('Cafe\u0301 e\u0301', { face: 'serif', weight: 'regular' });
    expect(runs.map((r) => r.text).join('')).toBe('Cafe\u0301 e\u0301');
    expect(new Set(runs.map((r) => fontName(r.key)))).toEqual(new Set(['serif-regular']));
  });

  it('finds characters no bundled font has', () => {
    expect(fonts().missingGlyph('尖閣諸島', { face: 'serif', weight: 'regular' })).toBeUndefined();
    expect(fonts().missingGlyph('a 🗾', { face: 'serif', weight: 'regular' })).toBe(0x1f5fe);
  });

  it('keeps the shaping and font split of at most 30,000 words, however many different words a batch brings, and measures them alike after a clear', () => {
    const book = fonts();
    const serif = { face: 'serif', weight: 'regular' } as const;
    const first = book.width('quixotic', serif, 10);
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < 70_000; i++) {
      // Every word different: its number written in letters.
      let word = '';
      for (let n = i; n > 0 || word === ''; n = Math.floor(n / 26)) word += letters[n % 26];
      book.width(`w${word}`, serif, 10);
      book.split(`w${word}`, serif);
    }
    const kept = (map: Map<string, unknown>) => [...map.values()].reduce<number>((sum, v) => sum + (v instanceof Map ? v.size : 1), 0);
    expect(kept(book['shaped'])).toBeLessThanOrEqual(30_000);
    expect(kept(book['splits'])).toBeLessThanOrEqual(30_000);
    expect(kept(book['splits'])).toBeGreaterThan(0);
    expect(book.width('quixotic', serif, 10)).toBe(first);
  });

  it('gives the same answer for a character however often and in whatever company it is asked about (its answer is kept)', () => {
    const book = fonts();
    const serif = { face: 'serif', weight: 'regular' } as const;
    for (let round = 0; round < 2; round++) {
      expect(book.missingGlyph('plain text, twice', serif)).toBeUndefined();
      expect(book.missingGlyph('x\u0378y', serif)).toBe(0x378);
      expect(book.missingGlyph('ok 😀 then \u0378', serif)).toBe(0x1f600);
      // A lone surrogate is drawn by no font; its pair partner alone is not a pair.
      expect(book.missingGlyph('a\ud83d', serif)).toBe(0xd83d);
      expect(book.missingGlyph('\ud83d\ude00', serif)).toBe(0x1f600);
      expect(book.missingGlyph('諸島', serif)).toBeUndefined();
      // The answer belongs to the chain asked about: the sans chain has its own.
      expect(book.missingGlyph('x\u0378', { face: 'sans', weight: 'bold' })).toBe(0x378);
    }
  });

  itWith('pdffonts')('prints a paragraph with Japanese text: glyphs embedded, text extractable', async () => {
    const { dir } = copySample((y) => y.replace('as the Senkaku Islands in Japan,', 'as the Senkaku Islands (尖閣諸島) in Japan,'));
    const result = expectBuilt(await build(dir, ['pdf']));
    const bytes = artifact(result, 'pdf');
    const pdf = await readPdf(bytes);
    expect(pdf.pages.map((p) => p.content.join('')).join('')).toContain('(尖閣諸島)');
    const file = path.join(tempDir(), 'cjk.pdf');
    fs.writeFileSync(file, bytes);
    const listing = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(listing).toMatch(/^[A-Z]{6}\+NotoSansJP-Regular\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/m);
  });
});

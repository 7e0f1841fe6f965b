// The web edition's faces (pipeline/web/fonts.ts): cut to one of two fixed sets for
// nearly every page so that they are made once, kept in a file cache that is only
// ever a shortcut (a corrupt file is made again, a folder that cannot be written is
// no cache), and still holding whatever else a page prints that the face has.
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import subsetFont from 'subset-font';
import { describe, expect, it } from 'vitest';
import { defaultTheme } from '../pipeline/core/theme.ts';
import { COMMON_CHARACTERS, LATIN_CHARACTERS, WebFontCache, isWholeWoff2 } from '../pipeline/web/fonts.ts';
import { artifact, build, copyBrief, everyElementDir, expectBuilt, sampleDir, tempDir } from './helpers.ts';

const theme = defaultTheme();
const { serif, sans } = theme.fontFiles;
const pageFaces = [serif.regular, serif.bold, serif.italic, serif.boldItalic, sans.regular, sans.bold];

const fresh = (file: string, characters: string) => subsetFont(fs.readFileSync(file), characters, { targetFormat: 'woff2' });

/** The one file a cache folder holds, after checking that no temporary file was left beside it. */
function onlyFile(folder: string): string {
  const files = fs.readdirSync(folder);
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  expect(files).toHaveLength(1);
  return path.join(folder, files[0]!);
}

/** The WOFF2 faces a page embeds, in the order of its @font-face rules. */
const facesOf = (html: string): Buffer[] => [...html.matchAll(/@font-face\{[^}]*base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, 'base64'));

describe('the web edition’s faces', () => {
  it('are made once, kept in the cache folder with the bytes a fresh subset gives, and read back from it', async () => {
    const folder = tempDir();
    const expected = await fresh(serif.regular, COMMON_CHARACTERS);
    const made = await new WebFontCache(folder).woff2(serif.regular, COMMON_CHARACTERS);
    expect(made.equals(expected)).toBe(true);
    const file = onlyFile(folder);
    expect(fs.readFileSync(file).equals(expected)).toBe(true);
    // Another whole WOFF2 in its place is what a new process gets: the file is read, not remade.
    const other = await new WebFontCache(undefined).woff2(serif.bold, COMMON_CHARACTERS);
    fs.writeFileSync(file, other);
    expect((await new WebFontCache(folder).woff2(serif.regular, COMMON_CHARACTERS)).equals(other)).toBe(true);
  });

  it('ignore a cache file that is cut short, not WOFF2 or empty, and write it again', async () => {
    const folder = tempDir();
    const expected = await new WebFontCache(folder).woff2(sans.bold, COMMON_CHARACTERS);
    const file = onlyFile(folder);
    const damaged = {
      truncated: expected.subarray(0, expected.length - 100),
      // The length in the header no longer matches: bytes appended by a botched copy.
      extended: Buffer.concat([expected, Buffer.from('junk')]),
      'wrong signature': Buffer.concat([Buffer.from('wOFF'), expected.subarray(4)]),
      empty: Buffer.alloc(0),
    };
    for (const [name, bytes] of Object.entries(damaged)) {
      expect(isWholeWoff2(bytes), name).toBe(false);
      fs.writeFileSync(file, bytes);
      expect((await new WebFontCache(folder).woff2(sans.bold, COMMON_CHARACTERS)).equals(expected), name).toBe(true);
      expect(fs.readFileSync(onlyFile(folder)).equals(expected), name).toBe(true);
    }
  });

  it('are made without a cache when its folder cannot be created or written', async () => {
    const blocker = path.join(tempDir(), 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const bytes = await new WebFontCache(path.join(blocker, 'web-fonts')).woff2(sans.regular, COMMON_CHARACTERS);
    expect(bytes.equals(await fresh(sans.regular, COMMON_CHARACTERS))).toBe(true);
  });

  it('are cut to one fixed set for an English page, another for any other Latin-1, and beyond that add what the face has', () => {
    const cache = new WebFontCache(undefined);
    const face = serif.regular;
    expect(cache.characters(face, 'Tariffs — “quoted”, ‘§ 301’ · 5 × 3 °C … −2 €\n\t')).toBe(COMMON_CHARACTERS);
    expect(cache.characters(face, 'José Müller')).toBe(LATIN_CHARACTERS);
    expect(cache.characters(face, 'Footnote† ‰')).toBe(LATIN_CHARACTERS);
    // Tinos has no Japanese: the characters would change the key, not the subset.
    expect(cache.characters(face, 'Trade 日本の関税')).toBe(COMMON_CHARACTERS);
    const polish = cache.characters(face, 'Łódź and Kraków');
    expect([...polish].length).toBe([...LATIN_CHARACTERS].length + 2);
    expect(polish).toContain('Ł');
    expect(polish).toContain('ź');
    expect(cache.characters(face, 'źŁ ó')).toBe(polish);
    expect(LATIN_CHARACTERS.startsWith(' ')).toBe(true);
    for (const c of COMMON_CHARACTERS) expect(LATIN_CHARACTERS).toContain(c);
  });

  it('are the same bytes for every English page, the common set’s', async () => {
    const cache = new WebFontCache(undefined);
    const expected = await Promise.all(pageFaces.map((file) => cache.woff2(file, COMMON_CHARACTERS)));
    for (const dir of [sampleDir, everyElementDir]) {
      const faces = facesOf(artifact(expectBuilt(await build(dir, ['html'])), 'html').toString('utf8'));
      expect(faces.map((f, i) => f.equals(expected[i]!))).toEqual(pageFaces.map(() => true));
    }
  });

  it('hold the Polish and Vietnamese a page prints, the same bytes on every build', async () => {
    const words = 'Łódź, Gdańsk and Hà Nội: tiếng Việt';
    const { dir } = copyBrief(everyElementDir, (yaml) => yaml.replace(/^title: .*$/m, `title: ${JSON.stringify(`Trade with ${words}`)}`));
    const html = artifact(expectBuilt(await build(dir, ['html'])), 'html');
    const faces = facesOf(html.toString('utf8'));
    expect(faces).toHaveLength(6);
    for (const [i, face] of faces.entries()) {
      const font = fontkit.create(face) as fontkit.Font;
      for (const c of new Set(words.replace(/[ ,:]/g, ''))) expect(font.hasGlyphForCodePoint(c.codePointAt(0)!), `face ${i}: ${c}`).toBe(true);
    }
    expect(artifact(expectBuilt(await build(dir, ['html'])), 'html').equals(html)).toBe(true);
  });
});

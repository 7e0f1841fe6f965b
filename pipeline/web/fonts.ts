// The theme's faces embedded in the page as WOFF2 data, each cut down to a set of
// characters (subset-font: HarfBuzz's hb-subset and a WOFF2 encoder, both
// WebAssembly shipped inside the npm package, no network). Tinos and Arimo are
// under the Apache License 2.0, which allows embedding. A character none of them
// has (Japanese, Korean…) falls through to the reader's system fonts by the CSS
// font stack: the CJK fallbacks of the PDF are tens of megabytes, too heavy for a page.
//
// Encoding WOFF2 (Brotli at its highest quality) costs some 30 ms a face, six faces
// a page: more than the rest of a brief's build. So a page's faces are cut not to
// exactly what it prints but to one of two fixed sets (COMMON_CHARACTERS for nearly
// every English page, LATIN_CHARACTERS), or for a page that prints more the second
// and what more the face has; and a face cut to a set is made once per process and
// kept across runs in a file under node_modules/.cache/briefpress/web-fonts/.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { packageVersion, writeCacheFile } from '../core/cache-files.ts';
import { cacheDir } from '../core/paths.ts';
import type { Theme } from '../core/theme.ts';

export const SERIF_FAMILY = 'Briefpress Serif';
export const SANS_FAMILY = 'Briefpress Sans';

interface Face {
  readonly family: string;
  readonly file: string;
  readonly weight: 400 | 700;
  readonly style: 'normal' | 'italic';
}

function faces(theme: Theme): Face[] {
  const { serif, sans } = theme.fontFiles;
  return [
    { family: SERIF_FAMILY, file: serif.regular, weight: 400, style: 'normal' },
    { family: SERIF_FAMILY, file: serif.bold, weight: 700, style: 'normal' },
    { family: SERIF_FAMILY, file: serif.italic, weight: 400, style: 'italic' },
    { family: SERIF_FAMILY, file: serif.boldItalic, weight: 700, style: 'italic' },
    { family: SANS_FAMILY, file: sans.regular, weight: 400, style: 'normal' },
    { family: SANS_FAMILY, file: sans.bold, weight: 700, style: 'normal' },
  ];
}

const range = (first: number, last: number): string => String.fromCodePoint(...Array.from({ length: last - first + 1 }, (_, i) => first + i));

/** Sorted by code point: the same characters in any order give the same set, and the same cache key. */
const sortedSet = (characters: Iterable<string>): string => [...new Set(characters)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).join('');

/**
 * The set nearly every English page's faces are cut to, whatever it prints, so that
 * they are the same bytes, made once:
 * - printable ASCII: the print stylesheet writes links' addresses after them, and a
 *   reader's search box or a translation tool may show text the page did not print;
 * - what an English brief or the page itself sets beyond it: the no-break space, the
 *   product line's and the stylesheet's " · ", § for statutes, ° and ×, curly quotes
 *   ‘ ’ “ ” , the dashes – —, … and •, € and £, the minus sign − of negative numbers,
 *   and the thin and narrow no-break spaces some languages group digits with.
 * Each character costs some 75 bytes of WOFF2 a face, so it holds only these: over
 * the six faces cut to IF10199’s own characters, it adds about 4 KB (55 KB → 59 KB).
 */
export const COMMON_CHARACTERS = sortedSet([range(0x20, 0x7e), '\u00a0·§°×', '‘’“”–—…•€£−', '\u2009\u202f'].join(''));

/**
 * The set of a page that prints any other character of Latin-1 or of the wider
 * typographic punctuation: all of Latin-1 that prints (U+00A0–U+00FF but the soft
 * hyphen), for accented names (José, Müller, Québec) and signs (¶ © ± ½); hyphens
 * and dashes ‐ ‑ ‒ ―, quotes ‚ ‛ „ ‟ ‹ ›, † ‡ ‰ ′ ″ ⁄ ™, the figure and hair spaces.
 * One set for all of them, made once: its six faces are 85 KB, 26 KB more than with COMMON_CHARACTERS.
 */
export const LATIN_CHARACTERS = sortedSet(
  [COMMON_CHARACTERS, range(0xa0, 0xac), range(0xae, 0xff), range(0x2010, 0x2015), range(0x2018, 0x201f), '†‡‰′″‹›⁄™', '\u2007\u200a'].join(''),
);

const LATIN = new Set(LATIN_CHARACTERS);

/** The common set and control characters (the page's line breaks, never drawn with a glyph), as a pattern: ASCII by its range, the rest as they are. */
const COMMON_OR_CONTROL = new RegExp(`[\\x20-\\x7e${[...COMMON_CHARACTERS].filter((c) => c > '~').join('')}\\p{Cc}]+`, 'gu');

/** The characters of `text` outside the common set, once each. A pattern strips the rest: a page's text is tens of kilobytes, nearly all of it common. */
const uncommon = (text: string): string[] => [...new Set(text.replace(COMMON_OR_CONTROL, ''))];

/** Options given to subset-font; part of the cache key, so a change here makes new files. */
const SUBSET_OPTIONS = { targetFormat: 'woff2' } as const;

/**
 * The versions of the code that makes the bytes, for the cache key: subset-font
 * and what it runs (HarfBuzz's WebAssembly, the WOFF2 encoder), found from where
 * subset-font is installed as Node would find them.
 */
function subsetterVersions(): string {
  const fromHere = createRequire(import.meta.url);
  const subsetFont = fromHere.resolve('subset-font/package.json');
  const fromSubsetFont = createRequire(subsetFont);
  const fontverter = fromSubsetFont.resolve('fontverter/package.json');
  const packages: Array<[string, string]> = [
    ['subset-font', subsetFont],
    // harfbuzzjs exports no package.json: it is found from the file subset-font loads.
    ['harfbuzzjs', fromSubsetFont.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm')],
    ['fontverter', fontverter],
    ['wawoff2', createRequire(fontverter).resolve('wawoff2/package.json')],
  ];
  return packages
    .map(([name, file]) => {
      const version = packageVersion(file, name);
      if (version === undefined) throw new Error(`no version of ${name} above ${file}`);
      return `${name}@${version}`;
    })
    .join(' ');
}

/** A WOFF2 file whose header names the length it has: a cache file cut short or overwritten with anything else is not one. */
export function isWholeWoff2(bytes: Buffer): boolean {
  return bytes.length >= 48 && bytes.toString('latin1', 0, 4) === 'wOF2' && bytes.readUInt32BE(8) === bytes.length;
}

/**
 * Faces cut to a character set, as WOFF2: from memory, else from the cache folder,
 * else made by subset-font and written there. A folder that cannot be read or
 * written only means no cache; a file in it that is not a whole WOFF2 is made again.
 */
export class WebFontCache {
  private readonly made = new Map<string, Promise<Buffer>>();
  private readonly fontHashes = new Map<string, string>();
  private readonly coverage = new Map<string, fontkit.Font>();
  /** undefined: not looked up yet; null: not found (an unusual install), so no file cache. */
  private versions: string | null | undefined;

  /** `folder` undefined: memory only. */
  constructor(readonly folder: string | undefined) {}

  /**
   * The characters `file`'s face is cut to for a page that prints `text`: the first
   * of COMMON_CHARACTERS and LATIN_CHARACTERS that holds what it prints, or the latter
   * and whatever else of `text` the face has.
   */
  characters(file: string, text: string): string {
    const printed = uncommon(text);
    const beyond = printed.filter((c) => !LATIN.has(c));
    if (beyond.length > 0) {
      // A character the face lacks changes nothing in the subset, only its key: a Japanese page shares an English one's faces.
      let font = this.coverage.get(file);
      if (!font) {
        font = fontkit.create(fs.readFileSync(file)) as fontkit.Font;
        this.coverage.set(file, font);
      }
      const has = font;
      const kept = beyond.filter((c) => has.hasGlyphForCodePoint(c.codePointAt(0)!));
      if (kept.length > 0) return sortedSet([...LATIN_CHARACTERS, ...kept]);
    }
    return printed.some((c) => LATIN.has(c)) ? LATIN_CHARACTERS : COMMON_CHARACTERS;
  }

  /** `file`'s face cut to `characters`, as WOFF2 bytes: the same for the same font, characters and subsetter. */
  woff2(file: string, characters: string): Promise<Buffer> {
    const key = this.key(file, characters);
    let made = this.made.get(key);
    if (!made) {
      made = this.load(key, file, characters);
      // A long-lived process (--watch) meets few sets; a bound keeps one that meets many from growing.
      if (this.made.size >= 64) this.made.delete(this.made.keys().next().value!);
      this.made.set(key, made);
      made.catch(() => this.made.delete(key));
    }
    return made;
  }

  private key(file: string, characters: string): string {
    let fontHash = this.fontHashes.get(file);
    if (!fontHash) {
      fontHash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      this.fontHashes.set(file, fontHash);
    }
    if (this.versions === undefined) {
      try {
        this.versions = subsetterVersions();
      } catch {
        this.versions = null;
      }
    }
    return crypto.createHash('sha256').update(`${this.versions}\0${JSON.stringify(SUBSET_OPTIONS)}\0${fontHash}\0${characters}`).digest('hex');
  }

  private async load(key: string, file: string, characters: string): Promise<Buffer> {
    const cached = this.folder === undefined || this.versions === null ? undefined : path.join(this.folder, `${key}.woff2`);
    if (cached) {
      try {
        const bytes = fs.readFileSync(cached);
        if (isWholeWoff2(bytes)) return bytes;
      } catch {
        // Not made yet, or unreadable: make it.
      }
    }
    // Loaded only on a miss: its WebAssembly costs a cold build time that a cached face does not need.
    const { default: subsetFont } = await import('subset-font');
    const bytes = await subsetFont(fs.readFileSync(file), characters, SUBSET_OPTIONS);
    // A read-only install builds as well, only without the cache.
    if (cached) writeCacheFile(cached, bytes);
    return bytes;
  }
}

const shared = new WebFontCache(path.join(cacheDir, 'web-fonts'));

/** @font-face rules for the theme's faces, each cut to the characters `text` calls for (WebFontCache.characters): the same text gives the same bytes. */
export async function fontFaceCss(theme: Theme, text: string, cache: WebFontCache = shared): Promise<string> {
  const rules: string[] = [];
  const printed = uncommon(text).join('');
  for (const face of faces(theme)) {
    const woff2 = await cache.woff2(face.file, cache.characters(face.file, printed));
    rules.push(
      `@font-face{font-family:"${face.family}";font-weight:${face.weight};font-style:${face.style};font-display:swap;src:url(data:font/woff2;base64,${woff2.toString('base64')}) format("woff2")}`,
    );
  }
  return rules.join('\n');
}

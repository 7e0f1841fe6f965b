// The theme's faces embedded in the page as WOFF2 data, each cut down to the
// characters the page prints (subset-font: HarfBuzz's hb-subset and a WOFF2
// encoder, both WebAssembly shipped inside the npm package, no network). Tinos
// and Arimo are under the Apache License 2.0, which allows embedding. A
// character none of them has (Japanese, Korean…) falls through to the reader's
// system fonts by the CSS font stack: the CJK fallbacks of the PDF are tens of
// megabytes, too heavy for a page.
import fs from 'node:fs';
import subsetFont from 'subset-font';
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

/**
 * Printable ASCII always goes in: the print stylesheet writes links' addresses
 * after them, and a reader's search box or a translation tool may show text the
 * page did not print. It costs a few kilobytes a face.
 */
const ALWAYS = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');

/** @font-face rules for the theme's faces, subset to `text`: the same text gives the same bytes. */
export async function fontFaceCss(theme: Theme, text: string): Promise<string> {
  const characters = [...new Set(ALWAYS + text)].sort().join('');
  const rules: string[] = [];
  for (const face of faces(theme)) {
    const woff2 = await subsetFont(fs.readFileSync(face.file), characters, { targetFormat: 'woff2' });
    rules.push(
      `@font-face{font-family:"${face.family}";font-weight:${face.weight};font-style:${face.style};font-display:swap;src:url(data:font/woff2;base64,${woff2.toString('base64')}) format("woff2")}`,
    );
  }
  return rules.join('\n');
}

// What a first build would otherwise make in each of its batch workers at once: the
// theme's parsed form, each face's shape table (core/fastshape.ts) and its web fonts
// cut to the common characters (web/fonts.ts), all kept under
// node_modules/.cache/briefpress/. `npm ci` and `npm install` make them, once and in
// one thread, through the package's postinstall script (pipeline/launch.mjs
// --briefpress-prepare). Left to the first build, a batch's two workers each made
// them for their first briefs and kept the font tables and HarfBuzz's WebAssembly
// memory for the rest of the run: a CI job that runs `npm ci` and then builds 100
// briefs took 7.4-7.8 s and peaked at 506 MB.
import { FontBook } from '../core/fonts.ts';
import { loadTheme } from '../core/theme.ts';
import { fontFaceCss } from '../web/fonts.ts';

export async function prepareCaches(): Promise<void> {
  const theme = loadTheme();
  new FontBook(theme).loadFaces();
  // The web edition's faces for the characters nearly every English page prints (web/fonts.ts: COMMON_CHARACTERS).
  await fontFaceCss(theme, '');
}

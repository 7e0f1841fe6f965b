// node-canvas keeps the fonts registered with it (registerFont) in one list for the
// whole process, which registering changes without a lock while text drawn on any
// thread reads it, and it tells only the registering thread's Pango to look again.
// A batch's workers are threads of one process (run/pool.ts): the CLI's thread
// registers the theme's fonts for all of them before they draw, and they register
// none. A build in the CLI's own thread (a single brief, --jobs 1, a --watch rebuild
// of one brief) registers as it goes, as before.
import fs from 'node:fs';
import { isMainThread, workerData } from 'node:worker_threads';
import * as fontkit from 'fontkit';
import { BriefpressError, ErrorCode } from './diagnostics.ts';
import type { Theme } from './theme.ts';

/** The family Chart.js draws in: the body's serif, registered under one name together with the fallback fonts. */
export const CHART_FONT_FAMILY = 'Briefpress Chart';

/** What run/pool.ts gives a worker thread whose fonts the CLI's thread registered. */
export interface CanvasFontsWorkerData {
  readonly canvasFontsRegistered: true;
}

/** False in a batch's worker thread, whose fonts the CLI's thread registered; true elsewhere. */
export function mayRegisterCanvasFonts(): boolean {
  return isMainThread || (workerData as Partial<CanvasFontsWorkerData> | undefined)?.canvasFontsRegistered !== true;
}

/**
 * The font-family lists an SVG's text is drawn in: the theme's sans or serif, then
 * its fallback fonts (Japanese, Korean), by the family names their files carry, so
 * that librsvg (through fontconfig) finds a glyph the theme's face lacks in the
 * theme's fallback fonts before any font of the system.
 */
export interface SvgFamilies {
  readonly sans: string;
  readonly serif: string;
}

/** The family name in a font file, as fontconfig reads it; memoized, as the CJK files are large. */
const familyNames = new Map<string, string>();
function familyName(file: string): string {
  let name = familyNames.get(file);
  if (name === undefined) {
    name = (fontkit.create(fs.readFileSync(file)) as fontkit.Font).familyName;
    // Written unquoted into the SVG's attributes and style sheets (quotes would end an attribute, an entity would stay literal in CDATA).
    if (!/^[A-Za-z][A-Za-z0-9 -]*$/.test(name)) throw new BriefpressError(ErrorCode.internal, `font ${file}: its family name "${name}" cannot be written unquoted in an SVG's font-family`);
    familyNames.set(file, name);
  }
  return name;
}

/** A node-canvas registerFont, or a stand-in for it (a test that records the calls). */
type RegisterFont = (file: string, options: { family: string; weight?: string }) => void;

/**
 * The fonts Chart.js draws in, under CHART_FONT_FAMILY: the theme's serif, and, for
 * labels in Japanese or Korean, the theme's fallback fonts, so that those find their
 * glyphs there rather than in whatever the system has.
 */
export function registerChartFonts(theme: Theme, registerFont: RegisterFont, withFallback: boolean): void {
  const { serif, fallback } = theme.fontFiles;
  registerFont(serif.regular, { family: CHART_FONT_FAMILY });
  registerFont(serif.bold, { family: CHART_FONT_FAMILY, weight: 'bold' });
  if (withFallback) for (const f of fallback) registerFont(f.regular, { family: CHART_FONT_FAMILY });
}

/**
 * Registers the theme's sans, serif and fallback fonts with node-canvas (which adds
 * them to fontconfig, where librsvg finds them) and returns the families to name.
 * node-canvas keeps one family name per font file, for its own canvas text, and
 * registering a file again renames it: the serif and the fallback fonts the chart
 * stage registers for Chart.js are registered under its family name, so that a
 * chart drawn after a deck in the same process still finds them. The chart stage's
 * fonts are all among these, so the CLI's thread registers these for a batch's workers.
 */
export function registerThemeFonts(theme: Theme, registerFont: RegisterFont): SvgFamilies {
  const { sans, serif, fallback } = theme.fontFiles;
  const bold = { weight: 'bold' };
  registerFont(sans.regular, { family: familyName(sans.regular) });
  registerFont(sans.bold, { family: familyName(sans.bold), ...bold });
  registerChartFonts(theme, registerFont, true);
  for (const f of fallback) registerFont(f.bold, { family: familyName(f.bold), ...bold });
  const fallbacks = fallback.map((f) => familyName(f.regular));
  const list = (face: string) => [familyName(face), ...fallbacks].filter((name, i, all) => all.indexOf(name) === i).join(', ');
  return { sans: list(sans.regular), serif: list(serif.regular) };
}

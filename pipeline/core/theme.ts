// The brand theme (templates/theme.yaml): validated once, font files resolved to
// npm package paths, then frozen so no stage can change it mid-run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { writeCacheFile } from './cache-files.ts';
import { BriefpressError, ErrorCode } from './diagnostics.ts';
import { cacheDir, templatesDir } from './paths.ts';
import { COLOR_PATTERN } from './text.ts';

const faceSchema = () => z.strictObject({ regular: z.string(), bold: z.string(), italic: z.string(), boldItalic: z.string() });

/**
 * Built on first use: a build whose theme is cached (see loadTheme) never constructs it.
 * Everything the schema is made of is inside this function, whose source text keys that cache.
 */
function makeThemeSchema() {
  const color = z.string().regex(COLOR_PATTERN, 'expected a color written as #RRGGBB');
  const face = faceSchema();
  const box = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);
  const n = z.number().nonnegative();
  return z.strictObject({
  name: z.string(),
  colors: z.strictObject({
    brand: color,
    brandLight: color,
    boxFill: color,
    accent: color,
    text: color,
    muted: color,
    rule: color,
    link: color,
    chartSeries: z.array(color).min(1),
    chartGrid: color,
  }),
  fonts: z.strictObject({
    serif: face,
    sans: face,
    deck: face,
    fallback: z.array(z.strictObject({ regular: z.string(), bold: z.string() })).default([]),
    deckFontName: z.string().min(1),
  }),
  series: z.record(z.string(), z.strictObject({ bodyPages: z.number().int().min(1) })).default({}),
  // Points for lengths; a lineHeight is × its font size; a share or ruleAt is a fraction, 0–1.
  pdf: z.strictObject({
    page: box({ width: n, height: n }),
    margin: box({ top: n, right: n, bottom: n, left: n }),
    columnGap: n,
    lines: box({ ascentScale: n, maxSpaceStretch: n, linkDescent: n }),
    justification: box({
      stretch: n,
      shrink: z.number().nonnegative().max(0.5),
      expansion: z.number().nonnegative().max(0.05),
      tracking: z.number().nonnegative().max(0.05),
      tolerance: z.number().positive(),
      emergencySpace: z.number().min(1),
      linePenalty: n,
      hyphenPenalty: n,
      doubleHyphenDemerits: n,
      finalHyphenDemerits: n,
      fitnessDemerits: n,
      maxConsecutiveHyphens: z.number().int().min(0),
      hyphenMinBefore: z.number().int().min(1),
      hyphenMinAfter: z.number().int().min(1),
    }),
    body: box({ size: n, leading: n, paragraphGap: n, orphans: z.number().int().min(1), widows: z.number().int().min(1) }),
    heading: box({ size: n, leading: n, spaceBefore: n, spaceAfter: n }),
    subheading: box({ size: n, leading: n, spaceBefore: n, spaceAfter: n }),
    superscript: box({ scale: z.number().positive().max(1), rise: n }),
    bullet: box({ indent: n, glyph: z.string().min(1), itemSpacing: n }),
    masthead: box({
      height: n,
      padding: n,
      textTop: n,
      textColor: color,
      wordmarkSize: n,
      wordmarkLineHeight: n,
      wordmarkShare: n.max(1),
      taglineSize: n,
      taglineLineHeight: n,
      taglineTop: n,
      seriesSize: n,
      seriesLineHeight: n,
      seriesShare: n.max(1),
    }),
    dateLine: box({ size: n, lineHeight: n, spaceBefore: n }),
    title: box({ size: n, leading: n, spaceBefore: n, spaceAfter: n, ruleAt: n.max(1), ruleWeight: n }),
    runningHeader: box({ size: n, lineHeight: n, height: n, ruleBelow: n, ruleWeight: n }),
    footer: box({ size: n, lineHeight: n, height: n, ruleAbove: n, ruleWeight: n }),
    figure: box({
      captionSize: n,
      captionLineHeight: n,
      subtitleSize: n,
      subtitleLineHeight: n,
      sourceSize: n,
      sourceLineHeight: n,
      chartHeight: n,
      chartSpaceAbove: n,
      chartSpaceBelow: n,
      minDrawingHeight: z.number().positive(),
      spaceBefore: n,
      spaceAfter: n,
      apparatusGap: n,
      minImageDpi: n,
    }),
    table: box({
      size: n,
      leading: n,
      cellPaddingX: n,
      cellPaddingY: n,
      captionSpaceBelow: n,
      apparatusSpaceAbove: n,
      outerRuleWeight: n,
      innerRuleWeight: n,
      spaceBefore: n,
      spaceAfter: n,
    }),
    textbox: box({
      padding: n,
      ruleWeight: n,
      titleSize: n,
      titleLeading: n,
      titleSpaceAfter: n,
      sourceSpaceAbove: n,
      spaceBefore: n,
      spaceAfter: n,
    }),
    authors: box({ size: n, leading: n, spaceBefore: n, productCodeSpaceBefore: n }),
    disclaimer: box({ headingSize: n, headingLineHeight: n, headingSpaceAfter: n, size: n, leading: n, ruleAbove: n, ruleWeight: n }),
  }),
  chart: z.strictObject({
    fontSize: n,
    barThickness: z.number().min(0.1).max(1),
    lineWidth: z.number().positive(),
    legendHeight: n,
    layout: box({
      legendKey: n,
      lineKey: n,
      maxTicks: z.number().int().min(2),
      tickSpacing: n,
      labelGap: n,
      rightGutter: box({ labelled: n, horizontal: n, vertical: n }),
      topRoom: box({ labelled: n, vertical: n, referenceLine: n }),
      annotationLabelGap: n,
      lineSeriesWidth: n,
      pointRadius: n,
      barShare: z.number().min(0.1).max(1),
      sliceBorder: n,
      labelGrace: z.number().min(0).max(1),
      labelChars: z.number().int().min(4),
      labelLine: z.number().int().min(8),
      labelLines: z.number().int().min(1),
      plotShare: z.number().min(0.1).max(0.9),
    }),
    annotation: box({ band: color, line: color, label: color, lineWidth: z.number().positive(), dash: z.array(z.number().positive()).min(1).max(6) }),
  }),
  // Inches for lengths, points for font sizes, letter spacing and line weights (see theme.yaml).
  deck: z.strictObject({
    width: n,
    height: n,
    content: box({ marginX: n, brandBarHeight: n, title: box({ y: n, height: n, size: n }), kicker: box({ y: n, height: n, size: n }), bodyTop: n, bodyGap: n }),
    text: box({
      body: box({ size: n, minSize: n }),
      minTitleSize: n,
      inset: n,
      bulletIndent: n,
      lineHeight: z.number().positive(),
      paragraphSpaceAfter: n,
      substituteWidth: box({ regular: z.number().min(1), bold: z.number().min(1) }),
    }),
    points: box({ bulletWords: n, slideBullets: n, slideWords: n, wordsPerPoint: n }),
    footer: box({ y: n, height: n, size: n, textWidth: n, wordmarkClearance: n, slideNumberWidth: n, ruleAbove: n, ruleWeight: n }),
    titleSlide: box({
      seriesLabel: box({ y: n, height: n, size: n, letterSpacing: n }),
      title: box({ y: n, height: n, size: n }),
      subtitle: box({ y: n, height: n, size: n, minSize: n }),
      accentRule: box({ y: n, height: n }),
      authors: box({ y: n, height: n, size: n, minSize: n }),
    }),
    disclaimer: box({ size: n, minSize: n }),
    figure: box({ subtitle: box({ y: n, height: n, size: n }), chart: box({ y: n, height: n, indent: n }), source: box({ y: n, height: n, size: n }) }),
    chart: box({ categoryLabelSize: n, labelSize: n, gridWeight: n, barGapWidthPct: z.number().int().min(0).max(500), maxDataLabels: z.number().int().nonnegative(), lineWeight: n, markerSize: z.number().int().min(2).max(72) }),
    table: box({
      size: n,
      minSize: n,
      cellMarginX: n,
      cellMarginY: n,
      minColumnWidth: n,
      headerRuleWeight: n,
      rowRuleWeight: n,
      totalRuleWeight: n,
      apparatusGap: n,
      apparatusSize: n,
      apparatusSpaceAfter: n,
    }),
    image: box({ fallbackDpi: z.number().int().min(72).max(600) }),
  }),
});
}

let themeSchema: ReturnType<typeof makeThemeSchema> | undefined;

export type FaceName = 'serif' | 'sans' | 'deck';
export const FACES: readonly FaceName[] = ['serif', 'sans', 'deck'];
export const WEIGHTS: readonly Weight[] = ['regular', 'bold', 'italic', 'boldItalic'];
export type Weight = 'regular' | 'bold' | 'italic' | 'boldItalic';
export type Theme = Readonly<z.infer<ReturnType<typeof makeThemeSchema>>> & {
  /** Absolute font file paths, same layout as `fonts.serif` / `fonts.sans` / `fonts.fallback`. */
  readonly fontFiles: Readonly<Record<FaceName, Readonly<Record<Weight, string>>>> & {
    readonly fallback: ReadonlyArray<Readonly<{ regular: string; bold: string }>>;
  };
};

const require = createRequire(import.meta.url);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

type ThemeData = z.infer<ReturnType<typeof makeThemeSchema>>;

/** Parses and validates theme.yaml: every problem is the project's, so the first one stops the build. */
function parseTheme(file: string, text: string): ThemeData {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new BriefpressError(ErrorCode.internal, `theme ${file}: ${document.errors[0]!.message}`);
  }
  themeSchema ??= makeThemeSchema();
  const parsed = themeSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BriefpressError(ErrorCode.internal, `theme ${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * The validated theme, from a cache keyed by the theme file's text and the schema's
 * source: parsing the YAML and building the schema cost
 * a cold build some 25 ms, and the theme changes far less often than briefs are built.
 * A theme that fails validation is never cached.
 */
function validatedTheme(file: string): ThemeData {
  const text = fs.readFileSync(file, 'utf8');
  // The schema's own source and zod's version, not this file's bytes: the launcher
  // runs a bundle of every module, which would cost a hash of megabytes a run.
  const schema = `${makeThemeSchema.toString()}\0${faceSchema.toString()}\0${COLOR_PATTERN.source}\0${JSON.stringify(z.core.version)}`;
  const key = crypto.createHash('sha1').update(text).update('\0').update(schema).digest('hex');
  const cached = path.join(cacheDir, `theme-${key}.json`);
  try {
    return JSON.parse(fs.readFileSync(cached, 'utf8')) as ThemeData;
  } catch {
    // Not cached yet, or unreadable: parse it.
  }
  const data = parseTheme(file, text);
  writeCacheFile(cached, JSON.stringify(data));
  return data;
}

export function loadTheme(file = path.join(templatesDir, 'theme.yaml')): Theme {
  const data = validatedTheme(file);
  const resolveFile = (spec: string) => {
    try {
      return require.resolve(spec);
    } catch (cause) {
      throw new BriefpressError(ErrorCode.internal, `theme ${file}: font "${spec}" is not installed (npm ci)`, { cause });
    }
  };
  const resolveFace = (f: z.infer<ReturnType<typeof faceSchema>>) => {
    const out = {} as Record<Weight, string>;
    for (const weight of WEIGHTS) out[weight] = resolveFile(f[weight]);
    return out;
  };
  return deepFreeze({
    ...data,
    fontFiles: {
      serif: resolveFace(data.fonts.serif),
      sans: resolveFace(data.fonts.sans),
      deck: resolveFace(data.fonts.deck),
      fallback: data.fonts.fallback.map((f) => ({ regular: resolveFile(f.regular), bold: resolveFile(f.bold) })),
    },
  });
}

let cached: Theme | undefined;
/** The project's theme, loaded once per process. */
export function defaultTheme(): Theme {
  cached ??= loadTheme();
  return cached;
}

// Stage 3: each figure's chart rendered with Chart.js on a server-side canvas, as
// SVG, sized in points to fit one column of the PDF. The same resolved spec
// (categories, series, colors, number format) feeds the deck's native chart.
import type { ChartConfiguration, Plugin, Scale } from 'chart.js';
import type { ChartJSNodeCanvas } from 'chartjs-node-canvas';

/** What a reusable SVG surface needs: a Chart.js constructor and a canvas to draw on. */
interface SvgChartSurface {
  /** The SVG, and when `previewScale` is given the same drawing in pixels at that many per point. */
  render(configuration: ChartConfiguration, previewScale?: number): { svg: string; preview?: ChartPreview };
  registerFont(path: string, options: { family: string; weight?: string }): void;
}
import type { Annotation, ChartSpec, NumberFormat } from '../input/schema.ts';
import { CHART_FONT_FAMILY, mayRegisterCanvasFonts, registerChartFonts } from '../core/canvas-fonts.ts';
import { RecentlyUsed } from '../core/recent.ts';
import type { Theme } from '../core/theme.ts';
import type { FigureData } from '../validate/validate.ts';

export type { NumberFormat };

/**
 * A chart's number format with the scale its labels are written at: values of a
 * quadrillion print as "1,000T", not as 21 characters that run over the category
 * names. `thousands` is how many times the value is divided by 1,000; `unit` is the
 * letter that says so. The deck writes the same scale as an Excel format (one
 * trailing comma per thousand), so both show the same labels.
 */
export interface ChartNumberFormat extends NumberFormat {
  readonly thousands?: number;
  readonly unit?: string;
}

/** K, M, B, T: the short scale most readers of an English brief know; the unit letters are the same in the deck. */
const SCALE_UNITS = ['', 'K', 'M', 'B', 'T'] as const;

/** The fewest thousands to divide by so that the longest label of these values fits `maxChars`. */
export function chartNumberFormat(format: NumberFormat, values: readonly number[], language: string, maxChars: number): ChartNumberFormat {
  const largest = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  for (let thousands = 0; thousands < SCALE_UNITS.length; thousands++) {
    const scaled: ChartNumberFormat = thousands === 0 ? format : { ...format, thousands, unit: SCALE_UNITS[thousands] };
    if (formatNumber(-largest, scaled, language).length <= maxChars || thousands === SCALE_UNITS.length - 1) return scaled;
  }
  return format;
}

export interface ChartArtifact {
  readonly figureId: string;
  readonly type: 'bar' | 'line' | 'pie';
  readonly orientation: 'horizontal' | 'vertical';
  readonly categories: readonly string[];
  /** Bars of several series stacked rather than side by side. */
  readonly stacked: boolean;
  /** `type: 'line'` on a bar chart: that series is drawn as a line (a combination chart). */
  readonly series: ReadonlyArray<{ readonly label: string; readonly values: readonly number[]; readonly color: string; readonly type?: 'bar' | 'line' }>;
  /** Reference lines (value) and shaded category ranges (from, to). */
  readonly annotations: readonly Annotation[];
  readonly axisTitle?: string;
  readonly numberFormat: ChartNumberFormat;
  /** The brief's language tag, for number formatting. */
  readonly language: string;
  /** SVG document, vector; sized widthPt × heightPt (1 SVG unit = 1 pt). */
  readonly svg: string;
  readonly widthPt: number;
  readonly heightPt: number;
  /** The chart in pixels, for the catalog's thumbnail (when the renderer was asked for one). */
  readonly preview?: ChartPreview;
}

/**
 * The chart's drawing replayed by cairo into pixels as Chart.js finishes it, before
 * the SVG is written: the thumbnail scales this into its box, where librsvg would parse
 * the whole SVG again to draw it (~4 ms a brief against ~0.4 ms a chart).
 */
export interface ChartPreview {
  /** Straight (not premultiplied) RGBA, transparent where the chart draws nothing. */
  readonly rgba: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** `language` is the brief's language tag: its digit grouping and decimal mark ("711.7" in English, "711,7" in French). */
export function formatNumber(value: number, format: ChartNumberFormat, language: string): string {
  // The language's grouping and decimal mark, in the digits the bundled fonts have: a
  // language whose own digits they lack (Bengali, Persian…) gets 0–9 rather than blank boxes.
  const scaled = format.thousands ? Math.abs(value) / 1000 ** format.thousands : Math.abs(value);
  const body = numberFormat(language, format.decimals).format(scaled);
  // A value that rounds to zero prints without a sign ("0", not "−0").
  const negative = value < 0 && /[1-9]/.test(body);
  // Zero is zero at any scale: "0", not "0T".
  const unit = /[1-9]/.test(body) ? (format.unit ?? '') : '';
  return `${negative ? '−' : ''}${format.prefix}${body}${unit}${format.suffix}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * The formatter of a language at a number of decimals, made once: toLocaleString
 * makes one for every number, and a chart's labels or a web page's data tables
 * format hundreds alike (some 0.8 ms of a page's 2 ms). The same output: toLocaleString is this formatter's format.
 */
function numberFormat(language: string, decimals: number): Intl.NumberFormat {
  const key = `${language}\0${decimals}`;
  let made = numberFormats.get(key);
  if (!made) {
    made = new Intl.NumberFormat(latinDigits(language), { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    numberFormats.set(key, made);
  }
  return made;
}

/** The language tag with Latin digits asked for (Unicode extension `nu-latn`). */
function latinDigits(language: string): string {
  try {
    return Intl.getCanonicalLocales(`${language}-u-nu-latn`)[0]!;
  } catch {
    return language;
  }
}

export function wrapLabel(label: string, layout: { readonly labelLine: number; readonly labelLines: number }): string | string[] {
  const { labelLine: LABEL_LINE, labelLines: LABEL_LINES } = layout;
  if (label.length <= LABEL_LINE) return label;
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(/\s+/)) {
    if (line && (line + ' ' + word).length > LABEL_LINE) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  const kept = lines.slice(0, LABEL_LINES).map((l) => (l.length > LABEL_LINE ? `${l.slice(0, LABEL_LINE - 1)}…` : l));
  if (lines.length > LABEL_LINES) kept[LABEL_LINES - 1] = `${kept[LABEL_LINES - 1]!.slice(0, LABEL_LINE - 1).replace(/…$/, '')}…`;
  return kept;
}

/** Width of a line of text in the chart's tick font, in points. */
type Measure = (text: string) => number;

const BREAK = /[\s,;:–—-]/u;

/**
 * `text` cut to fit `width`, ending in "…" (at a word's end when that keeps at least half), or
 * as it is if it fits. A label is shortened rather than left to run over the plot: the reader
 * still sees where it starts, and "…" says that it goes on.
 */
export function shortenToWidth(text: string, width: number, measure: Measure): string {
  if (measure(text) <= width) return text;
  let kept = text;
  while (kept.length > 0 && measure(`${kept.trimEnd()}…`) > width) kept = kept.slice(0, -1);
  const atWord = BREAK.test(text.charAt(kept.length)) ? kept : kept.replace(/[\s,;:–—-]+[^\s,;:–—-]*$/u, '');
  const cut = atWord.length >= kept.length / 2 ? atWord : kept;
  return `${cut.replace(/[\s,;:–—-]+$/u, '')}…`;
}

/**
 * A category label set on at most `maxLines` lines, each at most `width` wide, broken between
 * words; what does not fit is left out, and the last line shown ends in "…". One line comes
 * back as a string, several as an array (Chart.js draws an array as stacked lines).
 */
export function fitLabel(label: string, width: number, maxLines: number, measure: Measure): string | string[] {
  const words = label.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  let next = 0;
  for (; next < words.length; next++) {
    const candidate = line ? `${line} ${words[next]}` : words[next]!;
    if (measure(candidate) <= width) {
      line = candidate;
      continue;
    }
    // A word wider than a whole line is cut below, with "…".
    if (!line) break;
    lines.push(line);
    line = '';
    if (lines.length === maxLines) break;
    next--; // the word starts the next line
  }
  if (next < words.length) {
    // Something is left out: the last line shown takes what follows and is cut, so it ends in "…".
    const shown = lines.length === maxLines ? lines.pop()! : '';
    lines.push(shortenToWidth([shown, ...words.slice(next)].filter(Boolean).join(' '), width, measure));
  } else if (line) lines.push(line);
  return lines.length > 1 ? lines : (lines[0] ?? '');
}

/** Column width of the PDF body, which every chart is drawn to fit. */
export function columnWidth(theme: Theme): number {
  const { page, margin, columnGap } = theme.pdf;
  return (page.width - margin.left - margin.right - columnGap) / 2;
}

/**
 * One renderer per chart size, created lazily: Chart.js and canvas are the
 * slowest modules to load, and every ChartJSNodeCanvas instance holds memory.
 */
export class ChartRenderer {
  private readonly canvases = new Map<string, SvgChartSurface>();
  private Surface?: new (width: number, height: number) => SvgChartSurface;

  constructor(
    private readonly theme: Theme,
    /** Told of every font file registered with the canvas (tests check that only the theme's are). */
    private readonly onFontRegistered?: (file: string, options: { family: string; weight?: string }) => void,
    /** Pixels per point of each chart's preview; none made when undefined. */
    private readonly previewScale?: number,
  ) {}

  private async canvasFor(width: number, height: number): Promise<SvgChartSurface> {
    const key = `${width}x${height}`;
    let canvas = this.canvases.get(key);
    if (!canvas) {
      this.Surface ??= reusableSurface((await import('chartjs-node-canvas')).ChartJSNodeCanvas);
      const surface = new this.Surface(width, height);
      canvas = surface;
      const register = (file: string, options: { family: string; weight?: string }) => {
        surface.registerFont(file, options);
        this.onFontRegistered?.(file, options);
      };
      // A batch's worker thread registers none: the CLI's thread registered them all (core/canvas-fonts.ts).
      if (mayRegisterCanvasFonts()) registerChartFonts(this.theme, register, this.needsFallback);
      this.canvases.set(key, canvas);
    }
    return canvas;
  }

  /** Set once a chart's labels need a fallback font; registering the large CJK fonts costs time, so only then. */
  private needsFallback = false;

  /** `language` is the brief's: numbers on the chart are written the way its readers write them. */
  /** Every chart figure of a brief, by figure id, drawn one after another (one canvas, so in order). */
  async renderFigures(figures: ReadonlyArray<{ readonly id: string; readonly chart?: ChartSpec }>, figureData: ReadonlyMap<string, FigureData>, language: string): Promise<Map<string, ChartArtifact>> {
    const out = new Map<string, ChartArtifact>();
    for (const figure of figures) if (figure.chart) out.set(figure.id, await this.render(figure.id, figure.chart, figureData.get(figure.id)!, language));
    return out;
  }

  async render(figureId: string, chart: ChartSpec, data: FigureData, language: string): Promise<ChartArtifact> {
    const theme = this.theme;
    const labels = [...data.categories, ...data.series.map((s) => s.label), chart.axisTitle ?? '', ...chart.annotations.map((a) => a.label)].join(' ');
    if (!this.needsFallback && /[^\u0000-\u024F\u2000-\u206F\u20A0-\u20CF]/u.test(labels)) {
      this.needsFallback = true;
      this.canvases.clear();
    }
    const widthPt = Math.round(columnWidth(theme));
    // A legend under the plot takes room of its own rather than squeezing the plot.
    const legend = chart.type !== 'pie' && data.series.length > 1;
    const heightPt = theme.pdf.figure.chartHeight + (legend ? theme.chart.legendHeight : 0);
    const palette = theme.colors.chartSeries;
    const series = data.series.map((s, i) => ({ label: s.label, values: s.values, color: s.color ?? palette[i % palette.length]!, ...(s.type ? { type: s.type } : {}) }));
    const artifact: ArtifactSpec = {
      figureId,
      type: chart.type,
      orientation: chart.orientation,
      stacked: chart.stacked,
      categories: data.categories,
      series,
      ...(chart.axisTitle ? { axisTitle: chart.axisTitle } : {}),
      numberFormat: chartNumberFormat(chart.numberFormat, series.flatMap((s) => s.values), language, theme.chart.layout.labelChars),
      annotations: chart.annotations,
      language,
      widthPt,
      heightPt,
    };
    // A chart drawn before with the same spec, data and fonts is the same SVG: --watch
    // rebuilds a brief after every edit of its text, and its charts rarely change.
    const key = `${this.needsFallback}\u0000${JSON.stringify(artifact)}`;
    let drawn = this.drawn.get(key);
    if (drawn === undefined) {
      const canvas = await this.canvasFor(widthPt, heightPt);
      drawn = canvas.render(chartConfiguration(artifact, theme), this.previewScale);
      this.drawn.set(key, drawn);
    }
    return { ...artifact, svg: drawn.svg, ...(drawn.preview ? { preview: drawn.preview } : {}) };
  }

  /** Charts kept for a rebuild: the last few only, as a batch draws every chart once. */
  private readonly drawn = new RecentlyUsed<string, { svg: string; preview?: ChartPreview }>(16);
}

/**
 * Text as glyphs, not as outlines: cairo's SVG surface then writes each glyph's
 * outline once, as a <symbol>, and each letter as a <use> of it, where a path drawn
 * text wrote every letter's curves again. Chart SVGs 59% smaller (890 -> 369 kB for
 * the charts of the samples and three synthetic briefs), and everything that reads
 * them reads less: the PDF draws each glyph as a form (pdf/chartsvg.ts), the web page
 * inlines the SVG, the thumbnail rasterizes it. The same outlines at the same places.
 * Set before each draw: Chart.js sizes the canvas as it starts, which resets the
 * context's state.
 */
const TEXT_AS_GLYPHS: Plugin = {
  id: 'briefpressTextAsGlyphs',
  beforeDraw: (chart) => {
    (chart.ctx as unknown as { textDrawingMode: 'glyph' | 'path' }).textDrawingMode = 'glyph';
  },
};

/**
 * chartjs-node-canvas with one canvas per size, reused: it creates a new canvas for
 * every chart, and node-canvas keeps native memory (cairo, pango) of each canvas
 * that has drawn text, so a thousand charts grew the process by ~90 MB. Setting
 * the width gives the same canvas a fresh SVG surface; memory stays flat.
 */
function reusableSurface(Base: typeof ChartJSNodeCanvas): new (width: number, height: number) => SvgChartSurface {
  return class extends Base implements SvgChartSurface {
    private surface?: ReturnType<ChartJSNodeCanvas['_createCanvas']>;

    constructor(width: number, height: number) {
      super({ type: 'svg', width, height });
    }

    render(configuration: ChartConfiguration, previewScale?: number): { svg: string; preview?: ChartPreview } {
      this.surface ??= this._createCanvas(this._width, this._height, 'svg');
      this.surface.width = this._width; // a new, empty SVG surface on the same canvas
      const chart = new this._chartJs(this.surface.getContext('2d') as unknown as CanvasRenderingContext2D, { ...configuration, plugins: [...(configuration.plugins ?? []), TEXT_AS_GLYPHS] });
      try {
        // Replayed before toBuffer, which finishes the SVG surface: after that it draws nothing.
        const preview = previewScale === undefined ? undefined : this.replay(previewScale);
        const svg = this.surface.toBuffer('image/svg+xml' as never).toString('utf8');
        return { svg, ...(preview ? { preview } : {}) };
      } finally {
        chart.destroy();
      }
    }

    private replay(scale: number): ChartPreview {
      const width = Math.max(1, Math.ceil(this._width * scale));
      const height = Math.max(1, Math.ceil(this._height * scale));
      this.pixels = this.pixels?.width === width && this.pixels.height === height ? this.pixels : this._createCanvas(width, height);
      const context = this.pixels.getContext('2d');
      context.clearRect(0, 0, width, height);
      context.drawImage(this.surface as never, 0, 0, width, height);
      return { rgba: context.getImageData(0, 0, width, height).data, width, height };
    }

    private pixels?: ReturnType<ChartJSNodeCanvas['_createCanvas']>;
  };
}

type ArtifactSpec = Omit<ChartArtifact, 'svg'>;

/** Chart.js configuration for a spec; pure, so tests can inspect it without a canvas. */
export function chartConfiguration(spec: ArtifactSpec, theme: Theme): ChartConfiguration {
  const font = { family: CHART_FONT_FAMILY, size: theme.chart.fontSize };
  const layout = theme.chart.layout;
  const text = theme.colors.text;
  const format = (v: number) => formatNumber(v, spec.numberFormat, spec.language);
  const horizontal = spec.orientation === 'horizontal';
  const multi = spec.series.length > 1;

  if (spec.type === 'pie') {
    const palette = theme.colors.chartSeries;
    return {
      type: 'pie',
      data: {
        labels: [...spec.categories],
        datasets: spec.series.map((s) => ({
          label: s.label,
          data: [...s.values],
          backgroundColor: spec.categories.map((_, i) => palette[i % palette.length]!),
          borderColor: '#FFFFFF',
          borderWidth: layout.sliceBorder,
        })),
      },
      options: {
        locale: spec.language,
        animation: false,
        responsive: false,
        devicePixelRatio: 1,
        plugins: {
          legend: { display: true, position: 'right', labels: { font, color: text, boxWidth: layout.legendKey } },
          tooltip: { enabled: false },
        },
      },
    };
  }

  const combination = spec.type === 'bar' && spec.series.some((s) => s.type === 'line');
  const negative = spec.series.some((s) => s.values.some((v) => v < 0));
  const references = spec.annotations.flatMap((a) => (a.value === undefined ? [] : [a.value]));
  const bandLabels = spec.annotations.flatMap((a) => (a.from === undefined ? [] : [a.label]));
  const labelled = showsValueLabels(spec);
  // Stacking is for bars; stacked lines would draw running totals that read as the series' own values.
  const stacked = spec.stacked && spec.type === 'bar';
  const valueAxis = {
    beginAtZero: true,
    // A reference line outside the data's range would be drawn off the plot.
    ...(references.length > 0 ? { suggestedMin: Math.min(...references), suggestedMax: Math.max(...references) } : {}),
    ...(stacked ? { stacked: true } : {}),
    grid: {
      // With negative values zero is inside the plot, not on the category axis, so it gets the axis's rule.
      color: negative ? (context: { tick?: { value: number } }) => (context.tick?.value === 0 ? theme.colors.rule : theme.colors.chartGrid) : theme.colors.chartGrid,
    },
    border: { display: false },
    // Labels at the ends of the bars need room inside the plot, past the longest bar either way.
    ...(labelled && negative ? { grace: `${Math.round(layout.labelGrace * 1000) / 10}%` } : {}),
    ticks: {
      font,
      color: text,
      maxTicksLimit: layout.maxTicks,
      // Steps in the figure's own precision: with no decimals, 0, 1, 2 rather than 0, 0.5, 1 printed "0, 1, 1".
      precision: spec.numberFormat.decimals,
      // Round ticks print without decimals ("200", not "200.0"); the bars' own labels keep them.
      callback: (v: number | string) => formatNumber(Number(v), Number.isInteger(Number(v)) ? { ...spec.numberFormat, decimals: 0 } : spec.numberFormat, spec.language),
    },
    ...(spec.axisTitle ? { title: { display: true, text: spec.axisTitle, font, color: text } } : {}),
  };
  // A horizontal chart keeps a gutter right of the plot for the bars' value labels; a shaded
  // range's label goes beyond it (see annotationPlugin), so the padding grows by the widest one.
  const gutter = horizontal ? (labelled ? layout.rightGutter.labelled : layout.rightGutter.horizontal) : layout.rightGutter.vertical;
  const padding = { right: gutter, top: topPadding(horizontal, labelled || bandLabels.length > 0, references.length > 0, font.size, layout.topRoom) };
  const timeAxis = !horizontal && isTimeSeries(spec.categories);
  const categoryAxis = {
    ...(stacked ? { stacked: true } : {}),
    grid: { display: false },
    // Below negative values this rule would sit at the axis's minimum and read as a zero line.
    border: negative ? { display: false } : { color: theme.colors.rule },
    // Years (a time series) may be thinned to every second or fifth and stay readable, upright;
    // named categories keep every label, turned if they must.
    ticks: { font, color: text, ...(timeAxis ? { autoSkip: true, autoSkipPadding: layout.tickSpacing, maxRotation: 0 } : { autoSkip: false }) },
    // A year is short; a named category may be an agency's whole name, which must not take the plot.
    ...(timeAxis ? {} : categoryLabelFitting(spec, theme, font, horizontal, { top: padding.top, right: gutter, legend: multi ? theme.chart.legendHeight : 0, bandLabels })),
  };
  const legendLabels = { font, color: text, boxWidth: layout.legendKey };
  const layoutPadding =
    horizontal && bandLabels.length > 0
      ? ({ chart }: { chart: { ctx: CanvasRenderingContext2D } }) => {
          chart.ctx.save();
          chart.ctx.font = annotationFont(theme);
          const widest = Math.max(...bandLabels.map((label) => chart.ctx.measureText(label).width));
          chart.ctx.restore();
          return { ...padding, right: gutter + Math.ceil(widest) + layout.labelGap };
        }
      : padding;
  return {
    type: spec.type,
    data: {
      labels: horizontal ? spec.categories.map((c) => wrapLabel(c, layout)) : [...spec.categories],
      datasets: spec.series.map((s, i) =>
        combination && s.type === 'line'
          ? {
              type: 'line' as const,
              label: s.label,
              data: [...s.values],
              backgroundColor: s.color,
              borderColor: s.color,
              borderWidth: theme.chart.lineWidth,
              pointRadius: 0,
              // Drawn after (over) the bars; its own stack, so a stacked chart never adds it to the bars.
              order: 0,
              stack: `line ${i}`,
              segment: DIRECT_LINE,
            }
          : {
              label: s.label,
              data: [...s.values],
              backgroundColor: s.color,
              borderColor: s.color,
              borderWidth: spec.type === 'line' ? layout.lineSeriesWidth : 0,
              pointRadius: spec.type === 'line' ? layout.pointRadius : 0,
              ...(spec.type === 'line' ? { segment: DIRECT_LINE } : {}),
              categoryPercentage: theme.chart.barThickness,
              barPercentage: layout.barShare,
              ...(combination ? { order: 1 } : {}),
            },
      ),
    },
    options: {
      locale: spec.language,
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      indexAxis: horizontal ? 'y' : 'x',
      layout: { padding: layoutPadding },
      plugins: {
        legend: {
          display: multi,
          position: 'bottom',
          // A line series shows a stroke in the key, not a box; the items stay in the brief's order
          // (Chart.js would list them in drawing order, the line first).
          labels: combination ? { ...legendLabels, usePointStyle: true, pointStyleWidth: layout.lineKey, generateLabels: () => legendItems(spec, theme) } : legendLabels,
        },
        tooltip: { enabled: false },
      },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    },
    plugins: [
      ...(spec.annotations.length > 0 ? [annotationPlugin(spec.annotations, spec.categories, theme, horizontal, gutter)] : []),
      ...(labelled ? [valueLabels(format, font, text, horizontal, layout.labelGap)] : []),
    ],
  };
}

/** Chart.js's line height, as a multiple of the font size (its default): the height of a category label's line. */
const LINE_HEIGHT = 1.2;
/** Room Chart.js wants beside a label in its slot before it turns the labels (its own constant). */
const SLOT_MARGIN = 6;

/**
 * Category labels that leave the plot its share of the chart (theme chart.layout.plotShare):
 * its height on a vertical chart, its width on a horizontal one, the legend's room aside.
 * Chart.js left alone turns a long label of a vertical chart to a slant and makes room for it
 * both below the plot and left of it, so an 80-character name left no plot at all.
 *
 * Labels that fit as Chart.js would set them are left to it. Otherwise, on a vertical chart,
 * each label is set upright on lines as wide as its category's slot, or turned a quarter on
 * one line as long as the room below the plot, whichever shows more of the names; on a
 * horizontal chart, on lines as wide as the room left of the plot, as many as the slot's
 * height holds. What does not fit ends in "…". The room is measured in the chart's own font.
 */
function categoryLabelFitting(spec: ArtifactSpec, theme: Theme, font: { family: string; size: number }, horizontal: boolean, room: { top: number; right: number; legend: number; bandLabels: readonly string[] }) {
  const layout = theme.chart.layout;
  const share = layout.plotShare;
  const lineHeight = font.size * LINE_HEIGHT;
  // Set while measuring, read once Chart.js has chosen its own rotation (which ours then replaces).
  let rotation: number | undefined;
  return {
    beforeCalculateLabelRotation(scale: Scale): void {
      rotation = undefined;
      const ticks = scale.ticks;
      if (ticks.length === 0) return;
      const options = scale.options as unknown as { ticks: { padding: number }; grid: { drawTicks: boolean; tickLength: number } };
      const edge = (options.grid.drawTicks ? options.grid.tickLength : 0) + 2 * options.ticks.padding;
      const ctx = scale.ctx;
      ctx.save();
      ctx.font = `normal ${font.size}px ${font.family}`;
      const measure: Measure = (line) => ctx.measureText(line).width;
      try {
        const names = ticks.map((tick) => spec.categories[tick.value] ?? String(tick.label ?? ''));
        const lines = (label: string | string[] | undefined) => (Array.isArray(label) ? label : [label ?? '']);
        if (horizontal) {
          // A shaded range's label sits right of the gutter and widens the padding there (see layoutPadding).
          const bands = room.bandLabels.length > 0 ? Math.ceil(Math.max(...room.bandLabels.map(measure))) + layout.labelGap : 0;
          const width = scale.chart.width * (1 - share) - room.right - bands - edge;
          // The slot is the plot's height over the categories, and the plot is the scale's height less what
          // the value axis takes under it (its ticks, its title) and the legend: counted here, or a label of
          // three lines in a slot of one would cover its neighbours.
          // Chart.js's default paddings: 3 around a tick label, 4 above and below an axis title.
          const below = lineHeight + 2 * 3 + (spec.axisTitle ? lineHeight + 2 * 4 : 0) + room.legend;
          const slotHeight = Math.max(0, scale.maxHeight - below) / ticks.length;
          const maxLines = Math.max(1, Math.min(layout.labelLines, Math.floor(slotHeight / lineHeight)));
          // Labels that already fit, line for line and in their slots, are left as they are.
          if (ticks.every((tick) => lines(tick.label).length <= maxLines && lines(tick.label).every((line) => measure(line) <= width))) return;
          ticks.forEach((tick, i) => (tick.label = fitLabel(names[i]!, width, maxLines, measure)));
          return;
        }
        // Chart.js's own test for labels that stand upright, one line each, in their slots.
        const slot = scale.maxWidth / ticks.length;
        if (names.every((name) => measure(name) + SLOT_MARGIN <= slot)) return;
        const height = (scale.chart.height - room.legend) * (1 - share) - room.top - edge;
        const maxLines = Math.max(1, Math.min(layout.labelLines, Math.floor(height / lineHeight)));
        const upright = names.map((name) => fitLabel(name, slot - SLOT_MARGIN, maxLines, measure));
        const turned = names.map((name) => shortenToWidth(name, height, measure));
        const shown = (labels: ReadonlyArray<string | string[]>) => labels.reduce((sum, label) => sum + lines(label).join('').replace(/…$/u, '').length, 0);
        const uprightWins = shown(upright) >= shown(turned);
        ticks.forEach((tick, i) => (tick.label = uprightWins ? upright[i]! : turned[i]!));
        rotation = uprightWins ? 0 : 90;
      } finally {
        ctx.restore();
      }
    },
    afterCalculateLabelRotation(scale: Scale): void {
      if (rotation !== undefined) scale.labelRotation = rotation;
    },
  };
}

/**
 * Any segment options make Chart.js stroke a line on the canvas's own context, point by point.
 * Without them it builds the line as a Path2D whenever a global Path2D exists, and when that
 * class is another library's (pdfjs-dist installs @napi-rs/canvas's in the same process)
 * node-canvas ignores it and strokes the plot's clip rectangle instead of the line.
 */
const DIRECT_LINE = {};

/**
 * Whether each bar prints its value. Only a chart with one bar per category has room:
 * stacked segments and side-by-side bars are too narrow at column width and their labels
 * collide, and a line over the bars crosses them. The deck follows the same rule.
 */
export function showsValueLabels(spec: Pick<ChartArtifact, 'type' | 'series'>): boolean {
  return spec.type === 'bar' && spec.series.length === 1 && spec.series[0]?.type !== 'line';
}

/** Categories that are years ("2020", "FY2020", "2020Q1"): ordered, so a reader fills in a skipped label. */
function isTimeSeries(categories: readonly string[]): boolean {
  return categories.every((c) => /^(?:FY|CY)?\s?\d{4}(?:\s?Q[1-4]|-\d{2})?$/.test(c));
}

/**
 * Room above the plot. A vertical chart keeps it for the bars' value labels and the shaded
 * ranges' labels, which sit above the plot so they never cross the data; a horizontal chart
 * needs it only for a reference line's label, written above the line's top end.
 */
function topPadding(horizontal: boolean, labelsAbove: boolean, referenceLines: boolean, fontSize: number, room: Theme['chart']['layout']['topRoom']): number {
  if (horizontal) return referenceLines ? Math.ceil(fontSize) + room.referenceLine : 0;
  return labelsAbove ? room.labelled : room.vertical;
}

/** The legend of a combination chart: bars as boxes, line series as strokes, in the brief's order. */
function legendItems(spec: ArtifactSpec, theme: Theme) {
  return spec.series.map((s, i) => {
    const line = s.type === 'line';
    return {
      text: s.label,
      datasetIndex: i,
      fillStyle: s.color,
      strokeStyle: s.color,
      lineWidth: line ? theme.chart.lineWidth : 0,
      pointStyle: line ? ('line' as const) : ('rect' as const),
      fontColor: theme.colors.text,
      hidden: false,
    };
  });
}

/** Prints each bar's value at its end, so a reader does not have to read it off the axis. */
function valueLabels(format: (v: number) => string, font: { family: string; size: number }, color: string, horizontal: boolean, gap: number): Plugin<'bar'> {
  return {
    id: 'briefpressValueLabels',
    afterDatasetsDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = `${font.size}px "${font.family}"`;
      ctx.fillStyle = color;
      chart.data.datasets.forEach((dataset, d) => {
        chart.getDatasetMeta(d).data.forEach((bar, i) => {
          const value = Number(dataset.data[i]);
          const { x, y } = bar.getProps(['x', 'y'], true) as { x: number; y: number };
          if (horizontal) {
            ctx.textAlign = value < 0 ? 'right' : 'left';
            ctx.textBaseline = 'middle';
            ctx.fillText(format(value), x + (value < 0 ? -gap : gap), y);
          } else {
            ctx.textAlign = 'center';
            ctx.textBaseline = value < 0 ? 'top' : 'bottom';
            ctx.fillText(format(value), x, y + (value < 0 ? gap : -gap));
          }
        });
      });
      ctx.restore();
    },
  };
}

export interface ShadedRange {
  readonly label: string;
  /** Index of the first and the last category shaded, both inclusive; first ≤ last. */
  readonly first: number;
  readonly last: number;
}

/**
 * The shaded ranges of a chart as category indexes: the band covers the whole slot of every
 * category from `first` to `last`, bars and the gaps between them. Validation has checked that
 * both categories exist; a range written backwards (from 2020 to 2008) still covers the same years.
 */
export function shadedRanges(chart: Pick<ChartArtifact, 'annotations' | 'categories'>): ShadedRange[] {
  return chart.annotations.flatMap((a) => {
    if (a.from === undefined || a.to === undefined) return [];
    const from = chart.categories.indexOf(a.from);
    const to = chart.categories.indexOf(a.to);
    if (from < 0 || to < 0) return [];
    return [{ label: a.label, first: Math.min(from, to), last: Math.max(from, to) }];
  });
}

/**
 * Where category `index` sits along the category axis: its whole slot, from halfway to the
 * previous category to halfway to the next (a bar chart's band, bars and gaps included),
 * clipped to the plot. Ascending pixels, whichever way the axis runs.
 */
function categorySlot(scale: Pick<Scale, 'getPixelForValue' | 'left' | 'right' | 'top' | 'bottom'>, index: number, count: number, horizontal: boolean): [number, number] {
  const [lo, hi] = horizontal ? [scale.top, scale.bottom] : [scale.left, scale.right];
  const first = scale.getPixelForValue(0);
  const step = count > 1 ? (scale.getPixelForValue(count - 1) - first) / (count - 1) : hi - lo;
  const centre = first + step * index;
  const a = centre - step / 2;
  const b = centre + step / 2;
  return [Math.max(lo, Math.min(a, b)), Math.min(hi, Math.max(a, b))];
}

/**
 * The brief's annotations. A shaded range is a band over its categories' slots, under the
 * grid and the data (drawn before anything else), labelled beyond the plot's far end, where
 * no bar reaches: above it (vertical chart), right of the value labels' gutter (horizontal
 * chart). A reference line is dashed, over the data so no bar hides it, labelled at its far
 * end: above the line at the plot's right edge (vertical chart), above the plot (horizontal).
 */
function annotationPlugin(annotations: readonly Annotation[], categories: readonly string[], theme: Theme, horizontal: boolean, gutter: number): Plugin<'bar' | 'line'> {
  const style = theme.chart.annotation;
  const labelGap = theme.chart.layout.annotationLabelGap;
  const font = annotationFont(theme);
  const axes = (chart: { scales: Record<string, Scale> }) => {
    const categoryScale = chart.scales[horizontal ? 'y' : 'x'];
    const valueScale = chart.scales[horizontal ? 'x' : 'y'];
    if (!categoryScale || !valueScale) throw new Error('a bar or line chart has both axes');
    return { categoryScale, valueScale };
  };
  const ranges = shadedRanges({ annotations, categories });
  const rangeExtent = (scale: Scale, range: ShadedRange): [number, number] => {
    const [a0, a1] = categorySlot(scale, range.first, categories.length, horizontal);
    const [b0, b1] = categorySlot(scale, range.last, categories.length, horizontal);
    return [Math.min(a0, b0), Math.max(a1, b1)];
  };
  return {
    id: 'briefpressAnnotations',
    beforeDraw(chart) {
      const { categoryScale } = axes(chart);
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = style.band;
      for (const range of ranges) {
        const [start, end] = rangeExtent(categoryScale, range);
        // Across the gutter too, to its label at the chart's right edge, so band and label read as one.
        if (horizontal) ctx.fillRect(area.left, start, chart.width - area.left, end - start);
        else ctx.fillRect(start, area.top, end - start, area.bottom - area.top);
      }
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const { categoryScale, valueScale } = axes(chart);
      const area = chart.chartArea;
      const ctx = chart.ctx;
      ctx.save();
      ctx.font = font;
      ctx.fillStyle = style.label;
      ctx.strokeStyle = style.line;
      ctx.lineWidth = style.lineWidth;
      for (const a of annotations) {
        if (a.value === undefined) continue;
        const at = valueScale.getPixelForValue(a.value);
        ctx.setLineDash([...style.dash]);
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(at, area.top);
          ctx.lineTo(at, area.bottom);
        } else {
          ctx.moveTo(area.left, at);
          ctx.lineTo(area.right, at);
        }
        ctx.stroke();
        ctx.setLineDash([]);
        if (horizontal) {
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(a.label, at, area.top - labelGap);
        } else {
          // On the glyphs' baseline, not the em box's bottom: the label then needs only its
          // cap height above the line, and clears a zero line one short tick interval above.
          ctx.textAlign = 'right';
          ctx.textBaseline = 'alphabetic';
          // Half a point more above the line than beside the plot's edge: the glyphs sit on it, not on their em box.
          ctx.fillText(a.label, area.right - labelGap, at - (labelGap + 0.5));
        }
      }
      for (const range of ranges) {
        const [start, end] = rangeExtent(categoryScale, range);
        if (horizontal) {
          ctx.textAlign = 'left';
          ctx.textBaseline = 'middle';
          ctx.fillText(range.label, area.right + gutter, (start + end) / 2);
        } else {
          ctx.textAlign = 'center';
          ctx.textBaseline = 'bottom';
          ctx.fillText(range.label, (start + end) / 2, area.top - labelGap);
        }
      }
      ctx.restore();
    },
  };
}

function annotationFont(theme: Theme): string {
  return `${theme.chart.fontSize}px "${CHART_FONT_FAMILY}"`;
}

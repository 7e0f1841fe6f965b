// Stage 3: each figure's chart rendered with Chart.js on a server-side canvas, as
// SVG, sized in points to fit one column of the PDF. The same resolved spec
// (categories, series, colors, number format) feeds the deck's native chart.
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { ChartJSNodeCanvas } from 'chartjs-node-canvas';

/** What a reusable SVG surface needs: a Chart.js constructor and a canvas to draw on. */
interface SvgChartSurface {
  render(configuration: ChartConfiguration): string;
  registerFont(path: string, options: { family: string; weight?: string }): void;
}
import type { Annotation, ChartSpec, NumberFormat } from '../input/schema.ts';
import type { Theme } from '../core/theme.ts';
import type { FigureData } from '../validate/validate.ts';

export type { NumberFormat };

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
  readonly numberFormat: NumberFormat;
  /** The brief's language tag, for number formatting. */
  readonly language: string;
  /** SVG document, vector; sized widthPt × heightPt (1 SVG unit = 1 pt). */
  readonly svg: string;
  readonly widthPt: number;
  readonly heightPt: number;
}

/** `language` is the brief's language tag: its digit grouping and decimal mark ("711.7" in English, "711,7" in French). */
export function formatNumber(value: number, format: NumberFormat, language: string): string {
  const body = Math.abs(value).toLocaleString(language, {
    minimumFractionDigits: format.decimals,
    maximumFractionDigits: format.decimals,
  });
  return `${value < 0 ? '−' : ''}${format.prefix}${body}${format.suffix}`;
}

/** Column width of the PDF body, which every chart is drawn to fit. */
export function columnWidth(theme: Theme): number {
  const { page, margin, columnGap } = theme.pdf;
  return (page.width - margin.left - margin.right - columnGap) / 2;
}

/** The body's serif, registered under one family name together with the fallback fonts. */
export const CHART_FONT_FAMILY = 'Briefpress Chart';

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
      const files = this.theme.fontFiles.serif;
      register(files.regular, { family: CHART_FONT_FAMILY });
      register(files.bold, { family: CHART_FONT_FAMILY, weight: 'bold' });
      // Labels in Japanese or Korean find their glyphs in the theme's fallback fonts,
      // registered under the same family, rather than in whatever the system has.
      if (this.needsFallback) for (const f of this.theme.fontFiles.fallback) register(f.regular, { family: CHART_FONT_FAMILY });
      this.canvases.set(key, canvas);
    }
    return canvas;
  }

  /** Set once a chart's labels need a fallback font; registering the large CJK fonts costs time, so only then. */
  private needsFallback = false;

  /** `language` is the brief's: numbers on the chart are written the way its readers write them. */
  async render(figureId: string, chart: ChartSpec, data: FigureData, language: string): Promise<ChartArtifact> {
    const theme = this.theme;
    const labels = [...data.categories, ...data.series.map((s) => s.label), chart.axisTitle ?? '', ...chart.annotations.map((a) => a.label)].join(' ');
    if (!this.needsFallback && /[^\u0000-\u024F\u2000-\u206F\u20A0-\u20CF]/u.test(labels)) {
      this.needsFallback = true;
      this.canvases.clear();
    }
    const widthPt = Math.round(columnWidth(theme));
    const heightPt = theme.pdf.figure.chartHeight;
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
      numberFormat: chart.numberFormat,
      annotations: chart.annotations,
      language,
      widthPt,
      heightPt,
    };
    const canvas = await this.canvasFor(widthPt, heightPt);
    const svg = canvas.render(chartConfiguration(artifact, theme));
    return { ...artifact, svg };
  }
}

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

    render(configuration: ChartConfiguration): string {
      this.surface ??= this._createCanvas(this._width, this._height, 'svg');
      this.surface.width = this._width; // a new, empty SVG surface on the same canvas
      const chart = new this._chartJs(this.surface.getContext('2d') as unknown as CanvasRenderingContext2D, configuration);
      const svg = this.surface.toBuffer('image/svg+xml' as never).toString('utf8');
      chart.destroy();
      return svg;
    }
  };
}

type ArtifactSpec = Omit<ChartArtifact, 'svg'>;

/** Chart.js configuration for a spec; pure, so tests can inspect it without a canvas. */
export function chartConfiguration(spec: ArtifactSpec, theme: Theme): ChartConfiguration {
  const font = { family: CHART_FONT_FAMILY, size: theme.chart.fontSize };
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
          borderWidth: 1,
        })),
      },
      options: {
        locale: spec.language,
        animation: false,
        responsive: false,
        devicePixelRatio: 1,
        plugins: {
          legend: { display: true, position: 'right', labels: { font, color: text, boxWidth: 9 } },
          tooltip: { enabled: false },
        },
      },
    };
  }

  const valueAxis = {
    beginAtZero: true,
    grid: { color: theme.colors.chartGrid },
    border: { display: false },
    ticks: {
      font,
      color: text,
      maxTicksLimit: 6,
      // Round ticks print without decimals ("200", not "200.0"); the bars' own labels keep them.
      callback: (v: number | string) => formatNumber(Number(v), Number.isInteger(Number(v)) ? { ...spec.numberFormat, decimals: 0 } : spec.numberFormat, spec.language),
    },
    ...(spec.axisTitle ? { title: { display: true, text: spec.axisTitle, font, color: text } } : {}),
  };
  const categoryAxis = {
    grid: { display: false },
    border: { color: theme.colors.rule },
    ticks: { font, color: text, autoSkip: false },
  };
  return {
    type: spec.type,
    data: {
      labels: [...spec.categories],
      datasets: spec.series.map((s) => ({
        label: s.label,
        data: [...s.values],
        backgroundColor: s.color,
        borderColor: s.color,
        borderWidth: spec.type === 'line' ? 2 : 0,
        pointRadius: spec.type === 'line' ? 2.5 : 0,
        categoryPercentage: theme.chart.barThickness,
        barPercentage: 0.92,
      })),
    },
    options: {
      locale: spec.language,
      animation: false,
      responsive: false,
      devicePixelRatio: 1,
      indexAxis: horizontal ? 'y' : 'x',
      layout: { padding: { right: horizontal ? 34 : 4, top: horizontal ? 0 : 14 } },
      plugins: {
        legend: { display: multi, position: 'bottom', labels: { font, color: text, boxWidth: 9 } },
        tooltip: { enabled: false },
      },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    },
    plugins: spec.type === 'bar' ? [valueLabels(format, font, text, horizontal)] : [],
  };
}

/** Prints each bar's value at its end, so a reader does not have to read it off the axis. */
function valueLabels(format: (v: number) => string, font: { family: string; size: number }, color: string, horizontal: boolean): Plugin<'bar'> {
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
            ctx.fillText(format(value), x + (value < 0 ? -3 : 3), y);
          } else {
            ctx.textAlign = 'center';
            ctx.textBaseline = value < 0 ? 'top' : 'bottom';
            ctx.fillText(format(value), x, y + (value < 0 ? 3 : -3));
          }
        });
      });
      ctx.restore();
    },
  };
}

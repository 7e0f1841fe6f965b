// The chart must match its data: bars, lines, bands and reference lines drawn in the
// SVG are measured and compared with the CSV's values, and the chart is vector (no
// embedded raster image).
import type { ChartConfiguration, Plugin } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { describe, expect, it } from 'vitest';
import { CHART_FONT_FAMILY } from '../pipeline/core/canvas-fonts.ts';
import { chartConfiguration, chartNumberFormat, columnWidth, fitLabel, formatNumber, shadedRanges, shortenToWidth, showsValueLabels, wrapLabel } from '../pipeline/charts/charts.ts';
import { excelFormat } from '../pipeline/deck/charts.ts';
import type { Theme } from '../pipeline/core/theme.ts';
import { everyElementDir, sampleDir, sharedContext, validateDir } from './helpers.ts';

const { brief, figureData } = validateDir(sampleDir).result!;
const figure = brief.figures[0]!;
const data = figureData.get(figure.id)!;
const spec = { figureId: 'x', type: 'bar' as const, orientation: 'vertical' as const, categories: ['a'], series: [{ label: 's', values: [1], color: '#123456' }], numberFormat: { decimals: 1, prefix: '', suffix: '' }, language: 'en-US', stacked: false, annotations: [], widthPt: 100, heightPt: 100 };

describe('chart stage', () => {
  it('renders Figure 1 as SVG whose bar lengths are proportional to the data, in order top to bottom', async () => {
    const chart = await sharedContext().charts.render(figure.id, figure.chart!, data, brief.language);
    expect(chart.svg).not.toMatch(/<image/);
    const brand = sharedContext().theme.colors.chartSeries[0]!;
    const [r, g, b] = [1, 3, 5].map((i) => ((parseInt(brand.slice(i, i + 2), 16) / 255) * 100).toFixed(0));
    // Cairo writes fills as rgb(percent); the bars are the paths filled with the series color.
    const bars = [...chart.svg.matchAll(/<path[^>]*style="[^"]*fill:rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)[^"]*"[^>]*d="M ([\d.]+) ([\d.]+) L ([\d.]+) [\d.]+ L ([\d.]+) ([\d.]+)/g)]
      .filter((m) => Math.round(Number(m[1])) === Number(r) && Math.round(Number(m[2])) === Number(g) && Math.round(Number(m[3])) === Number(b))
      .map((m) => {
        const xs = [Number(m[4]), Number(m[6]), Number(m[7])];
        return { length: Math.max(...xs) - Math.min(...xs), y: Number(m[5]) };
      });
    expect(bars).toHaveLength(5);
    const ys = bars.map((bar) => bar.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    // Lengths are a linear function of the values, starting at zero: fit on the extremes, check every bar.
    const values = data.series[0]!.values;
    const slope = (bars[0]!.length - bars[4]!.length) / (values[0]! - values[4]!);
    const offset = bars[0]!.length - slope * values[0]!;
    expect(Math.abs(offset)).toBeLessThan(2);
    bars.forEach((bar, i) => expect(Math.abs(bar.length - (slope * values[i]! + offset))).toBeLessThan(0.5));
  });

  it('uses the theme fonts and colors, with animation off', () => {
    const theme = sharedContext().theme;
    const config = chartConfiguration(
      { figureId: 'x', type: 'bar', orientation: 'horizontal', categories: ['a'], series: [{ label: 's', values: [1], color: '#123456' }], numberFormat: { decimals: 1, prefix: '', suffix: '' }, language: 'en-US', stacked: false, annotations: [], widthPt: 100, heightPt: 100 },
      theme,
    );
    expect(config.options?.animation).toBe(false);
    expect((config.options as { indexAxis: string }).indexAxis).toBe('y');
    expect(config.data.datasets[0]!.backgroundColor).toBe('#123456');
    const scales = (config.options as { scales: Record<string, { ticks: { font: { family: string; size: number }; color: string }; grid: { color?: string } }> }).scales;
    for (const axis of Object.values(scales)) {
      expect(axis.ticks.font).toEqual({ family: CHART_FONT_FAMILY, size: theme.chart.fontSize });
      expect(axis.ticks.color).toBe(theme.colors.text);
    }
    expect(Object.values(scales).map((axis) => axis.grid.color)).toContain(theme.colors.chartGrid);
  });

  it('registers the theme’s serif under the chart family, so no system font is used', async () => {
    const registered: Array<{ file: string; family: string; weight?: string }> = [];
    const { ChartRenderer } = await import('../pipeline/charts/charts.ts');
    const renderer = new ChartRenderer(sharedContext().theme, (file, options) => registered.push({ file, ...options }));
    await renderer.render(figure.id, figure.chart!, data, brief.language);
    const files = sharedContext().theme.fontFiles.serif;
    expect(registered).toEqual([
      { file: files.regular, family: CHART_FONT_FAMILY },
      { file: files.bold, family: CHART_FONT_FAMILY, weight: 'bold' },
    ]);
  });

  it('draws a chart again only when something it is drawn from changed: a rebuild after an edit of the text reuses it', async () => {
    const { ChartRenderer } = await import('../pipeline/charts/charts.ts');
    const renderer = new ChartRenderer(sharedContext().theme);
    const first = await renderer.render(figure.id, figure.chart!, data, brief.language);
    // From here on, drawing on a canvas fails the test.
    for (const canvas of renderer['canvases'].values()) canvas.render = () => expect.unreachable('drawn again');
    expect((await renderer.render(figure.id, figure.chart!, data, brief.language)).svg).toBe(first.svg);
    const changed = { ...data, series: data.series.map((s, i) => (i === 0 ? { ...s, values: s.values.map((v) => v + 1) } : s)) };
    await expect(renderer.render(figure.id, figure.chart!, changed, brief.language)).rejects.toThrow('drawn again');
    await expect(renderer.render(figure.id, figure.chart!, data, 'fr-FR')).rejects.toThrow('drawn again');
  });

  it('gives each chart a preview in pixels that looks like librsvg’s drawing of its SVG (the thumbnail draws it), and none when not asked', async () => {
    const { ChartRenderer } = await import('../pipeline/charts/charts.ts');
    const { createCanvas, Image } = await import('canvas');
    const scale = 0.8;
    const every = validateDir(everyElementDir).result!;
    const charts = [
      await new ChartRenderer(sharedContext().theme, undefined, scale).render(figure.id, figure.chart!, data, brief.language),
      ...(await Promise.all(every.brief.figures.filter((f) => f.chart).map((f) => new ChartRenderer(sharedContext().theme, undefined, scale).render(f.id, f.chart!, every.figureData.get(f.id)!, every.brief.language)))),
    ];
    expect(charts.length).toBeGreaterThanOrEqual(3);
    for (const chart of charts) {
      const { rgba, width, height } = chart.preview!;
      expect([width, height]).toEqual([Math.ceil(chart.widthPt * scale), Math.ceil(chart.heightPt * scale)]);
      const canvas = createCanvas(width, height);
      const picture = new Image();
      picture.src = Buffer.from(chart.svg);
      canvas.getContext('2d').drawImage(picture, 0, 0, width, height);
      const drawn = canvas.getContext('2d').getImageData(0, 0, width, height).data;
      // Over white, as the thumbnail lays it: channels within a few levels on average, and ink in the same places.
      const onWhite = (px: Uint8ClampedArray, i: number) => 255 + ((px[i]! - 255) * px[i + 3]!) / 255;
      let difference = 0;
      let inkBoth = 0;
      let inkEither = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        const [a, b] = [onWhite(rgba, i), onWhite(drawn, i)];
        difference += Math.abs(a - b);
        if (a < 200 || b < 200) inkEither++;
        if (a < 200 && b < 200) inkBoth++;
      }
      expect(inkEither).toBeGreaterThan(rgba.length / 4 / 50);
      expect(difference / (rgba.length / 4)).toBeLessThan(6);
      expect(inkBoth / inkEither).toBeGreaterThan(0.85);
    }
    const without = await new ChartRenderer(sharedContext().theme).render(figure.id, figure.chart!, data, brief.language);
    expect(without.preview).toBeUndefined();
    // The preview is made from the drawing without changing the SVG written after it (but for the surface's
    // number, which cairo counts per process: web/svg.ts renames it).
    const unnumbered = (svg: string) => svg.replace(/surface\d+/g, 'surface');
    expect(unnumbered(without.svg)).toBe(unnumbered(charts[0]!.svg));
  });

  it('makes each preview of a renderer afresh: a second chart of the same size shows nothing of the first', async () => {
    const { ChartRenderer } = await import('../pipeline/charts/charts.ts');
    const renderer = new ChartRenderer(sharedContext().theme, undefined, 0.8);
    const first = await renderer.render(figure.id, figure.chart!, data, brief.language);
    // The same size, with every value a tenth as large: the bars' pixels of the first chart would remain if not cleared.
    const small = { ...data, series: data.series.map((s) => ({ ...s, values: s.values.map((v) => v / 10) })) };
    const second = await renderer.render(figure.id, figure.chart!, small, brief.language);
    const alone = await new ChartRenderer(sharedContext().theme, undefined, 0.8).render(figure.id, figure.chart!, small, brief.language);
    expect([second.preview!.width, second.preview!.height]).toEqual([first.preview!.width, first.preview!.height]);
    expect(Buffer.from(second.preview!.rgba).equals(Buffer.from(alone.preview!.rgba))).toBe(true);
    expect(Buffer.from(second.preview!.rgba).equals(Buffer.from(first.preview!.rgba))).toBe(false);
  });

  it('writes numbers the way the brief’s language does', () => {
    expect(formatNumber(711.7, { decimals: 1, prefix: '', suffix: '' }, 'fr-FR')).toBe('711,7');
    expect(formatNumber(1234.5, { decimals: 1, prefix: '', suffix: '' }, 'de-DE')).toBe('1.234,5');
    const config = chartConfiguration({ ...spec, language: 'fr-FR' }, sharedContext().theme);
    expect((config.options as { locale: string }).locale).toBe('fr-FR');
  });

  it('formats numbers with the figure’s decimals, prefix and suffix', () => {
    expect(formatNumber(711.7, { decimals: 1, prefix: '', suffix: '' }, 'en-US')).toBe('711.7');
    expect(formatNumber(1234.5, { decimals: 0, prefix: '$', suffix: 'B' }, 'en-US')).toBe('$1,235B');
    expect(formatNumber(-2, { decimals: 1, prefix: '', suffix: '%' }, 'en-US')).toBe('−2.0%');
  });
});

// ---- The richer charts of the synthetic brief IF90001: stacked bars, bars with a line, annotations. ----

const every = validateDir(everyElementDir).result!;
function everyFigure(id: string) {
  const found = every.brief.figures.find((f) => f.id === id);
  if (!found?.chart) throw new Error(`IF90001 has no chart "${id}"`);
  return { chart: found.chart, data: every.figureData.get(id)! };
}
async function renderEvery(id: string) {
  const { chart, data } = everyFigure(id);
  return sharedContext().charts.render(id, chart, data, every.brief.language);
}

interface SvgPath {
  readonly index: number;
  readonly style: string;
  readonly d: string;
}
interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly index: number;
}

function svgPaths(svg: string): SvgPath[] {
  return [...svg.matchAll(/<path\b([^>]*)\/>/g)].map((m, index) => ({
    index,
    style: /style="([^"]*)"/.exec(m[1]!)?.[1] ?? '',
    d: /\bd="([^"]*)"/.exec(m[1]!)?.[1] ?? '',
  }));
}

/** Whether a path's fill or stroke is the theme color `hex`; cairo writes colors as rgb(percent). */
function painted(path: SvgPath, property: 'fill' | 'stroke', hex: string): boolean {
  const m = new RegExp(`(?:^|;)\\s*${property}:rgb\\(([\\d.]+)%,([\\d.]+)%,([\\d.]+)%\\)`).exec(path.style);
  if (!m) return false;
  return [1, 3, 5].every((at, i) => Math.abs((Number(m[i + 1]) / 100) * 255 - parseInt(hex.slice(at, at + 2), 16)) < 0.6);
}

/** The corners of a path drawn as one axis-aligned rectangle, or undefined. */
function rectangle(path: SvgPath): Box | undefined {
  const m = /^M ([\d.]+) ([\d.]+) L ([\d.]+) ([\d.]+) L ([\d.]+) ([\d.]+) L ([\d.]+) ([\d.]+) Z/.exec(path.d);
  if (!m) return undefined;
  const xs = [m[1], m[3], m[5], m[7]].map(Number);
  const ys = [m[2], m[4], m[6], m[8]].map(Number);
  return { left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys), index: path.index };
}

/** The vertices of a polyline path ("M x y L x y …"); undefined for curves. */
function polyline(path: SvgPath): Array<[number, number]> | undefined {
  if (!/^M [\d.]+ [\d.]+( L [\d.]+ [\d.]+)+ ?$/.test(path.d)) return undefined;
  return [...path.d.matchAll(/([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

/**
 * The polyline's y at x, between its vertices (cairo leaves out a vertex between two collinear
 * segments); x may lie a rounding error (0.05) beyond either end.
 */
function yAt(points: ReadonlyArray<[number, number]>, x: number): number {
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    if (x >= x0 - 0.05 && x <= x1 + 0.05) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  throw new Error(`x = ${x} is outside the polyline`);
}

/**
 * The rectangles filled with a series' color, split into its bars (left to right, or top to
 * bottom) and its legend key: the one rectangle lying below every bar.
 */
function barsAndKey(svg: string, color: string, horizontal = false): { bars: Box[]; key: Box } {
  const boxes = svgPaths(svg)
    .filter((p) => painted(p, 'fill', color))
    .map(rectangle)
    .filter((b): b is Box => b !== undefined);
  const key = boxes.reduce((a, b) => (b.top > a.top ? b : a));
  const bars = boxes.filter((b) => b !== key).sort((a, b) => (horizontal ? a.top - b.top : a.left - b.left));
  for (const bar of bars) expect(key.top).toBeGreaterThan(bar.bottom);
  return { bars, key };
}

/** The full-width horizontal grid lines (and zero line) of a vertical chart. */
function gridLines(svg: string, theme: Theme): Array<{ y: number; color: string }> {
  return svgPaths(svg).flatMap((p) => {
    const points = polyline(p);
    if (!points || points.length !== 2 || points[0]![1] !== points[1]![1] || points[1]![0] - points[0]![0] < 100) return [];
    const color = [theme.colors.chartGrid, theme.colors.rule].find((c) => painted(p, 'stroke', c));
    return color ? [{ y: points[0]![1], color }] : [];
  });
}

/** What the legend lists, read from Chart.js itself while it draws the configuration. */
function legendTexts(config: ReturnType<typeof chartConfiguration>, width: number, height: number): string[] {
  let texts: string[] = [];
  const probe = {
    id: 'legendProbe',
    afterDraw(chart: { legend?: { legendItems?: Array<{ text: string }> } }) {
      texts = (chart.legend?.legendItems ?? []).map((item) => item.text);
    },
  };
  new ChartJSNodeCanvas({ type: 'svg', width, height }).renderToBufferSync({ ...config, plugins: [...(config.plugins ?? []), probe] } as ChartConfiguration, 'image/svg+xml');
  return texts;
}

describe('stacked bar chart (IF90001, awards by region)', () => {
  it('stacks each year’s regions end to end, bottom to top in the brief’s order, each segment as long as its value', async () => {
    const chart = await renderEvery('awards-by-region');
    const { data } = everyFigure('awards-by-region');
    expect(chart.svg).not.toMatch(/<image/);
    const columns = chart.series.map((s) => barsAndKey(chart.svg, s.color).bars);
    columns.forEach((bars) => expect(bars).toHaveLength(data.categories.length));
    const cumulative = data.categories.map((_, i) => data.series.map((_s, j) => data.series.slice(0, j + 1).reduce((sum, s) => sum + s.values[i]!, 0)));
    // The scale from two segment heads (a head sits exactly at its cumulative value; a stack's base
    // yields half the zero line's width): the first year's bottom segment, the last year's top.
    const last = data.categories.length - 1;
    const top = data.series.length - 1;
    const slope = (columns[0]![0]!.top - columns[top]![last]!.top) / (cumulative[last]![top]! - cumulative[0]![0]!);
    const zero = columns[0]![0]!.top + slope * cumulative[0]![0]!;
    data.categories.forEach((_, i) => {
      const stack = columns.map((bars) => bars[i]!);
      for (const segment of stack) {
        expect(segment.left).toBeCloseTo(stack[0]!.left, 2);
        expect(segment.right).toBeCloseTo(stack[0]!.right, 2);
      }
      stack.forEach((segment, j) => {
        expect(Math.abs(segment.top - (zero - slope * cumulative[i]![j]!))).toBeLessThan(0.1);
        // Lengths proportional to the values; the bottom segment gives up half the zero line.
        expect(Math.abs(segment.bottom - segment.top - slope * data.series[j]!.values[i]!)).toBeLessThan(j === 0 ? 0.6 : 0.1);
        if (j > 0) expect(Math.abs(segment.bottom - stack[j - 1]!.top)).toBeLessThan(0.05);
      });
      expect(Math.abs(stack[0]!.bottom - zero)).toBeLessThan(0.6);
    });
  });

  it('keys every region in the legend under the plot, left to right in the brief’s order', async () => {
    const chart = await renderEvery('awards-by-region');
    const keys = chart.series.map((s) => barsAndKey(chart.svg, s.color).key);
    for (const key of keys) expect(key.top).toBeCloseTo(keys[0]!.top, 2);
    expect(keys.map((k) => k.left)).toEqual([...keys.map((k) => k.left)].sort((a, b) => a - b));
    const config = chartConfiguration(chart, sharedContext().theme);
    expect(legendTexts(config, chart.widthPt, chart.heightPt)).toEqual(['Northeast', 'South', 'Midwest', 'West']);
  });

  it('configures both axes as stacked, a bottom legend in the theme font, and no per-bar labels', async () => {
    const chart = await renderEvery('awards-by-region');
    const theme = sharedContext().theme;
    const config = chartConfiguration(chart, theme);
    const options = config.options as { scales: Record<'x' | 'y', { stacked?: boolean }>; plugins: { legend: { display: boolean; position: string; labels: { font: unknown } } } };
    expect(options.scales.x.stacked).toBe(true);
    expect(options.scales.y.stacked).toBe(true);
    expect(options.plugins.legend).toMatchObject({ display: true, position: 'bottom', labels: { font: { family: CHART_FONT_FAMILY, size: theme.chart.fontSize } } });
    expect(showsValueLabels(chart)).toBe(false);
    expect((config.plugins ?? []).map((p) => p.id)).not.toContain('briefpressValueLabels');
    // The theme's palette, one color per series, in order.
    expect(config.data.datasets.map((d) => d.backgroundColor)).toEqual(theme.colors.chartSeries.slice(0, 4));
  });
});

describe('combination chart (IF90001, trade balance)', () => {
  /** The chart measured from its own bars: the value axis's scale and every year's slot. */
  async function measured() {
    const theme = sharedContext().theme;
    const chart = await renderEvery('trade-balance');
    const { data } = everyFigure('trade-balance');
    const [exportsSeries, importsSeries, balanceSeries] = chart.series;
    const exports = barsAndKey(chart.svg, exportsSeries!.color).bars;
    const imports = barsAndKey(chart.svg, importsSeries!.color).bars;
    expect(exports).toHaveLength(20);
    expect(imports).toHaveLength(20);
    const [exportValues, importValues, balance] = data.series.map((s) => s.values) as [number[], number[], number[]];
    // Bar heads are exact (a bar's base yields half the zero line): the scale from two of them.
    const slope = (exports[0]!.top - imports[19]!.top) / (importValues[19]! - exportValues[0]!);
    const zero = exports[0]!.top + slope * exportValues[0]!;
    const y = (value: number) => zero - slope * value;
    exports.forEach((bar, i) => expect(Math.abs(bar.top - y(exportValues[i]!))).toBeLessThan(0.1));
    imports.forEach((bar, i) => expect(Math.abs(bar.top - y(importValues[i]!))).toBeLessThan(0.1));
    // A year's slot is centred on its pair of bars; slots are evenly spaced and touch.
    const centres = exports.map((bar, i) => (bar.left + imports[i]!.right) / 2);
    const step = (centres[19]! - centres[0]!) / 19;
    const slot = (i: number) => ({ start: centres[i]! - step / 2, end: centres[i]! + step / 2 });
    return { theme, chart, data, balance, balanceColor: balanceSeries!.color, exports, imports, zero, y, centres, slot };
  }

  it('draws the balance as a line through every year’s value, below the zero line, over the bars', async () => {
    const { chart, balance, balanceColor, exports, imports, zero, y, centres, theme } = await measured();
    const lines = svgPaths(chart.svg).filter((p) => painted(p, 'stroke', balanceColor) && (polyline(p)?.length ?? 0) > 2);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.style).toContain(`stroke-width:${theme.chart.lineWidth}`);
    const points = polyline(line)!;
    expect(points[0]![0]).toBeCloseTo(centres[0]!, 1);
    expect(points.at(-1)![0]).toBeCloseTo(centres[19]!, 1);
    balance.forEach((value, i) => {
      const at = yAt(points, centres[i]!);
      expect(Math.abs(at - y(value))).toBeLessThan(0.1);
      expect(at).toBeGreaterThan(zero + 1);
    });
    for (const bar of [...exports, ...imports]) expect(line.index).toBeGreaterThan(bar.index);
  });

  it('puts zero inside the value axis and marks it with the axis rule; no category-axis rule at the bottom', async () => {
    const { chart, zero, theme } = await measured();
    const grid = gridLines(chart.svg, theme);
    const zeroLine = grid.filter((g) => g.color === theme.colors.rule);
    expect(zeroLine).toHaveLength(1);
    // Grid lines are aligned to the pixel grid: within half a point of the value.
    expect(Math.abs(zeroLine[0]!.y - zero)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...grid.map((g) => g.y))).toBeGreaterThan(zero + 5);
    const config = chartConfiguration(chart, theme);
    const y = (config.options as { scales: { y: { beginAtZero: boolean } } }).scales.y;
    expect(y.beginAtZero).toBe(true);
  });

  it('draws the −100 reference line dashed, across the plot, at the axis’s pixel for −100', async () => {
    const { chart, y, slot, exports, theme } = await measured();
    const dashed = svgPaths(chart.svg).filter((p) => p.style.includes('stroke-dasharray'));
    expect(dashed).toHaveLength(1);
    const line = dashed[0]!;
    expect(painted(line, 'stroke', theme.chart.annotation.line)).toBe(true);
    expect(line.style).toContain(`stroke-dasharray:${theme.chart.annotation.dash.join(',')}`);
    const [[x0, y0], [x1, y1]] = polyline(line) as [[number, number], [number, number]];
    expect(y0).toBe(y1);
    expect(Math.abs(y0 - y(-100))).toBeLessThan(0.1);
    expect(Math.abs(x0 - slot(0).start)).toBeLessThan(0.1);
    expect(Math.abs(x1 - slot(19).end)).toBeLessThan(0.1);
    for (const bar of exports) expect(line.index).toBeGreaterThan(bar.index);
  });

  it('shades exactly the 2008–2009 and 2020 slots, from the plot’s top to its bottom, behind the grid and bars', async () => {
    const { chart, data, slot, exports, theme } = await measured();
    const bands = svgPaths(chart.svg)
      .filter((p) => painted(p, 'fill', theme.chart.annotation.band))
      .map(rectangle)
      .sort((a, b) => a!.left - b!.left);
    expect(bands).toHaveLength(2);
    const years = (first: string, last: string) => ({ start: slot(data.categories.indexOf(first)).start, end: slot(data.categories.indexOf(last)).end });
    const expected = [years('2008', '2009'), years('2020', '2020')];
    const grid = gridLines(chart.svg, theme).map((g) => g.y);
    bands.forEach((band, i) => {
      expect(Math.abs(band!.left - expected[i]!.start)).toBeLessThan(0.1);
      expect(Math.abs(band!.right - expected[i]!.end)).toBeLessThan(0.1);
      expect(Math.abs(band!.top - Math.min(...grid))).toBeLessThanOrEqual(0.5);
      expect(Math.abs(band!.bottom - Math.max(...grid))).toBeLessThanOrEqual(0.5);
      for (const bar of exports) expect(band!.index).toBeLessThan(bar.index);
    });
    const firstGrid = svgPaths(chart.svg).findIndex((p) => painted(p, 'stroke', theme.colors.chartGrid));
    for (const band of bands) expect(band!.index).toBeLessThan(firstGrid);
    expect(shadedRanges(chart)).toEqual([
      { label: 'Recession', first: 2, last: 3 },
      { label: 'Recession', first: 14, last: 14 },
    ]);
  });

  it('lists every series in the legend, the line as a stroke, in the brief’s order', async () => {
    const { chart, balanceColor, theme } = await measured();
    const keys = chart.series.slice(0, 2).map((s) => barsAndKey(chart.svg, s.color).key);
    const stroke = svgPaths(chart.svg)
      .filter((p) => painted(p, 'stroke', balanceColor))
      .map(polyline)
      .filter((points) => points?.length === 2);
    expect(stroke).toHaveLength(1);
    const [[sx, sy]] = stroke[0]! as [[number, number]];
    expect(sy).toBeGreaterThan(keys[0]!.top);
    expect(sy).toBeLessThan(keys[0]!.bottom);
    expect(keys[0]!.left).toBeLessThan(keys[1]!.left);
    expect(keys[1]!.left).toBeLessThan(sx);
    const config = chartConfiguration(chart, theme);
    expect(legendTexts(config, chart.widthPt, chart.heightPt)).toEqual(['Exports', 'Imports', 'Trade balance']);
  });

  it('configures the line series as a line on the same value axis, drawn after the bars, never stacked with them', async () => {
    const { chart, theme } = await measured();
    const config = chartConfiguration(chart, theme);
    const datasets = config.data.datasets as Array<{ type?: string; order?: number; stack?: string; yAxisID?: string; backgroundColor: string; borderColor: string }>;
    expect(datasets.map((d) => d.type)).toEqual([undefined, undefined, 'line']);
    expect(datasets[2]!.order).toBeLessThan(datasets[0]!.order!);
    expect(datasets[2]!.order).toBeLessThan(datasets[1]!.order!);
    expect(datasets.every((d) => d.yAxisID === undefined)).toBe(true);
    expect(datasets[2]!.stack).toBeDefined();
    expect(datasets.map((d) => d.borderColor)).toEqual(theme.colors.chartSeries.slice(0, 3));
    expect(showsValueLabels(chart)).toBe(false);
    // Twenty years: every few labelled, upright; the partners of IF10199 each keep theirs.
    const x = (config.options as { scales: { x: { ticks: { autoSkip: boolean; maxRotation?: number } } } }).scales.x;
    expect(x.ticks).toMatchObject({ autoSkip: true, maxRotation: 0 });
  });
});

describe('annotations on a horizontal chart', () => {
  it('turns the shaded range and the reference line 90°: a band across the rows, a vertical dashed line', async () => {
    const theme = sharedContext().theme;
    const categories = ['China', 'Canada', 'Mexico', 'Japan', 'Germany'];
    const values = [711.7, 679.9, 622.1, 286.1, 239.8];
    const chart = await sharedContext().charts.render(
      'h',
      { ...figure.chart!, annotations: [{ from: 'Canada', to: 'Mexico', label: 'USMCA' }, { value: 500, label: 'Half a trillion' }] },
      { figureId: 'h', categories, series: [{ label: 'Total', values }] },
      'en-US',
    );
    const boxes = svgPaths(chart.svg)
      .filter((p) => painted(p, 'fill', chart.series[0]!.color))
      .map(rectangle)
      .filter((b): b is Box => b !== undefined)
      .sort((a, b) => a.top - b.top);
    expect(boxes).toHaveLength(5);
    const slope = (boxes[0]!.right - boxes[4]!.right) / (values[0]! - values[4]!);
    const zero = boxes[0]!.right - slope * values[0]!;
    const centres = boxes.map((b) => (b.top + b.bottom) / 2);
    const step = (centres[4]! - centres[0]!) / 4;
    const band = svgPaths(chart.svg).filter((p) => painted(p, 'fill', theme.chart.annotation.band)).map(rectangle);
    expect(band).toHaveLength(1);
    expect(Math.abs(band[0]!.top - (centres[1]! - step / 2))).toBeLessThan(0.1);
    expect(Math.abs(band[0]!.bottom - (centres[2]! + step / 2))).toBeLessThan(0.1);
    expect(Math.abs(band[0]!.left - zero)).toBeLessThan(1);
    expect(band[0]!.right).toBeGreaterThan(boxes[1]!.right);
    const dashed = svgPaths(chart.svg).filter((p) => p.style.includes('stroke-dasharray')).map(polyline);
    expect(dashed).toHaveLength(1);
    const [[x0, y0], [x1, y1]] = dashed[0]! as [[number, number], [number, number]];
    expect(x0).toBe(x1);
    expect(Math.abs(x0 - (zero + slope * 500))).toBeLessThan(0.1);
    expect(y1 - y0).toBeGreaterThan(centres[4]! - centres[0]!);
  });
});

describe('chart configuration rules', () => {
  const theme = () => sharedContext().theme;

  it('keeps value labels only where each category has a single bar', () => {
    expect(showsValueLabels(spec)).toBe(true);
    expect(showsValueLabels({ ...spec, series: [...spec.series, { label: 't', values: [2], color: '#654321' }] })).toBe(false);
    expect(showsValueLabels({ ...spec, series: [{ ...spec.series[0]!, type: 'line' as const }] })).toBe(false);
    expect(showsValueLabels({ ...spec, type: 'line' })).toBe(false);
    expect((chartConfiguration(spec, theme()).plugins ?? []).map((p) => p.id)).toEqual(['briefpressValueLabels']);
  });

  it('widens the value axis to a reference line outside the data', () => {
    const config = chartConfiguration({ ...spec, annotations: [{ value: 40, label: 'target' }] }, theme());
    const y = (config.options as { scales: { y: { suggestedMax?: number; beginAtZero: boolean } } }).scales.y;
    expect(y.suggestedMax).toBe(40);
    expect(y.beginAtZero).toBe(true);
  });

  it('gives the zero grid line the axis rule only when values go below zero', () => {
    const grid = (s: typeof spec) => (chartConfiguration(s, theme()).options as { scales: { y: { grid: { color: unknown } } } }).scales.y.grid.color;
    expect(grid(spec)).toBe(theme().colors.chartGrid);
    const negative = grid({ ...spec, series: [{ ...spec.series[0]!, values: [-1] }] }) as (context: { tick?: { value: number } }) => string;
    expect(negative({ tick: { value: 0 } })).toBe(theme().colors.rule);
    expect(negative({ tick: { value: -1 } })).toBe(theme().colors.chartGrid);
  });

  it('colors every series from the theme palette in order, and every pie slice', async () => {
    const { chart, data } = everyFigure('awards-by-region');
    const artifact = await sharedContext().charts.render('p', chart, data, 'en-US');
    expect(artifact.series.map((s) => s.color)).toEqual(theme().colors.chartSeries.slice(0, 4));
    const pie = chartConfiguration({ ...spec, type: 'pie', categories: ['a', 'b', 'c'], series: [{ label: 's', values: [1, 2, 3], color: '#123456' }] }, theme());
    expect(pie.data.datasets[0]!.backgroundColor).toEqual(theme().colors.chartSeries.slice(0, 3));
  });
});

describe('axes and labels a reader can trust', () => {
  /** The chart as Chart.js lays it out, on a canvas of the PDF's chart size: its scales' tick labels. */
  async function ticksOf(values: number[], options: { decimals?: number; horizontal?: boolean; categories?: string[] } = {}) {
    const { Chart, registerables } = await import('chart.js');
    const { createCanvas } = await import('canvas');
    Chart.register(...registerables);
    const categories = options.categories ?? values.map((_, i) => `C${i + 1}`);
    const config = chartConfiguration(
      { ...spec, orientation: options.horizontal ? 'horizontal' : 'vertical', categories, series: [{ label: 's', values, color: '#123456' }], numberFormat: { decimals: options.decimals ?? 0, prefix: '', suffix: '' } },
      sharedContext().theme,
    );
    const canvas = createCanvas(261, 132);
    const chart = new Chart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, config);
    const value = chart.scales[options.horizontal ? 'x' : 'y']!;
    const category = chart.scales[options.horizontal ? 'y' : 'x']!;
    const result = { value: value.ticks.map((t) => String(t.label)), min: value.min, max: value.max, category: category.ticks.map((t) => t.label) };
    chart.destroy();
    return result;
  }

  it('steps the value axis in the figure’s precision, so no two ticks print the same', async () => {
    for (const values of [[1, 2], [0, 0, 0], [3, 7, 4]]) {
      const { value } = await ticksOf(values);
      expect(new Set(value).size, value.join(', ')).toBe(value.length);
    }
    expect((await ticksOf([0.4, 1.3], { decimals: 1 })).value).toContain('0.5');
  });

  it('never prints a minus before a number that rounds to zero', () => {
    expect(formatNumber(-0.4, { decimals: 0, prefix: '', suffix: '' }, 'en-US')).toBe('0');
    expect(formatNumber(-0.6, { decimals: 0, prefix: '', suffix: '' }, 'en-US')).toBe('−1');
  });

  it('writes numbers in digits the bundled fonts have, whatever the language', () => {
    expect(formatNumber(1234.5, { decimals: 1, prefix: '', suffix: '' }, 'bn')).toMatch(/^[0-9.,\s]+$/);
    expect(formatNumber(1234.5, { decimals: 1, prefix: '', suffix: '' }, 'fa-IR')).toMatch(/^[0-9.,\u066B\u066C\s]+$/);
  });

  it('leaves room in the plot for the labels of negative bars, past the longest one', async () => {
    const { min } = await ticksOf([-10, -7, -3], { horizontal: true });
    expect(min).toBeLessThan(-10 * 1.05);
  });

  it('sets a long category label of a horizontal chart on several lines, never cut at the edge', () => {
    const layout = sharedContext().theme.chart.layout;
    expect(wrapLabel('Short', layout)).toBe('Short');
    const lines = wrapLabel('A very long category label that goes on and on and on without end, past any column', layout);
    expect(Array.isArray(lines)).toBe(true);
    expect((lines as string[]).length).toBeLessThanOrEqual(layout.labelLines);
    for (const line of lines as string[]) expect(line.length).toBeLessThanOrEqual(layout.labelLine);
    expect((lines as string[]).at(-1)).toMatch(/…$/);
  });
});

// A real agency's name runs to 80 characters or more; at column width such a label once took the whole
// chart (rotated, it pushed the plot to nothing), silently. Now the plot keeps its theme-set share.
describe('long category labels', () => {
  const theme = sharedContext().theme;
  const width = Math.round(columnWidth(theme));
  const height = theme.pdf.figure.chartHeight;
  const share = theme.chart.layout.plotShare;
  const color = '#123456';
  const agency = 'Department of Homeland Security, Federal Emergency Management Agency, Office of the Administrator, ';
  const longLabel = (chars: number) => agency.repeat(Math.ceil(chars / agency.length)).slice(0, chars).trim();

  /** Draws the configuration at the PDF's chart size, in the theme's serif, and reads back the plot, the category labels and the bars. */
  function draw(orientation: 'vertical' | 'horizontal', categories: readonly string[], values: readonly number[], axisTitle?: string) {
    const spec = { figureId: 'long', type: 'bar' as const, orientation, categories, series: [{ label: 's', values, color }], numberFormat: { decimals: 0, prefix: '', suffix: '' }, language: 'en-US', stacked: false, annotations: [], widthPt: width, heightPt: height, ...(axisTitle ? { axisTitle } : {}) };
    const config = chartConfiguration(spec, theme);
    let area = { left: 0, right: 0, top: 0, bottom: 0 };
    let labels: Array<string | string[]> = [];
    const probe: Plugin = {
      id: 'plotProbe',
      afterDraw(chart) {
        area = { ...chart.chartArea };
        labels = (chart.scales[orientation === 'vertical' ? 'x' : 'y']?.ticks ?? []).map((t) => t.label ?? '');
      },
    };
    const canvas = new ChartJSNodeCanvas({ type: 'svg', width, height });
    canvas.registerFont(theme.fontFiles.serif.regular, { family: CHART_FONT_FAMILY });
    const svg = canvas.renderToBufferSync({ ...config, plugins: [...(config.plugins ?? []), probe] } as ChartConfiguration, 'image/svg+xml').toString('utf8');
    const bars = svgPaths(svg)
      .filter((p) => painted(p, 'fill', color))
      .map(rectangle)
      .filter((b): b is Box => b !== undefined)
      .sort((a, b) => (orientation === 'vertical' ? a.left - b.left : a.top - b.top))
      .map((b) => (orientation === 'vertical' ? b.bottom - b.top : b.right - b.left));
    return { area, labels, bars };
  }

  /** A label as shown, on one line; and whether it is the category's name, or a start of it ending in "…". */
  function honest(shown: string | string[], name: string): boolean {
    const text = (Array.isArray(shown) ? shown.join(' ') : shown).replace(/\s+/g, ' ');
    if (text === name.replace(/\s+/g, ' ')) return true;
    return text.endsWith('…') && name.replace(/\s+/g, ' ').startsWith(text.slice(0, -1).trimEnd());
  }

  for (const orientation of ['vertical', 'horizontal'] as const) {
    for (const chars of [40, 80, 120, 300]) {
      it(`keeps the plot of a ${orientation} chart whose first label has ${chars} characters, bars to scale, the label wrapped or shortened with "…"`, () => {
        const name = longLabel(chars);
        const { area, labels, bars } = draw(orientation, [name, 'B', 'C'], [1, 2, 3]);
        if (orientation === 'vertical') expect(area.bottom - area.top).toBeGreaterThanOrEqual(share * height);
        else expect(area.right - area.left).toBeGreaterThanOrEqual(share * width);
        // Room across the bars too: a plot squeezed to a sliver the other way is as lost.
        if (orientation === 'vertical') expect(area.right - area.left).toBeGreaterThanOrEqual(share * width);
        else expect(area.bottom - area.top).toBeGreaterThanOrEqual(share * height);
        expect(bars).toHaveLength(3);
        bars.forEach((length, i) => expect(Math.abs(length - (bars[2]! * (i + 1)) / 3)).toBeLessThan(0.6));
        expect(bars[2]!).toBeGreaterThan(share * (orientation === 'vertical' ? height : width) * 0.5);
        expect(honest(labels[0]!, name)).toBe(true);
        expect(labels.slice(1)).toEqual(['B', 'C']);
      });
    }
  }

  it('never wraps a horizontal chart’s label onto more lines than its category’s slot holds, so it cannot cover its neighbours', () => {
    const unbroken = (chars: number) => 'Supercalifragilistic '.repeat(15).slice(0, chars).trim();
    for (const [chars, name] of [120, 300].flatMap((n) => [[n, longLabel(n)], [n, unbroken(n)]] as const)) {
      const categories = ['China', name, 'Mexico', 'Japan', 'Germany'];
      // With an axis title under the values, as the sample's figure has: the plot is shorter than the chart.
      const { area, labels } = draw('horizontal', categories, [5, 4, 3, 2, 1], '$ billions');
      const slot = (area.bottom - area.top) / categories.length;
      const lines = Array.isArray(labels[1]) ? labels[1].length : 1;
      // A line of the chart's font, as Chart.js sets a multi-line tick (size × 1.2).
      expect(lines * theme.chart.fontSize * 1.2, `${chars} characters on ${lines} lines in a ${slot.toFixed(1)} pt slot`).toBeLessThanOrEqual(slot);
      expect(honest(labels[1]!, categories[1]!)).toBe(true);
    }
  });

  it('sets a label on lines between words, and ends the last line shown in "…" when words are left out', () => {
    const chars = (text: string) => text.length;
    expect(fitLabel('Department of State', 30, 3, chars)).toBe('Department of State');
    expect(fitLabel('Department of State', 12, 3, chars)).toEqual(['Department', 'of State']);
    const cut = fitLabel('Department of Homeland Security, Federal Emergency Management Agency', 20, 2, chars);
    expect(cut).toEqual(['Department of', 'Homeland Security…']);
    expect(fitLabel('Administration', 8, 3, chars)).toBe('Adminis…');
    expect(shortenToWidth('Federal Emergency Management', 20, chars)).toBe('Federal Emergency…');
    expect(shortenToWidth('Short', 20, chars)).toBe('Short');
  });

  it('shortens many long labels of a vertical chart with "…", never letting them take the plot', () => {
    const names = Array.from({ length: 12 }, (_, i) => `Department of Agriculture, program ${i + 1}`);
    const values = names.map((_, i) => i + 1);
    const { area, labels, bars } = draw('vertical', names, values);
    expect(area.bottom - area.top).toBeGreaterThanOrEqual(share * height);
    expect(bars).toHaveLength(12);
    bars.forEach((length, i) => expect(Math.abs(length - (bars[11]! * (i + 1)) / 12)).toBeLessThan(0.6));
    labels.forEach((shown, i) => expect(honest(shown, names[i]!)).toBe(true));
  });
});

describe('values too large to print whole', () => {
  const { theme } = sharedContext();
  const maxChars = theme.chart.layout.labelChars;

  it('prints a chart of huge values at one scale, K to T, each label short enough, and ordinary values as they are', () => {
    const plain = { decimals: 0, prefix: '', suffix: '' };
    expect(chartNumberFormat(plain, [711.7, 239.8], 'en-US', maxChars)).toEqual(plain);
    const huge = chartNumberFormat(plain, [1e15, -1e15, 2.5e14], 'en-US', maxChars);
    expect(huge.unit).toBe('T');
    expect(formatNumber(1e15, huge, 'en-US')).toBe('1,000T');
    expect(formatNumber(-1e15, huge, 'en-US')).toBe('−1,000T');
    expect(formatNumber(0, huge, 'en-US')).toBe('0');
    const billions = chartNumberFormat({ decimals: 1, prefix: '$', suffix: '' }, [12_345_678_901], 'en-US', maxChars);
    expect(formatNumber(12_345_678_901, billions, 'en-US')).toBe('$12.3B');
    for (const v of [1e15, -1e15, 2.5e14]) expect(formatNumber(v, huge, 'en-US').length).toBeLessThanOrEqual(maxChars);
  });

  it('gives the chart artifact that scale, and the deck the same scale as an Excel format', async () => {
    const chart = await sharedContext().charts.render('big', { ...figure.chart!, type: 'bar', orientation: 'horizontal' }, { ...data, categories: ['Alpha', 'Beta'], series: [{ label: 'Value', values: [1e15, -1e15] }] }, 'en-US');
    expect(chart.numberFormat.thousands).toBe(4);
    const scaled = `#,##0${figure.chart!.numberFormat.decimals > 0 ? '.' + '0'.repeat(figure.chart!.numberFormat.decimals) : ''},,,,"T"`;
    expect(excelFormat(chart.numberFormat)).toBe(`${scaled};-${scaled};0`);
    expect(excelFormat({ decimals: 1, prefix: '$', suffix: ' bn' })).toBe('"$"#,##0.0" bn"');
  });
});

// The chart must match its data: bars drawn in the SVG are measured and compared
// with the CSV's values, and the chart is vector (no embedded raster image).
import { describe, expect, it } from 'vitest';
import { CHART_FONT_FAMILY, chartConfiguration, formatNumber } from '../pipeline/charts/charts.ts';
import { sampleDir, sharedContext, validateDir } from './helpers.ts';

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

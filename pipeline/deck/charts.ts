// A figure's chart as a native chart: the same categories, series, colors and
// number format as the PDF's chart, and every number in the chart's workbook
// (Edit Data). Annotations stay data too: a reference line is one more line
// series holding its value in every category (dashed, named in the legend); a
// shaded range cannot be drawn as data without an invented secondary axis, so it
// is named under the chart instead ("Recession: 2008–2009, 2020").
import type { ChartArtifact, ChartNumberFormat } from '../charts/charts.ts';
import type { ComposedFigure } from '../compose/compose.ts';
import type { ChartSeries, ChartShape, Rect } from './model.ts';
import type { Planner } from './planner.ts';

export function chartShape(figure: ComposedFigure, chart: ChartArtifact, box: Rect, { theme, language }: Planner): ChartShape {
  const { colors } = theme;
  const sizes = theme.deck.chart;
  const pie = chart.type === 'pie';
  const data: ChartSeries[] = chart.series.map((s) => ({
    name: s.label,
    labels: chart.categories,
    values: s.values,
    color: s.color,
    ...(chart.type === 'line' || s.type === 'line' ? { line: { dashed: false, markers: true } } : {}),
  }));
  const references: ChartSeries[] = pie
    ? []
    : chart.annotations.flatMap((a) =>
        a.value === undefined
          ? []
          : [{ name: a.label, labels: chart.categories, values: chart.categories.map(() => a.value!), color: theme.chart.annotation.line, line: { dashed: true, markers: false } }],
      );
  const series = [...data, ...references];
  const bars = chart.type === 'bar' ? data.filter((s) => !s.line).length * chart.categories.length : 0;
  const negative = chart.series.some((s) => s.values.some((v) => v < 0));
  return {
    kind: 'chart',
    box,
    type: chart.type,
    horizontal: chart.orientation === 'horizontal',
    stacked: chart.type === 'bar' && chart.stacked,
    series,
    // A pie has a color per slice: the palette repeated as often as it takes.
    colors: pie ? chart.categories.map((_, i) => colors.chartSeries[i % colors.chartSeries.length]!) : series.map((s) => s.color),
    altText: figure.alt,
    language,
    categoryAxis: { fontSize: sizes.categoryLabelSize, color: colors.text, ...(negative && chart.orientation === 'horizontal' ? { labelPosition: 'low' as const } : {}) },
    valueAxis: {
      fontSize: sizes.labelSize,
      color: colors.text,
      // Axis ticks are round numbers; the bars' own labels carry the decimals.
      format: excelFormat({ ...chart.numberFormat, decimals: 0 }),
      ...(chart.axisTitle ? { title: { text: chart.axisTitle, fontSize: sizes.labelSize, color: colors.muted } } : {}),
    },
    dataLabels: {
      // Labels inside stacked segments, or on dozens of bars, overlap: the axis and the workbook carry the values then.
      show: pie || (chart.type === 'bar' && !chart.stacked && bars <= sizes.maxDataLabels),
      format: excelFormat(chart.numberFormat),
      fontSize: sizes.labelSize,
      color: colors.text,
      position: pie ? 'bestFit' : 'outEnd',
    },
    legend: { show: series.length > 1 || pie, position: pie ? 'r' : 'b', fontSize: sizes.labelSize },
    gridLine: { color: colors.chartGrid, weight: sizes.gridWeight },
    gapWidthPct: sizes.barGapWidthPct,
    lineWeight: sizes.lineWeight,
    markerSize: sizes.markerSize,
  };
}

/** The shaded ranges of a chart by label, in the order given: "Recession: 2008–2009, 2020". */
export function rangeNotes(chart: ChartArtifact): string[] {
  const byLabel = new Map<string, string[]>();
  for (const a of chart.annotations) {
    if (a.from === undefined || a.to === undefined) continue;
    const ranges = byLabel.get(a.label) ?? [];
    ranges.push(a.from === a.to ? a.from : `${a.from}–${a.to}`);
    byLabel.set(a.label, ranges);
  }
  return [...byLabel].map(([label, ranges]) => `${label}: ${ranges.join(', ')}`);
}

/** Excel number format for a figure's values, e.g. `"$"#,##0.0`. */
export function excelFormat(format: ChartNumberFormat): string {
  // A comma after the digits divides by 1,000 in Excel's formats: the chart's scale, as the PDF prints it.
  const digits = (format.decimals > 0 ? `#,##0.${'0'.repeat(format.decimals)}` : '#,##0') + ','.repeat(format.thousands ?? 0);
  const quote = (s: string) => (s ? `"${s.replace(/"/g, '')}"` : '');
  const positive = `${quote(format.prefix)}${digits}${quote((format.unit ?? '') + format.suffix)}`;
  // Zero is zero at any scale, as the PDF prints it: Excel's third section is for zero.
  return format.thousands ? `${positive};-${positive};${quote(format.prefix)}0${quote(format.suffix)}` : positive;
}

// Stage 5c: the deck. deck/plan.ts lays the slides out as data; this module only
// draws that plan with pptxgenjs (the masters, then each slide's shapes in reading
// order), writes it and hands the zip to deck/package.ts for its fixes.
import pptxgenModule from 'pptxgenjs';
import type { ComposedBrief } from '../compose/compose.ts';
import { briefDate } from '../core/dates.ts';
import type { FontBook } from '../core/fonts.ts';
import type { Theme } from '../core/theme.ts';
import type { BodyShape, ChartShape, DeckPlan, Rect, SlideMaster, SlidePlan, TextStyle } from './model.ts';
import { normalizePptx } from './package.ts';
import { planDeck } from './plan.ts';

// pptxgenjs's types describe a CommonJS module whose default export is the class,
// while Node loads its ES build, whose default export is the class itself.
const PptxGenJS = pptxgenModule as unknown as typeof pptxgenModule.default;
type PptxGenJS = InstanceType<typeof PptxGenJS>;
type Slide = ReturnType<PptxGenJS['addSlide']>;
type TextRuns = Extract<Parameters<Slide['addText']>[0], unknown[]>;
type MasterObjects = NonNullable<Parameters<PptxGenJS['defineSlideMaster']>[0]['objects']>;
type ChartOptions = NonNullable<Parameters<Slide['addChart']>[2]>;

export interface PptxOutput {
  readonly bytes: Buffer;
  readonly slides: number;
}

export async function renderPptx(brief: ComposedBrief, theme: Theme, fonts: FontBook): Promise<PptxOutput> {
  return drawDeck(planDeck(brief, theme, fonts));
}

export async function drawDeck(plan: DeckPlan): Promise<PptxOutput> {
  const pptx = new PptxGenJS();
  pptx.defineLayout({ name: 'BRIEF_16x9', width: plan.width, height: plan.height });
  pptx.layout = 'BRIEF_16x9';
  pptx.author = plan.properties.author;
  pptx.company = plan.properties.company;
  pptx.title = plan.properties.title;
  pptx.subject = plan.properties.subject;
  pptx.theme = { headFontFace: plan.fontFace, bodyFontFace: plan.fontFace };
  for (const master of plan.masters) defineMaster(pptx, master, plan.fontFace);
  for (const slide of plan.slides) drawSlide(pptx, slide, plan.fontFace);
  numberChartsFromOne(pptx);
  // Stored, not deflated: the package step rewrites every entry and compresses once.
  const raw = (await pptx.write({ outputType: 'uint8array', compression: false })) as Uint8Array;
  const bytes = await normalizePptx(raw, briefDate(plan.properties.date), plan.language);
  return { bytes, slides: plan.slides.length };
}

/** pptxgenjs takes colors without the '#'. */
const pptxColor = (color: string) => color.replace(/^#/, '').toUpperCase();

const textOptions = (box: Rect, fontFace: string, { color, ...style }: TextStyle) => ({ ...box, fontFace, ...style, color: pptxColor(color) });

function defineMaster(pptx: PptxGenJS, master: SlideMaster, fontFace: string): void {
  const objects: MasterObjects = master.shapes.map((shape) => {
    switch (shape.kind) {
      case 'band':
        return { rect: { ...shape.box, fill: { color: pptxColor(shape.color) }, line: { type: 'none' as const } } };
      case 'rule':
        return { line: { ...shape.box, line: { color: pptxColor(shape.color), width: shape.weight } } };
      case 'titlePlaceholder':
        return { placeholder: { options: { name: 'title', type: 'title' as const, ...textOptions(shape.box, fontFace, shape.style) }, text: '' } };
      case 'text':
        return { text: { text: shape.text, options: textOptions(shape.box, fontFace, shape.style) } };
    }
  });
  pptx.defineSlideMaster({
    title: master.name,
    background: { color: pptxColor(master.background) },
    objects,
    slideNumber: textOptions(master.slideNumber.box, fontFace, master.slideNumber.style),
  });
}

function drawSlide(pptx: PptxGenJS, plan: SlidePlan, fontFace: string): void {
  const slide = pptx.addSlide({ masterName: plan.master });
  for (const shape of plan.shapes) {
    switch (shape.kind) {
      case 'title':
        slide.addText(shape.text, { placeholder: 'title', fontSize: shape.fontSize });
        break;
      case 'text':
        slide.addText(shape.text, textOptions(shape.box, fontFace, shape.style));
        break;
      case 'body':
        drawBody(slide, shape, fontFace);
        break;
      case 'chart':
        drawChart(pptx, slide, shape, fontFace);
        break;
    }
  }
  if (plan.notes !== undefined) slide.addNotes(plan.notes);
}

function drawBody(slide: Slide, shape: BodyShape, fontFace: string): void {
  const runs: TextRuns = shape.paragraphs.flatMap((paragraph) =>
    paragraph.runs.map((run, r) => ({
      text: run.text,
      options: {
        ...(r === 0 && paragraph.bullet ? { bullet: paragraph.bullet } : {}),
        ...(run.hyperlink ? { hyperlink: run.hyperlink } : {}),
        ...(run.color ? { color: pptxColor(run.color) } : {}),
        // A paragraph ends after its last run.
        ...(r === paragraph.runs.length - 1 ? { breakLine: true } : {}),
      },
    })),
  );
  slide.addText(runs, {
    ...shape.box,
    fontFace,
    // Top-aligned and single-spaced: the text was measured that way.
    valign: 'top',
    paraSpaceAfter: shape.paragraphSpaceAfter,
    lineSpacingMultiple: 1,
    fontSize: shape.fontSize,
    color: pptxColor(shape.color),
  });
}

function drawChart(pptx: PptxGenJS, slide: Slide, chart: ChartShape, fontFace: string): void {
  const type = chart.type === 'pie' ? pptx.ChartType.pie : chart.type === 'line' ? pptx.ChartType.line : pptx.ChartType.bar;
  const data = chart.series.map((s) => ({ name: s.name, labels: [...s.labels], values: [...s.values] }));
  slide.addChart(type, data, chartOptions(chart, fontFace));
}

function chartOptions(chart: ChartShape, fontFace: string): ChartOptions {
  const { categoryAxis, valueAxis, dataLabels, legend } = chart;
  return {
    ...chart.box,
    altText: chart.altText,
    chartColors: chart.colors.map(pptxColor),
    barDir: chart.horizontal ? 'bar' : 'col',
    // Chart.js draws the first category at the top of a horizontal bar chart; PowerPoint
    // draws it at the bottom unless the category axis runs max to min.
    // (pptxgenjs's types list only 'minMax', its code writes either.)
    catAxisOrientation: (chart.horizontal ? 'maxMin' : 'minMax') as 'minMax',
    // With the categories reversed, keep the value axis at the bottom.
    ...(chart.horizontal ? { catAxisCrossesAt: 'max' as unknown as number } : {}),
    catAxisLabelFontFace: fontFace,
    catAxisLabelFontSize: categoryAxis.fontSize,
    catAxisLabelColor: pptxColor(categoryAxis.color),
    valAxisLabelFontFace: fontFace,
    valAxisLabelFontSize: valueAxis.fontSize,
    valAxisLabelColor: pptxColor(valueAxis.color),
    valAxisLabelFormatCode: valueAxis.format,
    valAxisLabelPos: 'nextTo',
    valGridLine: { color: pptxColor(chart.gridLine.color), size: chart.gridLine.weight },
    catGridLine: { style: 'none' },
    ...(valueAxis.title
      ? { showValAxisTitle: true, valAxisTitle: valueAxis.title.text, valAxisTitleFontFace: fontFace, valAxisTitleFontSize: valueAxis.title.fontSize, valAxisTitleColor: pptxColor(valueAxis.title.color) }
      : {}),
    showValue: dataLabels.show,
    dataLabelFormatCode: dataLabels.format,
    dataLabelFontFace: fontFace,
    dataLabelFontSize: dataLabels.fontSize,
    dataLabelColor: pptxColor(dataLabels.color),
    dataLabelPosition: dataLabels.position,
    showLegend: legend.show,
    legendPos: legend.position,
    legendFontFace: fontFace,
    legendFontSize: legend.fontSize,
    barGapWidthPct: chart.gapWidthPct,
    lang: chart.language,
  };
}

/**
 * pptxgenjs numbers charts with a counter shared by every presentation in the
 * process, so the second deck a process builds has chart2.xml where the first had
 * chart1.xml. Renumbering each deck's charts from 1 keeps the bytes independent of
 * what the process built before.
 */
function numberChartsFromOne(pptx: PptxGenJS): void {
  let next = 1;
  const slides = (pptx as unknown as { _slides: Array<{ _relsChart: Array<{ globalId: number; fileName: string; Target: string }> }> })._slides;
  for (const slide of slides) {
    for (const chart of slide._relsChart) {
      chart.globalId = next;
      chart.fileName = `chart${next}.xml`;
      chart.Target = `/ppt/charts/chart${next}.xml`;
      next++;
    }
  }
}

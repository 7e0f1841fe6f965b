// Stage 5c: the deck. deck/plan.ts lays the slides out as data; this module only
// draws that plan with pptxgenjs (the masters, then each slide's shapes in reading
// order), writes it and hands the zip to deck/package.ts for its fixes, with what
// those fixes need to know: the PNG each SVG picture falls back to, and which
// chart series are reference lines.
import { createHash } from 'node:crypto';
import pptxgenModule from 'pptxgenjs';
import type { ComposedBrief } from '../compose/compose.ts';
import { mayRegisterCanvasFonts, registerThemeFonts, type SvgFamilies } from '../core/canvas-fonts.ts';
import { briefDate } from '../core/dates.ts';
import type { FontBook } from '../core/fonts.ts';
import type { Theme } from '../core/theme.ts';
import type { BodyShape, CellBorder, ChartSeries, ChartShape, DeckPlan, PictureShape, Rect, Run, SlideMaster, SlidePlan, TableShape, TextStyle } from './model.ts';
import { normalizePptx, pptxZip, type PackageFixes } from './package.ts';
import { planDeck } from './plan.ts';

// pptxgenjs's types describe a CommonJS module whose default export is the class,
// while Node loads its ES build, whose default export is the class itself.
const PptxGenJS = pptxgenModule as unknown as typeof pptxgenModule.default;
type PptxGenJS = InstanceType<typeof PptxGenJS>;
type Slide = ReturnType<PptxGenJS['addSlide']>;
type TextRuns = Extract<Parameters<Slide['addText']>[0], unknown[]>;
type TableRows = Parameters<Slide['addTable']>[0];
type MasterObjects = NonNullable<Parameters<PptxGenJS['defineSlideMaster']>[0]['objects']>;
type ChartOptions = NonNullable<Parameters<Slide['addChart']>[2]>;

export interface PptxOutput {
  readonly bytes: Buffer;
  readonly slides: number;
}

export async function renderPptx(brief: ComposedBrief, theme: Theme, fonts: FontBook): Promise<PptxOutput> {
  return drawDeck(planDeck(brief, theme, fonts), theme);
}

/** Draws the plan; `theme` gives the font files an SVG picture's PNG fallback is drawn with. */
export async function drawDeck(plan: DeckPlan, theme: Theme): Promise<PptxOutput> {
  const pptx = new PptxGenJS();
  pptx.defineLayout({ name: 'BRIEF_16x9', width: plan.width, height: plan.height });
  pptx.layout = 'BRIEF_16x9';
  pptx.author = plan.properties.author;
  pptx.company = plan.properties.company;
  pptx.title = plan.properties.title;
  pptx.subject = plan.properties.subject;
  pptx.theme = { headFontFace: plan.fontFace, bodyFontFace: plan.fontFace };
  for (const master of plan.masters) defineMaster(pptx, master, plan.fontFace);
  // Charts are numbered from 1 in drawing order (numberChartsFromOne): the nth chart drawn is chart<n>.xml.
  const referenceSeries: Array<ReadonlySet<number>> = [];
  for (const slide of plan.slides) drawSlide(pptx, slide, plan.fontFace, referenceSeries);
  numberChartsFromOne(pptx);
  const fixes: PackageFixes = {
    svgFallbacks: await svgFallbacks(plan, theme),
    referenceSeries: new Map(referenceSeries.map((series, i) => [`ppt/charts/chart${i + 1}.xml`, series])),
    // pptxgenjs writes the nth slide's notes as notesSlide<n>.xml.
    notes: new Map(plan.slides.flatMap((slide, i) => (slide.notes === undefined ? [] : [[`ppt/notesSlides/notesSlide${i + 1}.xml`, slide.notes] as const]))),
  };
  // Taken as built, not written: the package step rewrites every entry and compresses once.
  const deck = await pptxZip(() => pptx.write({ outputType: 'uint8array', compression: false }));
  const bytes = await normalizePptx(deck, briefDate(plan.properties.date), plan.language, fixes);
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

function drawSlide(pptx: PptxGenJS, plan: SlidePlan, fontFace: string, referenceSeries: Array<ReadonlySet<number>>): void {
  const slide = pptx.addSlide({ masterName: plan.master });
  for (const shape of plan.shapes) {
    switch (shape.kind) {
      case 'title':
        drawTitle(slide, shape.text, shape.fontSize);
        break;
      case 'text':
        slide.addText(shape.text, textOptions(shape.box, fontFace, shape.style));
        break;
      case 'body':
        drawBody(slide, shape, fontFace);
        break;
      case 'chart':
        referenceSeries.push(drawChart(pptx, slide, shape, fontFace));
        break;
      case 'table':
        drawTable(slide, shape, fontFace);
        break;
      case 'picture':
        drawPicture(slide, shape);
        break;
    }
  }
  // Plain text here, so pptxgenjs writes the notes part and its relationships; the package step puts the runs in.
  if (plan.notes !== undefined) slide.addNotes(plan.notes.map((run) => run.text).join(''));
}

/**
 * pptxgenjs copies the master placeholder's options over the slide's, so every
 * title came out at the master's size whatever the plan fitted. The object it just
 * added gets the fitted size back, in both copies of the options it made: the
 * shape's (its paragraph end) and its run's.
 */
function drawTitle(slide: Slide, text: string, fontSize: number): void {
  slide.addText(text, { placeholder: 'title', fontSize });
  type Options = { fontSize?: number };
  const objects = (slide as unknown as { _slideObjects: Array<{ options: Options; text: Array<{ options: Options }> }> })._slideObjects;
  const added = objects[objects.length - 1]!;
  for (const options of [added.options, ...added.text.map((run) => run.options)]) options.fontSize = fontSize;
}

/** A run's own options: a link (in its color) or a raised footnote mark. */
const runOptions = (run: Run) => ({
  ...(run.bold ? { bold: true } : {}),
  ...(run.italic ? { italic: true } : {}),
  ...(run.hyperlink ? { hyperlink: run.hyperlink } : {}),
  ...(run.color ? { color: pptxColor(run.color) } : {}),
  ...(run.superscript ? { superscript: true } : {}),
});

function drawBody(slide: Slide, shape: BodyShape, fontFace: string): void {
  const runs: TextRuns = shape.paragraphs.flatMap((paragraph) =>
    paragraph.runs.map((run, r) => ({
      text: run.text,
      options: {
        ...(r === 0 && paragraph.bullet
          ? paragraph.bullet.level === 2
            ? // pptxgenjs indents a level by the bullet's indent once more (marL = indent × 2); an en dash marks the sub-item.
              { bullet: { indent: paragraph.bullet.indent, characterCode: '2013' }, indentLevel: 1 }
            : { bullet: { indent: paragraph.bullet.indent } }
          : {}),
        ...runOptions(run),
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

function drawTable(slide: Slide, table: TableShape, fontFace: string): void {
  const border = (b: CellBorder | undefined) => (b ? { type: 'solid' as const, pt: b.weight, color: pptxColor(b.color) } : { type: 'none' as const });
  const rows: TableRows = table.rows.map((row) =>
    row.map((cell) => ({
      text: cell.runs.map((run) => ({ text: run.text, options: runOptions(run) })),
      // Borders top, right, bottom, left: rules between rows only.
      options: { align: cell.align, valign: cell.valign, bold: cell.bold, border: [border(cell.borderTop), border(undefined), border(cell.borderBottom), border(undefined)] },
    })),
  );
  const { x, y } = table.cellMargin;
  slide.addTable(rows, {
    ...table.box,
    colW: [...table.columnWidths],
    rowH: [...table.rowHeights],
    fontFace,
    fontSize: table.fontSize,
    color: pptxColor(table.color),
    // pptxgenjs 4.0.1 reads cell margins under 1 as inches (1 and over as points); the theme's are fractions of an inch.
    margin: [y, x, y, x],
  });
}

const MIME = { svg: 'image/svg+xml', png: 'image/png', jpeg: 'image/jpeg' } as const;

/**
 * An SVG goes in as PowerPoint stores one (asvg:svgBlip, PowerPoint 2016 and
 * later draw it as vectors) with a PNG for every other viewer; pptxgenjs cannot
 * make that PNG in Node and writes a "broken image" placeholder, which the package
 * step replaces with the PNG svgFallbacks made.
 */
function drawPicture(slide: Slide, picture: PictureShape): void {
  slide.addImage({ data: `${MIME[picture.format]};base64,${Buffer.from(picture.bytes).toString('base64')}`, ...picture.box, altText: picture.altText });
}

/** The PNG of each SVG picture, at the size the plan gives it, by the SHA-256 of the SVG's bytes. */
async function svgFallbacks(plan: DeckPlan, theme: Theme): Promise<Map<string, Uint8Array>> {
  const pictures = plan.slides.flatMap((slide) => slide.shapes.filter((s): s is PictureShape => s.kind === 'picture' && s.fallback !== undefined));
  const out = new Map<string, Uint8Array>();
  if (pictures.length === 0) return out;
  // node-canvas draws SVG with librsvg, at the size asked (not scaled up from a bitmap); loaded only for decks with SVG pictures.
  const { createCanvas, loadImage, registerFont } = await import('canvas');
  // A batch's worker thread registers none: the CLI's thread did, before it started (core/canvas-fonts.ts).
  const families = registerThemeFonts(theme, mayRegisterCanvasFonts() ? registerFont : () => {});
  for (const picture of pictures) {
    const key = createHash('sha256').update(picture.bytes).digest('hex');
    if (out.has(key)) continue;
    const size = picture.fallback!;
    const image = await loadImage(Buffer.from(fallbackSvg(Buffer.from(picture.bytes).toString('utf8'), size, families), 'utf8'));
    const canvas = createCanvas(size.width, size.height);
    canvas.getContext('2d').drawImage(image, 0, 0, size.width, size.height);
    out.set(key, canvas.toBuffer('image/png'));
  }
  return out;
}


/**
 * Every font family an SVG names, in attributes and style sheets (the font-family
 * property and the font shorthand), replaced by the theme's sans (or its serif, for
 * serif families), followed by its fallback fonts: the system's fonts never reach the picture.
 */
export function withThemeFonts(svg: string, families: SvgFamilies): string {
  const family = (names: string) => (/\bserif\b/i.test(names.replace(/sans-serif/gi, '')) || /times|georgia|garamond|tinos/i.test(names) ? families.serif : families.sans);
  return (
    svg
      .replace(/\bfont-family\s*=\s*(["'])(.*?)\1/gi, (_m, quote: string, names: string) => `font-family=${quote}${family(names)}${quote}`)
      .replace(/\bfont-family\s*:\s*((?:'[^']*'|[^;"'}])+)/gi, (_m, names: string) => `font-family: ${family(names)}`)
      // The shorthand ("font: bold 12px/1.5 Georgia, serif"): the families follow the size (a length or
      // a keyword, not a bare weight such as 700) and the line height after a slash.
      .replace(/\bfont\s*:\s*((?:'[^']*'|[^;"'}])+)/gi, (whole, value: string) => {
        const sized = FONT_SHORTHAND.exec(value.trim());
        return sized ? `font: ${sized[1]} ${family(sized[2]!)}` : whole;
      })
  );
}

const FONT_SHORTHAND = /^((?:.*?\s)?(?:\d*\.?\d+(?:px|pt|pc|in|cm|mm|q|em|ex|rem|ch|%)|(?:xx-|x-)?(?:small|large)|medium|smaller|larger)(?![\w-])(?:\s*\/\s*\S+)?)\s+(\S.*)$/i;

/** CSS pixels per unit of an absolute length (SVG user units are CSS pixels). */
const PIXELS_PER_UNIT: Readonly<Record<string, number>> = { '': 1, px: 1, pt: 96 / 72, pc: 16, in: 96, cm: 96 / 2.54, mm: 96 / 25.4 };

/**
 * The SVG ready for librsvg to draw at the fallback's size: its fonts the theme's
 * (withThemeFonts); its root given the fallback's width and height in pixels, with a
 * viewBox (its own, or one from its width and height) so the drawing scales to
 * them (librsvg refuses an SVG without a width and height, and draws one that is
 * far larger than the picture at its full size); and the theme's sans as the root's
 * font family, which text naming none inherits.
 */
export function fallbackSvg(svg: string, size: { readonly width: number; readonly height: number }, families: SvgFamilies): string {
  const themed = withThemeFonts(svg, families);
  // The root element follows the prolog: a byte order mark, the XML declaration, comments, a doctype.
  const prolog = /^\uFEFF?(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^>[]|\[[\s\S]*?\])*>)*/i.exec(themed)![0];
  const root = /^<svg((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/i.exec(themed.slice(prolog.length));
  if (!root) return themed;
  const attributes = [...root[1]!.matchAll(/([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/g)].map((m) => ({ name: m[1]!, value: m[2]!.slice(1, -1), written: m[0] }));
  const value = (name: string) => attributes.find((a) => a.name === name)?.value;
  const kept = attributes.filter((a) => a.name !== 'width' && a.name !== 'height' && a.name !== 'viewBox');
  const viewBox = value('viewBox')?.trim().split(/[\s,]+/).map(Number);
  const ownBox = viewBox?.length === 4 && viewBox.every(Number.isFinite) && viewBox[2]! > 0 && viewBox[3]! > 0 ? value('viewBox') : undefined;
  const pixels = (name: string) => {
    const length = /^\s*([\d.]+(?:e[+-]?\d+)?)\s*(px|pt|pc|in|cm|mm)?\s*$/i.exec(value(name) ?? '');
    const n = length ? Number(length[1]) * PIXELS_PER_UNIT[(length[2] ?? '').toLowerCase()]! : NaN;
    return n > 0 && Number.isFinite(n) ? n : undefined;
  };
  const [w, h] = [pixels('width'), pixels('height')];
  const box = ownBox ?? (w !== undefined && h !== undefined ? `0 0 ${w} ${h}` : undefined);
  const written = [
    ...kept.map((a) => a.written),
    `width="${size.width}"`,
    `height="${size.height}"`,
    ...(box === undefined ? [] : [`viewBox="${box}"`]),
    ...(value('font-family') === undefined ? [`font-family="${families.sans}"`] : []),
  ];
  return `${prolog}<svg ${written.join(' ')}${root[2]}>${themed.slice(prolog.length + root[0].length)}`;
}

/**
 * A bar chart with series drawn as lines is a pptxgenjs multi-type chart: its
 * bars, then its lines, each type with its own colors. Returns the series numbers
 * (c:idx: bars first, then lines) of its reference lines, which the package step
 * dashes: pptxgenjs dashes all the lines of a type or none.
 */
function drawChart(pptx: PptxGenJS, slide: Slide, chart: ChartShape, fontFace: string): ReadonlySet<number> {
  const options = chartOptions(chart, fontFace);
  const data = (series: readonly ChartSeries[]) => series.map((s) => ({ name: s.name, labels: [...s.labels], values: [...s.values] }));
  const references = (series: readonly ChartSeries[], offset: number) => new Set(series.flatMap((s, i) => (s.line?.dashed ? [offset + i] : [])));
  const lines = chart.series.filter((s) => s.line);
  if (chart.type === 'bar' && lines.length > 0) {
    const bars = chart.series.filter((s) => !s.line);
    const types = [
      { type: 'bar' as const, data: data(bars), options: { chartColors: bars.map((s) => pptxColor(s.color)) } },
      { type: 'line' as const, data: data(lines), options: lineOptions(chart, lines, chart.series.length) },
    ];
    // pptxgenjs 4.0.1 takes a multi-type chart's options as the second argument (its types call it `data`); given third, they are never read (#1448).
    slide.addChart(types, options as unknown as unknown[]);
    return references(lines, bars.length);
  }
  const type = chart.type === 'pie' ? pptx.ChartType.pie : chart.type === 'line' ? pptx.ChartType.line : pptx.ChartType.bar;
  slide.addChart(type, data(chart.series), chart.type === 'line' ? { ...options, ...lineOptions(chart, chart.series, chart.series.length) } : options);
  return references(chart.series, 0);
}

/**
 * The lines of a chart: no value labels (the axis carries them). pptxgenjs colors a
 * line's markers by the series' place in the whole chart, and picks a random color
 * past the end of the list: the list is as long as the chart has series, and the
 * package step gives each marker its line's color.
 */
function lineOptions(chart: ChartShape, lines: readonly ChartSeries[], total: number): ChartOptions {
  return {
    chartColors: Array.from({ length: Math.max(total, lines.length) }, (_, i) => pptxColor(lines[i % lines.length]!.color)),
    showValue: false,
    // Position names differ between bars and lines: "outEnd" is not one a line's label may take.
    dataLabelPosition: undefined,
    lineSize: chart.lineWeight,
    lineDataSymbol: 'circle',
    lineDataSymbolSize: chart.markerSize,
  };
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
    ...(chart.stacked ? { barGrouping: 'stacked' as const } : {}),
    ...(categoryAxis.labelPosition ? { catAxisLabelPos: categoryAxis.labelPosition } : {}),
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

// The deck of the synthetic brief that uses every content element (IF90001):
// native tables split over "(cont.)" slides, a text box, SVG and PNG pictures,
// stacked and combination charts, sub-sections. Checked through the deck's XML
// (and its charts' workbooks), through the plan, and as LibreOffice lays it out.
import fs from 'node:fs';
import path from 'node:path';
import posix from 'node:path/posix';
import { parse } from 'csv-parse/sync';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose, type ComposedBrief } from '../pipeline/compose/compose.ts';
import { TextFitter } from '../pipeline/deck/fit.ts';
import type { BodyShape, DeckPlan, SlidePlan, TableShape, TextShape } from '../pipeline/deck/model.ts';
import { planDeck, slideTitle } from '../pipeline/deck/plan.ts';
import { fallbackSvg, withThemeFonts } from '../pipeline/deck/render.ts';
import type { BriefData } from '../pipeline/input/schema.ts';
import { buildBrief, createContext } from '../pipeline/run/build.ts';
import { artifact, build, copyBrief, decodeXml, everyElementDir, expectBuilt, readDeck, runCli, sampleDir, sharedContext, squash, tempDir, validateDir, type Deck, type SlideView } from './helpers.ts';

let bytes: Buffer;
let deck: Deck;
let brief: BriefData;
let planned: DeckPlan;

/** The brief composed as the build composes it: charts drawn, tables and images read. */
async function composeEveryElement(): Promise<ComposedBrief> {
  const { brief: data, figureData, tableData, images } = validateDir(everyElementDir).result!;
  const charts = await sharedContext().charts.renderFigures(data.figures, figureData, data.language);
  return compose({ brief: data, charts, tables: tableData, images, templates: sharedContext().templates });
}

beforeAll(async () => {
  bytes = artifact(expectBuilt(await build(everyElementDir, ['pptx'])), 'pptx');
  deck = await readDeck(bytes);
  brief = validateDir(everyElementDir).result!.brief;
  planned = planDeck(await composeEveryElement(), sharedContext().theme, sharedContext().fonts);
});

const csv = (file: string): string[][] => parse(fs.readFileSync(path.join(everyElementDir, file), 'utf8')) as string[][];
const slidesTitled = (prefix: string): SlideView[] => deck.slides.filter((s) => s.title === prefix || s.title.startsWith(`${prefix} (cont.)`));
/** The slide titled so, or the figure's or table's slide whose caption line (under a takeaway title) begins so. */
const slideTitled = (title: string): SlideView => {
  const found = deck.slides.find((s) => s.title === title) ?? deck.slides.find((s) => s.paragraphs.some((p) => p.startsWith(`${title} — `) || p === title));
  if (!found) throw new Error(`no slide titled "${title}" among: ${deck.slides.map((s) => s.title).join(' | ')}`);
  return found;
};

interface CellView {
  readonly text: string;
  readonly bold: boolean;
  readonly align: string | undefined;
  readonly superscripts: string[];
  /** Points of the rule above the cell (0: none). */
  readonly ruleAbove: number;
}

/** The slide's table, row by row, as its XML has it. */
function tableOf(slide: SlideView): CellView[][] {
  const tbl = /<a:tbl>([\s\S]*?)<\/a:tbl>/.exec(slide.xml)?.[1];
  if (tbl === undefined) throw new Error(`no a:tbl on "${slide.title}"`);
  return [...tbl.matchAll(/<a:tr\b[^>]*>([\s\S]*?)<\/a:tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<a:tc\b[^>]*>([\s\S]*?)<\/a:tc>/g)].map((tc) => {
      const runs = [...tc[1]!.matchAll(/<a:r>\s*<a:rPr ([^>]*?)\/?>[\s\S]*?<a:t>([^<]*)<\/a:t>\s*<\/a:r>/g)].map((r) => ({ attributes: r[1]!, text: decodeXml(r[2]!) }));
      return {
        text: runs.map((r) => r.text).join(''),
        bold: runs.length > 0 && runs.every((r) => /\bb="1"/.test(r.attributes)),
        align: /<a:pPr [^>]*algn="(\w+)"/.exec(tc[1]!)?.[1],
        superscripts: runs.filter((r) => /\bbaseline="30000"/.test(r.attributes)).map((r) => r.text),
        ruleAbove: Number(/<a:lnT w="(\d+)"/.exec(tc[1]!)?.[1] ?? 0) / 12700,
      };
    }),
  );
}

/** A CSV cell as the table prints it: "^a" footnote marks become raised "a". */
const printed = (cell: string) => cell.replace(/\^([a-z0-9]{1,3})/g, '$1');
const marks = (cell: string) => [...cell.matchAll(/\^([a-z0-9]{1,3})/g)].map((m) => m[1]!);

/** The part a slide's relationship points at, as a zip path. */
function related(slide: SlideView, slideName: string, pattern: RegExp): string {
  const target = [...slide.rels.matchAll(/<Relationship [^>]*Target="([^"]+)"[^>]*>/g)].map((m) => m[1]!).find((t) => pattern.test(t));
  if (!target) throw new Error(`no ${pattern} relationship on "${slide.title}"`);
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(posix.dirname(slideName), target));
}

const slideName = (slide: SlideView) => `ppt/slides/slide${deck.slides.indexOf(slide) + 1}.xml`;

interface SeriesView {
  readonly name: string;
  readonly categories: string[];
  readonly values: number[];
  readonly xml: string;
}

/** The chart part of a slide, and its series as the chart's cache holds them, by chart type. */
function chartOf(slide: SlideView): { xml: string; part: string; groups: Map<string, SeriesView[]> } {
  const part = related(slide, slideName(slide), /charts\/chart\d+\.xml$/);
  const xml = deck.files.get(part)!;
  const groups = new Map<string, SeriesView[]>();
  for (const group of xml.matchAll(/<c:(\w+Chart)>([\s\S]*?)<\/c:\1>/g)) {
    groups.set(
      group[1]!,
      [...group[2]!.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map((ser) => {
        const points = (tag: string) => [...(new RegExp(`<c:${tag}>([\\s\\S]*?)</c:${tag}>`).exec(ser[1]!)?.[1] ?? '').matchAll(/<c:pt idx="\d+"><c:v>([^<]*)<\/c:v><\/c:pt>/g)].map((m) => decodeXml(m[1]!));
        return { name: points('tx')[0]!, categories: points('cat'), values: points('val').map(Number), xml: ser[1]! };
      }),
    );
  }
  return { xml, part, groups };
}

/** A CSV row as a workbook holds it: numbers as numbers ("525.0" is 525). */
const asNumbers = (row: readonly string[]) => row.map((cell, i) => (i === 0 ? cell : Number(cell)));

/** The first sheet of a chart's embedded workbook, as rows of cells, numbers as numbers (Edit Data opens this). */
async function workbookOf(chartPart: string): Promise<Array<Array<string | number>>> {
  const rels = deck.files.get(chartPart.replace('charts/', 'charts/_rels/') + '.rels')!;
  const target = posix.normalize(posix.join(posix.dirname(chartPart), /Target="([^"]+\.xlsx)"/.exec(rels)![1]!));
  const zip = await JSZip.loadAsync(bytes);
  const workbook = await JSZip.loadAsync(await zip.files[target]!.async('uint8array'));
  const strings = [...(await workbook.files['xl/sharedStrings.xml']!.async('string')).matchAll(/<si>\s*<t[^>]*>([^<]*)<\/t>\s*<\/si>/g)].map((m) => decodeXml(m[1]!));
  const sheet = await workbook.files['xl/worksheets/sheet1.xml']!.async('string');
  return [...sheet.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
    [...row[1]!.matchAll(/<c r="[A-Z]+\d+"( t="s")?[^>]*>\s*<v>([^<]*)<\/v>\s*<\/c>/g)].map((c): string | number => (c[1] ? strings[Number(c[2])]! : Number(c[2]))),
  );
}

describe('tables', () => {
  const budget = () => slideTitled('Table 1. Appropriations by Account, FY2022–FY2025');

  it('are native tables, their header row marked as such, with the table’s title as the slide title', () => {
    const slide = budget();
    expect(slide.xml).toContain('<a:tbl>');
    expect(slide.xml).toContain('<a:tblPr firstRow="1" bandRow="1"/>');
    // Never a picture of a table.
    expect(slide.xml).not.toContain('<p:pic>');
  });

  it('set the header bold, numbers right-aligned, footnote marks raised, the total bold under a rule', () => {
    const rows = tableOf(budget());
    const data = csv('budget-by-account.csv');
    const columns = brief.tables.find((t) => t.id === 'budget-by-account')!.columns!;
    expect(rows.map((r) => r.map((c) => c.text))).toEqual(data.map((r) => r.map(printed)));
    for (const cell of rows[0]!) expect(cell.bold, cell.text).toBe(true);
    for (const [r, row] of rows.entries()) {
      for (const [c, cell] of row.entries()) {
        expect(cell.align, `${cell.text}`).toBe(columns[c]!.align === 'left' ? 'l' : 'r');
        expect(cell.superscripts, cell.text).toEqual(r === 0 ? [] : marks(data[r]![c]!));
      }
    }
    const total = rows[rows.length - 1]!;
    for (const cell of total) {
      expect(cell.bold, cell.text).toBe(true);
      expect(cell.ruleAbove, cell.text).toBeGreaterThan(0);
    }
    for (const row of rows.slice(1, -1)) for (const cell of row) expect(cell.bold, cell.text).toBe(false);
  });

  it('put the source, notes and footnotes under the table and in the notes', () => {
    const slide = budget();
    const table = brief.tables.find((t) => t.id === 'budget-by-account')!;
    const lines = ['Source: Synthetic data for testing.', `Notes: ${table.notes!}`, ...table.footnotes!.map((f) => `${f.mark}. ${f.text}`)];
    expect(slide.paragraphs.slice(-lines.length)).toEqual(lines);
    for (const line of lines) expect(slide.notes).toContain(line);
  });

  it('continue a long table on “(cont.)” slides, the header row on each, every row once and in order', () => {
    const slides = slidesTitled('Table 2. Grants Awarded by Year, 1986–2025');
    expect(slides.length).toBeGreaterThan(1);
    expect(slides.slice(1).map((s) => s.title)).toEqual(slides.slice(1).map(() => 'Table 2. Grants Awarded by Year, 1986–2025 (cont.)'));
    const [header, ...rows] = csv('grants-by-year.csv');
    const parts = slides.map(tableOf);
    for (const part of parts) {
      expect(part[0]!.map((c) => c.text)).toEqual(header);
      for (const cell of part[0]!) expect(cell.bold).toBe(true);
      expect(part.length).toBeGreaterThan(1);
    }
    expect(parts.flatMap((part) => part.slice(1).map((row) => row.map((c) => c.text)))).toEqual(rows);
    // The source line goes under the last part only.
    expect(slides.map((s) => s.paragraphs.includes('Source: Synthetic data for testing.'))).toEqual(slides.map((_, i) => i === slides.length - 1));
  });
});

describe('a column label with a footnote mark', () => {
  it('prints the mark raised in the header, not as typed', async () => {
    const { dir } = copyBrief(everyElementDir, (y) => y.replace('      - { column: Account, align: left }', '      - { column: Account, align: left, label: "Account^a" }'));
    const marked = await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
    const slide = marked.slides.find((s) => s.title.startsWith('Table 1.'))!;
    const header = tableOf(slide)[0]!;
    expect(header[0]).toMatchObject({ text: 'Accounta', superscripts: ['a'], bold: true });
  });
});

describe('a text box', () => {
  it('gets a slide of its own: its title, its paragraph and bullets as body text, its source line at the foot', () => {
    const slide = slideTitled('How the Program Works');
    const textbox = brief.sections[0]!.blocks.find((b) => b.textbox)!.textbox!;
    const paragraph = textbox.blocks[0]!.paragraph!.replace(/\s+/g, ' ');
    const bullets = textbox.blocks[1]!.bullets!;
    expect(slide.paragraphs).toEqual([paragraph, ...bullets, 'Sources: Synthetic description for testing.']);
    const paragraphs = [...slide.xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)].map((m) => m[1]!);
    const bulleted = (text: string) => /<a:buChar /.test(paragraphs.find((p) => p.includes(`<a:t>${text}</a:t>`))!);
    expect(bulleted(paragraph)).toBe(false);
    for (const bullet of bullets) expect(bulleted(bullet), bullet).toBe(true);
    expect(squash(slide.notes)).toContain(squash(paragraph));
  });
});

describe('pictures', () => {
  const picture = (slide: SlideView) => {
    const pic = /<p:pic>([\s\S]*?)<\/p:pic>/.exec(slide.xml)?.[1];
    if (pic === undefined) throw new Error(`no picture on "${slide.title}"`);
    const ext = /<a:ext cx="(\d+)" cy="(\d+)"\/>/.exec(pic)!;
    return { xml: pic, descr: decodeXml(/<p:cNvPr [^>]*descr="([^"]*)"/.exec(pic)![1]!), cx: Number(ext[1]), cy: Number(ext[2]) };
  };
  const pngSize = (png: Uint8Array) => ({ width: Buffer.from(png).readUInt32BE(16), height: Buffer.from(png).readUInt32BE(20) });

  it('place each image figure with its alt text, its aspect ratio kept, centred in the chart area', async () => {
    for (const [title, id, ratio] of [
      ['Figure 3. From Appropriation to Award', 'grant-process', 520 / 200],
      ['Figure 4. Where Recipients Are Located', 'award-map', 640 / 400],
    ] as const) {
      const shown = picture(slideTitled(title));
      expect(shown.descr).toBe(brief.figures.find((f) => f.id === id)!.alt);
      expect(shown.cx / shown.cy).toBeCloseTo(ratio, 2);
    }
  });

  it('give an SVG a PNG fallback drawn from it (not pptxgenjs’s broken-image placeholder), at the fallback resolution', async () => {
    const slide = slideTitled('Figure 3. From Appropriation to Award');
    const shown = picture(slide);
    const [png, svg] = [/<a:blip r:embed="(rId\d+)"/, /<asvg:svgBlip [^>]*r:embed="(rId\d+)"/].map((re) => {
      const id = re.exec(shown.xml)![1]!;
      return posix.normalize(posix.join('ppt/slides', new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(slide.rels)![1]!));
    });
    expect(svg).toMatch(/\.svg$/);
    const zip = await JSZip.loadAsync(bytes);
    expect(await zip.files[svg!]!.async('uint8array')).toEqual(new Uint8Array(fs.readFileSync(path.join(everyElementDir, 'grant-process.svg'))));
    const size = pngSize(await zip.files[png!]!.async('uint8array'));
    const dpi = sharedContext().theme.deck.image.fallbackDpi;
    expect(size.width).toBe(Math.round((shown.cx / 914400) * dpi));
    expect(size.width / size.height).toBeCloseTo(520 / 200, 1);
  });
});

describe('charts', () => {
  it('stack the bars of a stacked chart, each series in its color, the chart’s numbers in its cache and its workbook', async () => {
    const chart = chartOf(slideTitled('Figure 1. Awards by Region, 2018–2025'));
    expect([...chart.groups.keys()]).toEqual(['barChart']);
    expect(chart.xml).toContain('<c:grouping val="stacked"/>');
    expect(chart.xml).toContain('<c:overlap val="100"/>');
    const [header, ...rows] = csv('awards-by-region.csv');
    const series = chart.groups.get('barChart')!;
    expect(series.map((s) => s.name)).toEqual(header!.slice(1));
    const palette = sharedContext().theme.colors.chartSeries;
    series.forEach((s, i) => {
      expect(s.categories).toEqual(rows.map((r) => r[0]));
      expect(s.values).toEqual(rows.map((r) => Number(r[i + 1])));
      expect(s.xml, s.name).toMatch(new RegExp(`^[\\s\\S]*?<c:spPr>\\s*<a:solidFill><a:srgbClr val="${palette[i]!.slice(1).toUpperCase()}"/>`));
    });
    expect(chart.xml).toMatch(/<c:legend>/);
    expect(await workbookOf(chart.part)).toEqual([['', ...header!.slice(1)], ...rows.map(asNumbers)]);
  });

  it('draw a combination chart as bars and lines on one pair of axes, with the reference line as a dashed series', async () => {
    const chart = chartOf(slideTitled('Figure 2. Exports, Imports and the Trade Balance, 2006–2025'));
    expect([...chart.groups.keys()]).toEqual(['barChart', 'lineChart']);
    const [, ...rows] = csv('trade-balance.csv');
    const bars = chart.groups.get('barChart')!;
    const lines = chart.groups.get('lineChart')!;
    expect(chart.xml).toContain('<c:grouping val="clustered"/>');
    expect(bars.map((s) => s.name)).toEqual(['Exports', 'Imports']);
    expect(bars.map((s) => s.values)).toEqual([rows.map((r) => Number(r[1])), rows.map((r) => Number(r[2]))]);
    expect(lines.map((s) => s.name)).toEqual(['Trade balance', '−$100 billion']);
    expect(lines[0]!.values).toEqual(rows.map((r) => Number(r[3])));
    expect(lines[1]!.values).toEqual(rows.map(() => -100));
    for (const s of [...bars, ...lines]) expect(s.categories).toEqual(rows.map((r) => r[0]));
    // Both groups on the same axes, so the lines are read off the bars' value axis.
    const axes = (group: string) => [...new RegExp(`<c:${group}>[\\s\\S]*?</c:${group}>`).exec(chart.xml)![0].matchAll(/<c:axId val="(\d+)"\/>/g)].map((m) => m[1]).slice(0, 2);
    expect(axes('lineChart')).toEqual(axes('barChart'));
    expect(chart.xml.match(/<c:valAx>/g)).toHaveLength(1);
    // A valid line group: grouping, no invertIfNegative, the marker before the labels.
    const lineGroup = /<c:lineChart>([\s\S]*?)<\/c:lineChart>/.exec(chart.xml)![1]!;
    expect(lineGroup).toMatch(/^<c:grouping val="standard"\/>/);
    expect(lineGroup).not.toContain('invertIfNegative');
    for (const s of lines) expect(s.xml.indexOf('<c:marker>'), s.name).toBeLessThan(s.xml.indexOf('<c:dLbls>'));
    const lineColor = (s: SeriesView) => /<a:ln\b[^>]*>\s*<a:solidFill><a:srgbClr val="(\w+)"/.exec(s.xml)![1];
    expect(/<c:marker>[\s\S]*?<a:srgbClr val="(\w+)"/.exec(lines[0]!.xml)![1]).toBe(lineColor(lines[0]!));
    expect(lines[0]!.xml).toContain('<a:prstDash val="solid"/>');
    expect(lines[1]!.xml).toContain('<a:prstDash val="dash"/>');
    expect(lines[1]!.xml).toContain('<c:marker><c:symbol val="none"/></c:marker>');
    expect(lineColor(lines[1]!)).toBe(sharedContext().theme.chart.annotation.line.slice(1).toUpperCase());
    // Edit Data opens every series, the reference line's too.
    const workbook = await workbookOf(chart.part);
    expect(workbook[0]).toEqual(['', 'Exports', 'Imports', 'Trade balance', '−$100 billion']);
    expect(workbook.slice(1)).toEqual(rows.map((r) => [...asNumbers(r), -100]));
  });

  it('name a chart’s shaded ranges under it, before the source', () => {
    expect(slideTitled('Figure 2. Exports, Imports and the Trade Balance, 2006–2025').paragraphs).toContain('Recession: 2008–2009, 2020. Source: Synthetic data for testing.');
  });

  it('are the same bytes every build (no random colors, no clock)', async () => {
    const again = artifact(expectBuilt(await build(everyElementDir, ['pptx'])), 'pptx');
    expect(again.equals(bytes)).toBe(true);
  }, 60_000);
});

describe('sub-sections', () => {
  const kickerOf = (slide: SlidePlan) =>
    slide.shapes.find((s): s is TextShape => s.kind === 'text' && s.box.y === sharedContext().theme.deck.content.kicker.y)?.text;

  it('get slides of their own, titled with their heading, the parent section’s heading above as a kicker', () => {
    const titles = planned.slides.map(slideTitle);
    const kicked = planned.slides.filter((s) => kickerOf(s) !== undefined).map(slideTitle);
    // A figure cited in brackets is titled with the sentence that cites it (the takeaway), its caption under it.
    expect(kicked).toEqual(['Awards by Region', 'Every region received more each year', 'Trade Context', 'Exports and imports both grew, and the balance stayed negative']);
    for (const slide of planned.slides.filter((s) => kickerOf(s) !== undefined)) expect(kickerOf(slide)).toBe('Awards over Time');
    expect(titles.indexOf('Awards by Region')).toBeGreaterThan(titles.indexOf('Awards over Time'));
    // The kicker is on the slide, after the title in reading order.
    expect(slideTitled('Awards by Region').paragraphs[0]).toBe('Awards over Time');
  });
});

describe('the plan', () => {
  it('plans the slides the deck has, with the same titles, each written at its fitted size', () => {
    expect(planned.slides.map(slideTitle)).toEqual(deck.slides.map((s) => s.title));
    planned.slides.forEach((slide, i) => {
      const fitted = slide.shapes.find((s) => s.kind === 'title');
      const title = [...deck.slides[i]!.xml.matchAll(/<p:sp>([\s\S]*?)<\/p:sp>/g)].map((m) => m[1]!).find((sp) => /<p:ph[^>]*type="title"/.test(sp))!;
      expect(/<a:rPr [^>]*sz="(\d+)"/.exec(title)![1], slideTitle(slide)).toBe(String((fitted?.kind === 'title' ? fitted.fontSize : 0) * 100));
    });
  });

  it('keeps every box above the footer rule', () => {
    const { footer } = sharedContext().theme.deck;
    for (const [i, slide] of planned.slides.entries()) {
      for (const shape of slide.shapes) if ('box' in shape) expect(shape.box.y + shape.box.h, `slide ${i + 1} (${slideTitle(slide)}): ${shape.kind}`).toBeLessThanOrEqual(footer.y - footer.ruleAbove + 1e-9);
    }
  });

  it('fits each body box’s text at its size, as measured', () => {
    const { deck: theme } = sharedContext().theme;
    const fitter = new TextFitter(sharedContext().fonts, theme.text);
    for (const body of planned.slides.flatMap((s) => s.shapes.filter((shape): shape is BodyShape => shape.kind === 'body'))) {
      expect(fitter.fits(body.paragraphs, body.fontSize, body.box, (p) => (p.bullet ? theme.text.bulletIndent : 0), body.paragraphSpaceAfter), body.paragraphs[0]?.runs[0]?.text).toBe(true);
    }
  });

  it('gives a table the content width, each column at least its minimum, and rows as tall as measured', () => {
    const { deck: theme } = sharedContext().theme;
    const tables = planned.slides.flatMap((s) => s.shapes.filter((shape): shape is TableShape => shape.kind === 'table'));
    expect(tables.length).toBeGreaterThan(2);
    for (const table of tables) {
      expect(table.columnWidths.reduce((a, b) => a + b, 0)).toBeCloseTo(theme.width - 2 * theme.content.marginX, 6);
      for (const w of table.columnWidths) expect(w).toBeGreaterThanOrEqual(theme.table.minColumnWidth - 1e-9);
      expect(table.rowHeights.reduce((a, b) => a + b, 0)).toBeCloseTo(table.box.h, 9);
      expect(table.fontSize).toBeGreaterThanOrEqual(theme.table.minSize);
    }
  });
});

describe('an SVG picture’s PNG fallback', () => {
  const families = { sans: 'Arimo, Noto Sans JP', serif: 'Tinos, Noto Sans JP' };

  it('draws the SVG’s text in the theme’s fonts, then its fallback fonts, never a system font', () => {
    expect(
      withThemeFonts(
        '<g font-family="Arial, sans-serif"><text style="font-family: \'Times New Roman\', serif; fill: red">x</text><text font-family=\'Georgia\'>y</text><text style="font: bold 12px/1.5 \'Comic Sans MS\', cursive">z</text><text style="font: 700 12px Georgia">w</text></g>',
        families,
      ),
    ).toBe(
      '<g font-family="Arimo, Noto Sans JP"><text style="font-family: Tinos, Noto Sans JP; fill: red">x</text><text font-family=\'Tinos, Noto Sans JP\'>y</text><text style="font: bold 12px/1.5 Arimo, Noto Sans JP">z</text><text style="font: 700 12px Tinos, Noto Sans JP">w</text></g>',
    );
  });

  it('gives the root the fallback’s size in pixels, a viewBox to scale by, and the theme’s sans for text that names no family', () => {
    const size = { width: 400, height: 200 };
    expect(fallbackSvg('\uFEFF<?xml version="1.0"?>\n<!-- a <svg> in a comment --><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><text>x</text></svg>', size, families)).toBe(
      '\uFEFF<?xml version="1.0"?>\n<!-- a <svg> in a comment --><svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 200 100" font-family="Arimo, Noto Sans JP"><text>x</text></svg>',
    );
    // Without a viewBox, one from its own width and height (in pixels: SVG user units); a root's own family stays.
    expect(fallbackSvg(`<svg width="150pt" height='75pt' font-family="serif"/>`, size, families)).toBe('<svg font-family="Tinos, Noto Sans JP" width="400" height="200" viewBox="0 0 200 100"/>');
    expect(fallbackSvg('<svg xmlns="http://www.w3.org/2000/svg" width="1000000000" height="500000000"></svg>', size, families)).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 1000000000 500000000" font-family="Arimo, Noto Sans JP"></svg>',
    );
  });

  /** The fallback PNG of each picture slide, by the slide's title, with the picture's size on the slide (EMU). */
  async function fallbacks(pptx: Buffer): Promise<Map<string, { png: Buffer; cx: number; cy: number }>> {
    const shown = await readDeck(pptx);
    const zip = await JSZip.loadAsync(pptx);
    const out = new Map<string, { png: Buffer; cx: number; cy: number }>();
    for (const slide of shown.slides) {
      const pic = /<p:pic>([\s\S]*?)<\/p:pic>/.exec(slide.xml)?.[1];
      if (pic === undefined) continue;
      const id = /<a:blip r:embed="(rId\d+)"/.exec(pic)![1]!;
      const target = posix.normalize(posix.join('ppt/slides', new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`).exec(slide.rels)![1]!));
      const ext = /<a:ext cx="(\d+)" cy="(\d+)"\/>/.exec(pic)!;
      out.set(slide.title, { png: Buffer.from(await zip.files[target]!.async('uint8array')), cx: Number(ext[1]), cy: Number(ext[2]) });
    }
    return out;
  }

  const red = '<rect width="200" height="100" fill="#FF0000"/>';
  const svgs: Readonly<Record<string, string>> = {
    // A viewBox alone, the commonest export, with a style sheet, references, a nested SVG, a byte order mark, nothing at all.
    style: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><style>.a{fill:green;font-family:Comic Sans MS;font-size:20px}</style><rect class="a" x="10" y="10" width="80" height="30"/><text class="a" x="10" y="80">Styled text</text></svg>',
    useref: '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 200 100"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></linearGradient><rect id="r" width="50" height="20"/></defs><use xlink:href="#r" x="10" y="10" fill="url(#g)"/></svg>',
    nested: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><svg x="10" y="10" width="50" height="50" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="red"/></svg></svg>',
    bom: '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="50" height="20"/></svg>',
    empty: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"></svg>',
    // Filled edge to edge: the drawing scales to the fallback, whatever size the SVG says it is.
    red: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100">${red}</svg>`,
    huge: '<svg xmlns="http://www.w3.org/2000/svg" width="1000000000" height="500000000"><rect width="1000000000" height="500000000" fill="#FF0000"/></svg>',
    // So thin that one side rounds to no pixels.
    thin: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10000 1"><rect width="10000" height="1" fill="red"/></svg>',
    thinsized: '<svg xmlns="http://www.w3.org/2000/svg" width="10000" height="1" viewBox="0 0 10000 1"><rect width="10000" height="1" fill="red"/></svg>',
    tall: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 10000"><rect width="1" height="10000" fill="red"/></svg>',
  };

  it('draws every SVG shape at the planned size, at least a pixel each way, its drawing scaled to fill it', async () => {
    const pptx = artifact(expectBuilt(await build(svgBrief(svgs).dir, ['pptx'])), 'pptx');
    const shown = await fallbacks(pptx);
    const dpi = sharedContext().theme.deck.image.fallbackDpi;
    expect([...shown.keys()]).toEqual(Object.keys(svgs).map((name, i) => `Figure ${i + 1}. ${name}`));
    for (const [title, { png, cx, cy }] of shown) {
      const image = PNG.sync.read(png);
      expect([image.width, image.height], title).toEqual([Math.max(1, Math.round((cx / 914400) * dpi)), Math.max(1, Math.round((cy / 914400) * dpi))]);
    }
    for (const name of ['red', 'huge']) {
      const image = PNG.sync.read(shown.get(`Figure ${Object.keys(svgs).indexOf(name) + 1}. ${name}`)!.png);
      for (const [x, y] of [[1, 1], [image.width - 2, image.height - 2], [image.width >> 1, image.height >> 1]] as const) {
        const at = (y * image.width + x) * 4;
        expect([...image.data.subarray(at, at + 4)], `${name} at ${x},${y}`).toEqual([255, 0, 0, 255]);
      }
    }
  }, 60_000);

  it('is the same PNG whatever fonts the system has: text naming no family, Japanese and Korean, the font shorthand', async () => {
    const glyphs =
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100"><text x="10" y="30">Plain text, no family</text>' +
      '<text x="10" y="60" font-family="Arial" font-weight="bold">Ünïcödé 日本語 한국어</text><text x="10" y="90" style="font: 14px \'Comic Sans MS\'">Shorthand 日本 한국</text></svg>';
    const { root } = svgBrief({ glyphs });
    // A fontconfig configuration that knows no font directory: only the fonts the build registers exist.
    const conf = path.join(root, 'no-fonts.conf');
    fs.writeFileSync(conf, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><cachedir>${root}/fontconfig-cache</cachedir></fontconfig>\n`);
    const pngs: Buffer[] = [];
    const envs: Array<Record<string, string>> = [{}, { FONTCONFIG_FILE: conf }];
    for (const [i, env] of envs.entries()) {
      const out = path.join(root, `out${i}`);
      const run = runCli(['--data', root, '--out', out, '--format', 'pptx'], { env });
      expect(run.code, run.stderr).toBe(0);
      pngs.push([...(await fallbacks(fs.readFileSync(path.join(out, 'IF99001.pptx')))).values()][0]!.png);
    }
    expect(pngs[1]!.equals(pngs[0]!)).toBe(true);
  }, 120_000);

  it('leaves the chart stage’s fonts as they were: a chart drawn after the deck is drawn as before', async () => {
    // A context of its own, so its chart canvases are made (and their fonts registered) here.
    const context = createContext();
    const pdf = async () => artifact(expectBuilt(await buildBrief(sampleDir, context, { formats: new Set(['pdf']) })), 'pdf');
    const before = await pdf();
    expectBuilt(await buildBrief(svgBrief({ red: svgs['red']! }).dir, context, { formats: new Set(['pptx']) }));
    expect((await pdf()).equals(before)).toBe(true);
  }, 60_000);
});

/** A brief of its own in a temp folder (briefs/IF99001/) with one SVG figure per entry, each on a slide titled "Figure N. <name>". */
function svgBrief(svgs: Readonly<Record<string, string>>): { root: string; dir: string } {
  const root = tempDir();
  const dir = path.join(root, 'briefs', 'IF99001');
  fs.mkdirSync(dir, { recursive: true });
  const names = Object.keys(svgs);
  const yaml = [
    'id: IF99001',
    'series: In Focus',
    'title: SVG Pictures',
    'updated: "2026-03-02"',
    'version: 1',
    'language: en-US',
    'publisher:',
    '  name: Congressional Research Service',
    '  url: https://crsreports.congress.gov',
    'authors:',
    '  - name: Test Author',
    '    title: Analyst',
    'disclaimer: This is a test.',
    'sections:',
    '  - heading: Pictures',
    '    blocks:',
    '      - paragraph: Pictures follow.',
    ...names.map((name) => `      - figure: ${name}`),
    'figures:',
    ...names.flatMap((name) => [`  - id: ${name}`, `    title: ${name}`, `    alt: The ${name} picture.`, `    image: ${name}.svg`]),
  ];
  fs.writeFileSync(path.join(dir, 'brief.yaml'), yaml.join('\n') + '\n');
  for (const [name, svg] of Object.entries(svgs)) fs.writeFileSync(path.join(dir, `${name}.svg`), svg);
  return { root, dir };
}

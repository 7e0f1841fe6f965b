// The deck slide by slide, through its XML and its plan. How LibreOffice lays it
// out is checked in test/libreoffice.slow.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChartArtifact } from '../pipeline/charts/charts.ts';
import { compose, type ComposedBrief } from '../pipeline/compose/compose.ts';
import { templatesDir } from '../pipeline/core/paths.ts';
import { loadTheme, type Theme } from '../pipeline/core/theme.ts';
import { TextFitter } from '../pipeline/deck/fit.ts';
import type { BodyShape, ChartShape, DeckPlan, SlidePlan } from '../pipeline/deck/model.ts';
import { planDeck, slideTitle } from '../pipeline/deck/plan.ts';
import type { BriefData } from '../pipeline/input/schema.ts';
import { artifact, build, copySample, expectBuilt, longParagraphSections, longSentences, readDeck, runCli, runOnSentence, sampleDir, sharedContext, squash, tempDir, validateDir, writeBrief, type Deck } from './helpers.ts';

let deck: Deck;
let brief: BriefData;
beforeAll(async () => {
  deck = await readDeck(artifact(expectBuilt(await build(sampleDir, ['pptx'])), 'pptx'));
  brief = validateDir(sampleDir).result!.brief;
});

describe('deck content', () => {
  it('opens with the series, title, date and authors', () => {
    const [title] = deck.slides;
    expect(title!.title).toBe('U.S.-Japan Relations');
    expect(title!.paragraphs).toEqual(['IN FOCUS', 'In Focus IF10199 · Updated May 14, 2019', 'Emma Chanlett-Avery · Mark E. Manyin · Brock R. Williams']);
  });

  it('lists the brief’s summary on the key points slide and each section’s key points on its slide', () => {
    expect(deck.slides[1]!.paragraphs).toEqual(brief.summary);
    for (const section of brief.sections.filter((s) => s.keyPoints)) {
      const slide = deck.slides.find((s) => s.title === (section.heading ?? 'Overview'))!;
      expect(slide.paragraphs, section.heading).toEqual(section.keyPoints);
      for (const block of section.blocks) if (block.paragraph) expect(squash(slide.notes)).toContain(squash(block.paragraph));
    }
  });

  it('builds the chart from the figure’s data: series name, colors, number format, axis title, category order', () => {
    const chart = deck.files.get('ppt/charts/chart1.xml')!;
    expect(chart).toMatch(/<c:tx>[\s\S]*?<c:v>Total trade, 2017<\/c:v>/);
    expect(chart).toContain('<c:barDir val="bar"/>');
    expect(chart).toContain('<c:orientation val="maxMin"/>');
    expect(chart).toMatch(/<c:dLbls>[\s\S]*?formatCode="#,##0\.0"/);
    expect(chart).toMatch(/<c:valAx>[\s\S]*?<a:t>\$ billions<\/a:t>/);
    expect(chart).toContain(`<a:srgbClr val="${sharedContext().theme.colors.chartSeries[0]!.slice(1).toUpperCase()}"`);
    // Edit Data works from the embedded workbook the chart points at.
    expect(deck.files.get('ppt/charts/_rels/chart1.xml.rels')).toMatch(/Target="\.\.\/embeddings\/Microsoft_Excel_Worksheet1\.xlsx"/);
    expect(deck.names).toContain('ppt/embeddings/Microsoft_Excel_Worksheet1.xlsx');
  });

  it('makes the related reports working hyperlinks', () => {
    const slide = deck.slides.find((s) => s.title === 'Additional information')!;
    const ids = [...slide.xml.matchAll(/<a:hlinkClick r:id="(rId\d+)"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(brief.relatedReports.length);
    for (const [i, id] of ids.entries()) {
      expect(slide.rels).toMatch(new RegExp(`Id="${id}"[^>]*Target="${brief.relatedReports[i]!.url.replace(/[.]/g, '\\.')}"[^>]*TargetMode="External"`));
    }
  });

  it('without key points, shows sentences of the section (whole, or a head ending in “…”), at most five', async () => {
    const { dir } = copySample((y) => y.replace(/\n {2}- keyPoints:\n( {6}- .*\n)+ {4}blocks:/g, '\n  - blocks:').replace(/\n {4}keyPoints:\n( {6}- .*\n)+/g, '\n').replace(/\nsummary:\n( {2}- .*\n)+/, '\n'));
    const plain = await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
    const section = brief.sections[2]!;
    const text = section.blocks.map((b) => b.paragraph!.replace(/\s+/g, ' ')).join(' ');
    const slide = plain.slides.find((s) => s.title === section.heading)!;
    expect(slide.paragraphs.length).toBeGreaterThan(0);
    expect(slide.paragraphs.length).toBeLessThanOrEqual(5);
    for (const bullet of slide.paragraphs) expect(text, bullet).toContain(bullet.replace(/…$/, ''));
  });
});

/** A brief composed as the build composes it, real charts included. */
async function composeDir(dir: string): Promise<ComposedBrief> {
  const validated = validateDir(dir);
  if (!validated.result) throw new Error(validated.diagnostics.map((d) => d.message).join('\n'));
  const { brief: data, figureData } = validated.result;
  const charts = new Map<string, ChartArtifact>();
  for (const figure of data.figures) charts.set(figure.id, await sharedContext().charts.render(figure.id, figure.chart!, figureData.get(figure.id)!, data.language));
  return compose({ brief: data, charts, tables: new Map(), images: new Map(), templates: sharedContext().templates });
}

const plan = (composed: ComposedBrief, theme: Theme = sharedContext().theme): DeckPlan => planDeck(composed, theme, sharedContext().fonts);
const bodiesOf = (slides: readonly SlidePlan[]) => slides.flatMap((s) => s.shapes.filter((shape): shape is BodyShape => shape.kind === 'body'));
const notesText = (slide: SlidePlan) => (slide.notes ?? []).map((r) => r.text).join('');
const boxesOf = (slide: SlidePlan) => slide.shapes.flatMap((shape) => ('box' in shape ? [shape] : []));
const longPoint = (i: number) => `Point ${i}: ${'the trade talks continue while both governments weigh tariffs on autos and farm goods '.repeat(3).trim()}.`;

describe('deck plan (the layout as data, before anything is drawn)', () => {
  let sample: ComposedBrief;
  let planned: DeckPlan;
  let long: DeckPlan;
  const longPoints = Array.from({ length: 8 }, (_, i) => longPoint(i + 1));
  beforeAll(async () => {
    sample = await composeDir(sampleDir);
    planned = plan(sample);
    const { dir } = copySample((y) =>
      y.replace(/(  - heading: Regional Relations\n {4}keyPoints:\n)( {6}- .*\n)+/, `$1${longPoints.map((p) => `      - "${p}"\n`).join('')}`),
    );
    long = plan(await composeDir(dir));
  });

  it('plans the slides the rendered deck has, with the same titles', () => {
    expect(planned.slides).toHaveLength(deck.slides.length);
    expect(planned.slides.map(slideTitle)).toEqual(deck.slides.map((s) => s.title));
  });

  it('keeps every box above the footer rule', () => {
    const { footer } = sharedContext().theme.deck;
    for (const slides of [planned.slides, long.slides]) {
      for (const [i, slide] of slides.entries()) {
        for (const shape of boxesOf(slide)) expect(shape.box.y + shape.box.h, `slide ${i + 1}: ${shape.kind}`).toBeLessThanOrEqual(footer.y - footer.ruleAbove);
      }
    }
  });

  it('chooses for each body box a size at which its text fits, as measured', () => {
    const { deck: theme } = sharedContext().theme;
    const fitter = new TextFitter(sharedContext().fonts, theme.text);
    for (const body of bodiesOf([...planned.slides, ...long.slides])) {
      const indent = body.paragraphs[0]?.bullet ? theme.text.bulletIndent : 0;
      expect(fitter.fits(body.paragraphs, body.fontSize, body.box, indent), body.paragraphs[0]?.runs[0]?.text).toBe(true);
    }
  });

  it('continues a long section on “(cont.)” slides at the minimum size, every point once and in order', () => {
    const slides = long.slides.filter((s) => slideTitle(s).startsWith('Regional Relations'));
    expect(slides.length).toBeGreaterThan(1);
    expect(slides.map(slideTitle)).toEqual(['Regional Relations', ...slides.slice(1).map(() => 'Regional Relations (cont.)')]);
    const bodies = bodiesOf(slides);
    for (const body of bodies) expect(body.fontSize).toBe(sharedContext().theme.deck.text.body.minSize);
    expect(bodies.flatMap((b) => b.paragraphs.map((p) => p.runs.map((r) => r.text).join('')))).toEqual(longPoints);
  });

  it('puts a figure on a chart slide right after its section, with its alt text, data and notes', () => {
    const section = sample.deck.sections.find((s) => s.exhibits.some((e) => e.kind === 'figure'))!;
    const figure = section.exhibits.find((e) => e.kind === 'figure')!;
    const at = planned.slides.findIndex((s) => slideTitle(s) === figure.title);
    expect(slideTitle(planned.slides[at - 1]!)).toMatch(new RegExp(`^${section.title.replace(/[.]/g, '\\.')}( \\(cont\\.\\))?$`));
    const chart = planned.slides[at]!.shapes.find((s): s is ChartShape => s.kind === 'chart')!;
    expect(chart.altText).toBe(figure.figure.alt);
    expect(chart.altText).toMatch(/^Horizontal bar chart of total U\.S\. trade/);
    expect(chart.series.map((s) => [...s.labels])).toEqual([['China', 'Canada', 'Mexico', 'Japan', 'Germany']]);
    expect(chart.language).toBe('en-US');
    expect(notesText(planned.slides[at]!)).toBe(figure.notes.map((r) => r.text).join(''));
  });

  it('takes every position from the theme: with wider margins, no box reaches into them', () => {
    const theme = sharedContext().theme;
    const margin = 1.5;
    const wide: Theme = { ...theme, deck: { ...theme.deck, content: { ...theme.deck.content, marginX: margin } } };
    const widePlan = plan(sample, wide);
    const shapes = [...widePlan.slides.flatMap(boxesOf), ...widePlan.masters.flatMap((m) => m.shapes.filter((s) => s.kind !== 'band'))];
    for (const shape of shapes) {
      expect(shape.box.x, shape.kind).toBeGreaterThanOrEqual(margin);
      expect(shape.box.x + shape.box.w, shape.kind).toBeLessThanOrEqual(theme.deck.width - margin + 1e-9);
    }
  });
});

/** A brief of its own in a temp folder (briefs/IF99001/brief.yaml), from its summary and sections written as YAML. */

describe('a paragraph taller than a slide', () => {
  // A text box paragraph of 36 sentences and a section whose first sentence runs to 2,200
  // characters (its bullet, and with no summary, the first key point): each taller than a slide at 16 pt.
  const sentences = longSentences;
  const runOn = runOnSentence;
  let planned: DeckPlan;
  beforeAll(async () => {
    const dir = writeBrief(longParagraphSections(['  - heading: Second', '    blocks:', '      - paragraph: A short point.']));
    planned = plan(await composeDir(dir));
  });

  const slidesOf = (title: string) => planned.slides.filter((s) => slideTitle(s) === title || slideTitle(s) === `${title} (cont.)`);
  const texts = (slides: readonly SlidePlan[]) => bodiesOf(slides).flatMap((b) => b.paragraphs.map((p) => p.runs.map((r) => r.text).join('')));

  it('fits every body box’s text in its box as measured, above the footer', () => {
    const { deck: theme } = sharedContext().theme;
    const fitter = new TextFitter(sharedContext().fonts, theme.text);
    for (const [i, slide] of planned.slides.entries()) {
      for (const body of bodiesOf([slide])) {
        const fits = fitter.fits(body.paragraphs, body.fontSize, body.box, (p) => (p.bullet ? theme.text.bulletIndent : 0), body.paragraphSpaceAfter);
        expect(fits, `slide ${i + 1} (${slideTitle(slide)})`).toBe(true);
      }
      for (const shape of boxesOf(slide)) expect(shape.box.y + shape.box.h, `slide ${i + 1}: ${shape.kind}`).toBeLessThanOrEqual(theme.footer.y - theme.footer.ruleAbove + 1e-9);
    }
  });

  it('continues a reference paragraph on “(cont.)” slides between sentences, every word once and in order', () => {
    const slides = slidesOf('Resources');
    expect(slides.length).toBeGreaterThan(2);
    expect(slides.map(slideTitle)).toEqual(['Resources', ...slides.slice(1).map(() => 'Resources (cont.)')]);
    const shown = texts(slides);
    const pieces = shown.filter((t) => t.startsWith('Lorem'));
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece).toMatch(/aliqua\.$/);
    expect(pieces.join(' ')).toBe(sentences);
    // Then the list's items (the run-on one broken between words).
    expect(shown.slice(-1)).toEqual(['short']);
    expect(shown.slice(pieces.length, -1).join(' ')).toBe(runOn);
  });

  it('breaks a sentence taller than a slide between words, each piece keeping its bullet', () => {
    const slides = slidesOf('Resources');
    const paragraphs = bodiesOf(slides).flatMap((b) => b.paragraphs);
    const items = paragraphs.filter((p) => !p.runs[0]!.text.startsWith('Lorem'));
    expect(items.length).toBeGreaterThan(2);
    for (const item of items) expect(item.bullet).toBeDefined();
    expect(items.slice(0, -1).map((p) => p.runs.map((r) => r.text).join('')).join(' ')).toBe(runOn);
  });

  it('shows a long text box and a long section by points chosen from their sentences, within a slide’s limits, the whole text in the notes', () => {
    const { points } = sharedContext().theme.deck;
    const slides = slidesOf('Intro');
    expect(slides).toHaveLength(1);
    const shown = texts(slides);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(points.slideBullets);
    expect(shown.join(' ').split(/\s+/).length).toBeLessThanOrEqual(points.slideWords);
    // The one-sentence section after it joins its slide, under its heading.
    expect(shown.slice(-2)).toEqual(['Second', 'A short point.']);
    for (const point of shown.slice(0, -2)) expect(`${runOn}. Second sentence.`).toContain(point.replace(/…$/, ''));
    // The text box's paragraph of 36 sentences gives a few of them; its list stays a list.
    const fromBox = texts(slidesOf('A long box')).filter((t) => t.startsWith('Lorem'));
    expect(fromBox.length).toBeGreaterThan(0);
    expect(fromBox.length).toBeLessThanOrEqual(points.slideBullets);
    for (const point of fromBox) expect(longSentences).toContain(point);
    expect(texts(slidesOf('A long box'))).toContain('short');
    expect(notesText(slidesOf('A long box')[0]!)).toContain(longSentences);
  });
});

describe('key points', () => {
  it('title a second key points slide “Key points (cont.)”', async () => {
    const points = Array.from({ length: 8 }, (_, i) => longPoint(i + 1));
    const { dir } = copySample((y) => y.replace(/\nsummary:\n( {2}- .*\n)+/, `\nsummary:\n${points.map((p) => `  - "${p}"\n`).join('')}`));
    const titles = plan(await composeDir(dir)).slides.map(slideTitle);
    const keyPoints = titles.filter((t) => t.startsWith('Key points'));
    expect(keyPoints.length).toBeGreaterThan(1);
    expect(keyPoints).toEqual(['Key points', ...keyPoints.slice(1).map(() => 'Key points (cont.)')]);
  });
});

describe('slide titles', () => {
  it('writes each title at the size the plan fitted it to, not the master’s (a long heading shrinks to fit)', async () => {
    const heading = 'Regional Relations: Security Cooperation, Trade Negotiations and the Alliance in a Changing Region';
    const { dir } = copySample((y) => y.replace('  - heading: Regional Relations\n', `  - heading: "${heading}"\n`));
    const planned = plan(await composeDir(dir));
    const written = await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
    const fitted = planned.slides.map((s) => s.shapes.find((shape) => shape.kind === 'title')!).map((t) => (t.kind === 'title' ? t.fontSize : 0));
    expect(planned.slides.map(slideTitle)).toContain(heading);
    expect(Math.min(...fitted)).toBeLessThan(sharedContext().theme.deck.content.title.size);
    written.slides.forEach((slide, i) => {
      const title = [...slide.xml.matchAll(/<p:sp>([\s\S]*?)<\/p:sp>/g)].map((m) => m[1]!).find((sp) => /<p:ph[^>]*type="title"/.test(sp))!;
      // The run and the paragraph's end both carry it, so text typed at the end of the title matches.
      const sizes = [...title.matchAll(/<a:(?:rPr|endParaRPr) [^>]*?sz="(\d+)"/g)].map((m) => Number(m[1]));
      expect(sizes.length, slide.title).toBeGreaterThan(0);
      for (const size of sizes) expect(size, slide.title).toBe(fitted[i]! * 100);
    });
  }, 60_000);
});

/** A brief title of 201 characters and a section heading of 108 (issue 15, defect 11: both used to be written at the master's size). */
const longTitle =
  'The United States and Japan in a Changing Region: Security Cooperation, Trade Negotiations, Host-Nation Support, Okinawa Base Realignment, Energy, Technology and the Future of the Alliance Through 2030';
const longHeading = 'Regional Relations: Security Cooperation, Trade Negotiations, Host-Nation Support and the Alliances in Asia.';

describe('very long titles (issue 15, defect 11)', () => {
  it('writes a 108-character section heading and a long brief title at the size the fitter chose, smaller than the masters’ 30 and 40 pt', async () => {
    expect(longHeading).toHaveLength(108);
    const { dir } = copySample((y) => y.replace(/^title: .*$/m, `title: "${longTitle}"`).replace('  - heading: Regional Relations\n', `  - heading: "${longHeading}"\n`));
    const planned = plan(await composeDir(dir));
    const written = await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
    const { deck: sizes } = sharedContext().theme;
    const titleSize = (slide: SlidePlan) => slide.shapes.flatMap((s) => (s.kind === 'title' ? [s.fontSize] : []))[0]!;
    const writtenSizes = (xml: string) => {
      const title = [...xml.matchAll(/<p:sp>([\s\S]*?)<\/p:sp>/g)].map((m) => m[1]!).find((sp) => /<p:ph[^>]*type="title"/.test(sp))!;
      return [...title.matchAll(/<a:(?:rPr|endParaRPr) [^>]*?sz="(\d+)"/g)].map((m) => Number(m[1]) / 100);
    };
    const section = planned.slides.findIndex((s) => slideTitle(s).startsWith('Regional Relations: Security'));
    expect(section).toBeGreaterThan(0);
    for (const [i, master] of [[0, sizes.titleSlide.title.size], [section, sizes.content.title.size]] as const) {
      const fitted = titleSize(planned.slides[i]!);
      expect(fitted, slideTitle(planned.slides[i]!)).toBeLessThan(master);
      expect(fitted).toBeGreaterThanOrEqual(sizes.text.minTitleSize);
      const sz = writtenSizes(written.slides[i]!.xml);
      expect(sz.length).toBeGreaterThan(0);
      for (const size of sz) expect(size, written.slides[i]!.title).toBe(fitted);
    }
  }, 60_000);
});

describe('the deck’s theme', () => {
  const themeWith = (edit: (yaml: string) => string) => {
    const file = path.join(tempDir(), 'theme.yaml');
    const yaml = fs.readFileSync(path.join(templatesDir, 'theme.yaml'), 'utf8');
    const edited = edit(yaml);
    expect(edited).not.toBe(yaml);
    fs.writeFileSync(file, edited);
    return () => loadTheme(file);
  };

  it('refuses a deck length that is not a number, naming its key', () => {
    expect(themeWith((y) => y.replace(/(\n {4}marginX:) 0\.6/, '$1 wide'))).toThrow(/deck\.content\.marginX/);
  });

  it('refuses a deck key it does not know, such as the retired notesFontSize', () => {
    expect(themeWith((y) => y.replace(/\ndeck:\n/, '\ndeck:\n  notesFontSize: 12\n'))).toThrow(/deck.*notesFontSize/);
  });
});

describe('the deck’s language', () => {
  it('tags the deck’s text with the brief’s language wherever the sample’s is tagged en-US', async () => {
    const { dir } = copySample((y) => y.replace('language: en-US', 'language: fr-FR'));
    const planned = plan(await composeDir(dir));
    expect(planned.language).toBe('fr-FR');
    expect(planned.slides.flatMap((s) => s.shapes.filter((shape) => shape.kind === 'chart')).map((c) => c.language)).toEqual(['fr-FR']);
    const french = await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
    const tagged = (xml: string | undefined, lang: string) => (xml ?? '').match(new RegExp(`(?<=\\s)lang="${lang}"`, 'g'))?.length ?? 0;
    let english = 0;
    for (const [name, xml] of deck.files) {
      expect(tagged(french.files.get(name), 'fr-FR'), name).toBe(tagged(xml, 'en-US'));
      expect(tagged(french.files.get(name), 'en-US'), name).toBe(0);
      english += tagged(xml, 'en-US');
    }
    expect(english).toBeGreaterThan(0);
    // Notes and the chart are tagged too: proofing and screen readers read them.
    expect(tagged(french.files.get('ppt/notesSlides/notesSlide2.xml'), 'fr-FR')).toBeGreaterThan(0);
    expect(tagged(french.files.get('ppt/charts/chart1.xml'), 'fr-FR')).toBeGreaterThan(0);
  }, 60_000);
});

describe('chart colours (issue 15, defect 4)', () => {
  // pptxgenjs 4.0.1 colours a pie slice, a line's marker or a series past the end of the colour list it is given with Math.random().
  const categories = Array.from({ length: 12 }, (_, i) => `Category ${i + 1}`);
  const columns = Array.from({ length: 8 }, (_, j) => `s${j + 1}`);
  const csv = [['name', ...columns].join(','), ...categories.map((c, i) => [c, ...columns.map((_, j) => (i + 1) * (j + 2))].join(','))].join('\n') + '\n';
  const series = (line: (j: number) => boolean = () => false) => columns.map((c, j) => `        - { column: ${c}, label: Series ${j + 1}${line(j) ? ', type: line' : ''} }`);
  const figure = (id: string, type: string, lines: readonly string[], extra: readonly string[] = []) => [
    `  - id: ${id}`,
    `    title: Chart ${id}`,
    '    alt: A chart of many categories.',
    '    source: Test.',
    '    chart:',
    `      type: ${type}`,
    ...extra,
    '      data: many.csv',
    '      categoryColumn: name',
    '      series:',
    ...lines,
  ];
  const figures = [
    figure('pie', 'pie', ['        - { column: s1, label: Share }']),
    figure('bars', 'bar', series()),
    figure('lines', 'line', series()),
    figure('stacked', 'bar', series(), ['      stacked: true']),
    figure('combo', 'bar', series((j) => j >= 4), ['      annotations:', '        - { value: 40, label: Reference }']),
    figure('horizontal', 'bar', series(), ['      orientation: horizontal']),
  ];
  const yaml = ['sections:', '  - heading: Charts', '    blocks:', '      - paragraph: Charts of many categories.', ...figures.map((f) => `      - figure: ${f[0]!.slice('  - id: '.length)}`), 'figures:', ...figures.flat()].join('\n');

  it('gives a deck of a 12-slice pie and bar, line, stacked, combination and horizontal charts of 8 series × 12 categories the same bytes in two processes', async () => {
    const dir = writeBrief(yaml, { 'many.csv': csv });
    const root = path.dirname(path.dirname(dir));
    const decks: Buffer[] = [];
    for (const out of ['one', 'two']) {
      const run = runCli(['--data', root, '--out', path.join(root, out), '--format', 'pptx']);
      expect(run.code, run.stderr).toBe(0);
      decks.push(fs.readFileSync(path.join(root, out, 'IF99001.pptx')));
    }
    const charts = [...(await readDeck(decks[0]!)).files].filter(([name]) => /^ppt\/charts\/chart\d+\.xml$/.test(name));
    expect(charts).toHaveLength(figures.length);
    expect(decks[1]!.equals(decks[0]!)).toBe(true);
  }, 120_000);

  it('colours every pie slice and every series from the theme’s palette, in its order, repeated as often as it takes', async () => {
    const deck = await readDeck(artifact(expectBuilt(await build(writeBrief(yaml, { 'many.csv': csv }), ['pptx'])), 'pptx'));
    const palette = sharedContext().theme.colors.chartSeries.map((c) => c.slice(1).toUpperCase());
    const fill = (xml: string) => /<a:solidFill>\s*<a:srgbClr val="([0-9A-F]{6})"/.exec(xml)?.[1];
    const pie = deck.files.get('ppt/charts/chart1.xml')!;
    const slices = [...pie.matchAll(/<c:dPt>([\s\S]*?)<\/c:dPt>/g)].map((m) => fill(m[1]!));
    expect(slices).toEqual(categories.map((_, i) => palette[i % palette.length]));
    for (const n of [2, 3, 4, 5, 6]) {
      const xml = deck.files.get(`ppt/charts/chart${n}.xml`)!;
      const sers = [...xml.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map((m) => m[1]!);
      const data = sers.filter((ser) => !/<c:v>Reference<\/c:v>/.test(ser));
      expect(data.map((ser) => fill(/<c:spPr>[\s\S]*?<\/c:spPr>/.exec(ser)![0])), `chart ${n}`).toEqual(columns.map((_, j) => palette[j % palette.length]));
      // A line's markers are its line's colour.
      for (const ser of data.filter((s) => s.includes('<c:marker>') && !s.includes('<c:symbol val="none"/>'))) expect(fill(/<c:marker>[\s\S]*?<\/c:marker>/.exec(ser)![0])).toBe(fill(ser));
    }
  }, 60_000);
});

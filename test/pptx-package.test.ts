// The deck opens cleanly: the checks PowerPoint's repair prompt and the shared
// check-pptx tool make, done here with a real XML parser, on the sample and on the
// synthetic brief that uses every content element (tables, pictures, richer charts).
import posix from 'node:path/posix';
import JSZip from 'jszip';
import pptxgenModule from 'pptxgenjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChartArtifact } from '../pipeline/charts/charts.ts';
import { compose } from '../pipeline/compose/compose.ts';
import type { DeckPlan, SlideShape } from '../pipeline/deck/model.ts';
import { fixLineCharts, headerRowTables, noOrphanAxisIds, onePropertiesPerParagraph, setLanguage, uniqueShapeIds } from '../pipeline/deck/package.ts';
import { planDeck } from '../pipeline/deck/plan.ts';
import { drawDeck } from '../pipeline/deck/render.ts';
import { artifact, build, everyElementDir, expectBuilt, isWellFormed, readDeck, sampleDir, sharedContext, validateDir, writeBrief, type Deck } from './helpers.ts';

/** Every XML part of the deck and of each chart's embedded workbook is well-formed (characters XML 1.0 forbids included); returns the workbooks' parts. */
async function expectEveryPartWellFormed(bytes: Uint8Array): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const workbooks = new Map<string, string>();
  const names = Object.keys(zip.files);
  expect(names.filter((n) => n.endsWith('.xlsx')).length).toBeGreaterThan(0);
  for (const name of names) {
    if (/\.(xml|rels)$/.test(name)) {
      const xml = await zip.files[name]!.async('string');
      expect(isWellFormed(xml), name).toBe(true);
    } else if (name.endsWith('.xlsx')) {
      const workbook = await JSZip.loadAsync(await zip.files[name]!.async('uint8array'));
      const parts = Object.keys(workbook.files).filter((n) => /\.(xml|rels)$/.test(n));
      expect(parts.length, name).toBeGreaterThan(0);
      for (const part of parts) {
        const xml = await workbook.files[part]!.async('string');
        expect(isWellFormed(xml), `${name}: ${part}`).toBe(true);
        workbooks.set(`${name}!${part}`, xml);
      }
    }
  }
  return workbooks;
}

const decks = [
  { name: 'the sample (IF10199)', dir: sampleDir, date: '2019-05-14' },
  { name: 'every content element (IF90001)', dir: everyElementDir, date: '2026-03-02' },
];

describe.each(decks)('package of $name', ({ dir, date }) => {
  let bytes: Buffer;
  let deck: Deck;
  beforeAll(async () => {
    bytes = artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx');
    deck = await readDeck(bytes);
  });

  it('has only well-formed XML parts, free of characters XML 1.0 forbids, in the deck and in its charts’ workbooks', async () => {
    await expectEveryPartWellFormed(bytes);
  });

  it('gives every part a content type and overrides only parts that exist', () => {
    const types = deck.files.get('[Content_Types].xml')!;
    const defaults = new Set([...types.matchAll(/<Default Extension="([^"]+)"/g)].map((m) => m[1]!.toLowerCase()));
    const overrides = [...types.matchAll(/<Override PartName="\/([^"]+)"/g)].map((m) => m[1]!);
    for (const part of overrides) expect(deck.names, `override for missing ${part}`).toContain(part);
    for (const name of deck.names.filter((n) => !n.endsWith('/'))) {
      expect(overrides.includes(name) || defaults.has(name.split('.').pop()!.toLowerCase()), `no content type for ${name}`).toBe(true);
    }
  });

  it('resolves every internal relationship', () => {
    for (const [name, xml] of deck.files) {
      if (!name.endsWith('.rels')) continue;
      const base = posix.dirname(posix.dirname(name));
      for (const m of xml.matchAll(/<Relationship [^>]*Target="([^"]+)"[^>]*>/g)) {
        if (/TargetMode="External"/.test(m[0])) continue;
        const target = m[1]!.startsWith('/') ? m[1]!.slice(1) : posix.normalize(posix.join(base, m[1]!));
        expect(deck.names, `${name} → ${target}`).toContain(target);
      }
    }
  });

  it('gives each shape on a slide an id of its own', () => {
    for (const [i, slide] of deck.slides.entries()) {
      const ids = [...slide.xml.matchAll(/<p:cNvPr id="(\d+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size, `slide ${i + 1}`).toBe(ids.length);
    }
  });

  it('names in every chart group only axes the chart defines (PowerPoint repairs a deck that names others: PptxGenJS#1534)', () => {
    const charts = [...deck.files].filter(([name]) => /^ppt\/charts\/chart\d+\.xml$/.test(name));
    expect(charts.length).toBeGreaterThan(0);
    for (const [name, xml] of charts) {
      const defined = new Set([...xml.matchAll(/<c:(?:catAx|valAx|serAx|dateAx)>\s*<c:axId val="(\d+)"\/>/g)].map((m) => m[1]));
      for (const group of xml.matchAll(/<c:(bar|line|pie|area)Chart>([\s\S]*?)<\/c:\1Chart>/g)) {
        const named = [...group[2]!.matchAll(/<c:axId val="(\d+)"\/>/g)].map((m) => m[1]);
        for (const id of named) expect(defined.has(id), `${name}: ${group[1]}Chart names axis ${id}`).toBe(true);
        if (group[1] !== 'pie') expect(named, `${name}: ${group[1]}Chart`).toHaveLength(2);
      }
    }
  });

  it('keeps one paragraph-properties element per paragraph', () => {
    for (const slide of deck.slides) {
      for (const p of slide.xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)) expect((p[1]!.match(/<a:pPr\b/g) ?? []).length).toBeLessThanOrEqual(1);
    }
  });

  it('stores entries with a fixed timestamp and dates from the brief', () => {
    const core = deck.files.get('docProps/core.xml')!;
    expect(core).toContain(`${date}T00:00:00Z`);
    expect(core).not.toMatch(/20[2-9]\d-\d\d-\d\dT(?!00:00:00Z)/);
  });
});

describe('package of the sample (IF10199)', () => {
  let deck: Deck;
  beforeAll(async () => {
    deck = await readDeck(artifact(expectBuilt(await build(sampleDir, ['pptx'])), 'pptx'));
  });

  it('puts every slide title in a title placeholder and alt text on the chart', () => {
    for (const slide of deck.slides) expect(slide.title.length).toBeGreaterThan(0);
    const figure = deck.slides.find((s) => s.title.startsWith('Figure 1'))!;
    expect(figure.xml).toMatch(/<p:cNvPr [^>]*descr="Horizontal bar chart of total U\.S\. trade/);
  });

});

describe('control characters in a chart’s data (issue 15, defect 5)', () => {
  const csv = 'region,Awards\nNorth\u0001east,12\nSou\u000Bth,30\nWest,7\n';
  const yaml = [
    'sections:',
    '  - heading: Awards',
    '    blocks:',
    '      - paragraph: Awards by region.',
    '      - figure: awards',
    'figures:',
    '  - id: awards',
    '    title: Awards by Region',
    '    alt: Bar chart of awards by region.',
    '    source: Test.',
    '    chart:',
    '      type: bar',
    '      data: awards.csv',
    '      categoryColumn: region',
    '      series:',
    '        - { column: Awards, label: Awards }',
  ].join('\n');

  it('a CSV whose category names hold U+0001 and U+000B builds a deck whose every part, and its workbook’s, is well-formed', async () => {
    const dir = writeBrief(yaml, { 'awards.csv': csv });
    const workbooks = await expectEveryPartWellFormed(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
    const strings = [...workbooks].find(([name]) => name.endsWith('!xl/sharedStrings.xml'))![1];
    expect(strings).toContain('<t>Northeast</t>');
    expect(strings).toContain('<t>South</t>');
  });

  it('the deck stage alone removes them from every part, however the data reached it: category and series names, alt text, titles, body text', async () => {
    // Composed from clean data, then the plan's text given forbidden characters: what validation does with a CSV cannot matter here.
    const validated = validateDir(writeBrief(yaml, { 'awards.csv': csv.replace(/[\u0001\u000B]/g, '') })).result!;
    const { theme, fonts, charts: renderer, templates } = sharedContext();
    const charts = new Map<string, ChartArtifact>();
    for (const figure of validated.brief.figures) charts.set(figure.id, await renderer.render(figure.id, figure.chart!, validated.figureData.get(figure.id)!, validated.brief.language));
    const composed = compose({ brief: validated.brief, charts, tables: new Map(), images: new Map(), templates });
    const planned = planDeck(composed, theme, fonts);
    const dirty = (text: string) => `${text}\u0001\u000B\u001F`;
    const shape = (s: SlideShape): SlideShape => {
      switch (s.kind) {
        case 'chart':
          return { ...s, altText: dirty(s.altText), series: s.series.map((series) => ({ ...series, name: dirty(series.name), labels: series.labels.map(dirty) })) };
        case 'title':
        case 'text':
          return { ...s, text: dirty(s.text) };
        case 'body':
          return { ...s, paragraphs: s.paragraphs.map((p) => ({ ...p, runs: p.runs.map((r) => ({ ...r, text: dirty(r.text) })) })) };
        default:
          return s;
      }
    };
    const plan: DeckPlan = { ...planned, properties: { ...planned.properties, title: dirty(planned.properties.title), author: dirty(planned.properties.author) }, slides: planned.slides.map((slide) => ({ ...slide, shapes: slide.shapes.map(shape) })) };
    expect(plan.slides.some((slide) => slide.shapes.some((s) => s.kind === 'chart'))).toBe(true);
    const workbooks = await expectEveryPartWellFormed((await drawDeck(plan, theme)).bytes);
    const strings = [...workbooks].find(([name]) => name.endsWith('!xl/sharedStrings.xml'))![1];
    expect(strings).toContain('<t>Northeast</t>');
    expect(strings).toContain('<t>Awards</t>');
  });
});

describe('package fixes', () => {
  it('keeps one paragraph-properties element per paragraph', () => {
    expect(onePropertiesPerParagraph('<a:p><a:pPr algn="l"/><a:r/><a:pPr marL="0"><a:buNone/></a:pPr><a:r/></a:p>')).toBe('<a:p><a:pPr algn="l"/><a:r/><a:r/></a:p>');
  });

  it('names the brief’s language on every lang attribute pptxgenjs writes, and nothing else', () => {
    // Text content has its quotes escaped, so it never looks like an attribute.
    expect(setLanguage('<a:rPr lang="en-US" altLang="en-US"/><a:t>a lang=&quot;en-US&quot; tag</a:t><a:endParaRPr lang="en-US"/>', 'ja-JP')).toBe(
      '<a:rPr lang="ja-JP" altLang="en-US"/><a:t>a lang=&quot;en-US&quot; tag</a:t><a:endParaRPr lang="ja-JP"/>',
    );
  });

  it('drops the axis id pptxgenjs gives 2-D charts of a series axis it never writes, from every group alike', () => {
    const axes = '<c:catAx><c:axId val="10"/></c:catAx><c:valAx><c:axId val="20"/></c:valAx>';
    expect(noOrphanAxisIds(`<c:barChart><c:axId val="10"/><c:axId val="20"/><c:axId val="30"/></c:barChart><c:lineChart><c:axId val="10"/><c:axId val="20"/><c:axId val="30"/></c:lineChart>${axes}`)).toBe(
      `<c:barChart><c:axId val="10"/><c:axId val="20"/></c:barChart><c:lineChart><c:axId val="10"/><c:axId val="20"/></c:lineChart>${axes}`,
    );
    const threeD = `<c:bar3DChart><c:axId val="10"/><c:axId val="20"/><c:axId val="30"/></c:bar3DChart>${axes}<c:serAx><c:axId val="30"/></c:serAx>`;
    expect(noOrphanAxisIds(threeD)).toBe(threeD);
  });

  it('marks every table’s first row as its header row (pptxgenjs writes a bare <a:tblPr/>: #1299)', () => {
    expect(headerRowTables('<a:tbl><a:tblPr/><a:tblGrid/></a:tbl>')).toBe('<a:tbl><a:tblPr firstRow="1" bandRow="1"/><a:tblGrid/></a:tbl>');
  });

  it('renumbers a shape id seen before on the slide, past every id the slide has', () => {
    expect(uniqueShapeIds('<p:cNvPr id="2"/><p:cNvPr id="5"/><p:cNvPr id="5"/><p:cNvPr id="25"/>')).toBe('<p:cNvPr id="2"/><p:cNvPr id="5"/><p:cNvPr id="26"/><p:cNvPr id="25"/>');
  });

  it('makes pptxgenjs’s line series valid, colors their markers as their lines and dashes the reference lines', () => {
    const series = (idx: number, color: string, marker: string) =>
      `<c:ser><c:idx val="${idx}"/><c:order val="${idx}"/><c:spPr><a:solidFill><a:srgbClr val="${color}"/></a:solidFill><a:ln w="28575" cap="flat"><a:solidFill><a:srgbClr val="${color}"/></a:solidFill><a:prstDash val="solid"/><a:round/></a:ln></c:spPr><c:invertIfNegative val="0"/><c:dLbls><c:showVal val="0"/></c:dLbls><c:marker><c:symbol val="circle"/><c:spPr><a:solidFill><a:srgbClr val="${marker}"/></a:solidFill></c:spPr></c:marker><c:cat/><c:val/></c:ser>`;
    const xml = `<c:lineChart><c:varyColors val="0"/>${series(2, '5B8DB8', '123456')}${series(3, '5A5A5A', '5A5A5A')}<c:marker val="1"/><c:axId val="1"/><c:axId val="2"/></c:lineChart>`;
    expect(fixLineCharts(xml, new Set([3]))).toBe(
      '<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>' +
        '<c:ser><c:idx val="2"/><c:order val="2"/><c:spPr><a:solidFill><a:srgbClr val="5B8DB8"/></a:solidFill><a:ln w="28575" cap="flat"><a:solidFill><a:srgbClr val="5B8DB8"/></a:solidFill><a:prstDash val="solid"/><a:round/></a:ln></c:spPr>' +
        '<c:marker><c:symbol val="circle"/><c:spPr><a:solidFill><a:srgbClr val="5B8DB8"/></a:solidFill></c:spPr></c:marker><c:dLbls><c:showVal val="0"/></c:dLbls><c:cat/><c:val/></c:ser>' +
        '<c:ser><c:idx val="3"/><c:order val="3"/><c:spPr><a:solidFill><a:srgbClr val="5A5A5A"/></a:solidFill><a:ln w="28575" cap="flat"><a:solidFill><a:srgbClr val="5A5A5A"/></a:solidFill><a:prstDash val="dash"/><a:round/></a:ln></c:spPr>' +
        '<c:marker><c:symbol val="none"/></c:marker><c:dLbls><c:showVal val="0"/></c:dLbls><c:cat/><c:val/></c:ser>' +
        '<c:marker val="1"/><c:axId val="1"/><c:axId val="2"/></c:lineChart>',
    );
    // A bar chart is left as pptxgenjs wrote it.
    expect(fixLineCharts('<c:barChart><c:ser><c:invertIfNegative val="0"/></c:ser></c:barChart>')).toBe('<c:barChart><c:ser><c:invertIfNegative val="0"/></c:ser></c:barChart>');
  });
});

describe('taking pptxgenjs’s zip as built', () => {
  it('hands back the zip the deck was built in and each chart workbook as built, lets other zips be written, and puts JSZip back as it was, also when writing fails', async () => {
    const generate = JSZip.prototype.generateAsync;
    const { pptxZip } = await import('../pipeline/deck/package.ts');
    const others: string[] = [];
    const parts = ['[Content_Types].xml', '_rels/.rels', 'docProps/app.xml', 'docProps/core.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/theme/theme1.xml', 'xl/workbook.xml', 'xl/worksheets/_rels/sheet1.xml.rels', 'xl/sharedStrings.xml', 'xl/tables/table1.xml', 'xl/worksheets/sheet1.xml'];
    const { zip, workbooks } = await pptxZip(async () => {
      // A chart's workbook, made of the parts pptxgenjs writes and zipped on the way as base64: taken, a stand-in in its place.
      const workbook = new JSZip();
      workbook.folder('xl/tables');
      for (const part of parts) workbook.file(part, part === 'xl/workbook.xml' ? '<workbook/>' : '<x/>');
      const base64 = await workbook.generateAsync({ type: 'base64' });
      // Any other zip is written: one of other files, and a workbook with a part more.
      const notWorkbook = new JSZip();
      notWorkbook.file('a.txt', 'hello');
      const bigger = new JSZip();
      for (const part of [...parts, 'xl/worksheets/sheet2.xml']) bigger.file(part, '<x/>');
      others.push(await notWorkbook.generateAsync({ type: 'base64' }), await bigger.generateAsync({ type: 'base64' }));
      const deck = new JSZip();
      deck.file('[Content_Types].xml', '<Types/>');
      deck.file('ppt/embeddings/book1.xlsx', base64, { base64: true });
      return deck.generateAsync({ type: 'uint8array' });
    });
    expect(JSZip.prototype.generateAsync).toBe(generate);
    expect(await (await JSZip.loadAsync(others[0]!, { base64: true })).files['a.txt']!.async('string')).toBe('hello');
    expect(Object.keys((await JSZip.loadAsync(others[1]!, { base64: true })).files)).toContain('xl/worksheets/sheet2.xml');
    expect(Object.keys(zip.files)).toEqual(['[Content_Types].xml', 'ppt/', 'ppt/embeddings/', 'ppt/embeddings/book1.xlsx']);
    const standIn = Buffer.from(await zip.files['ppt/embeddings/book1.xlsx']!.async('uint8array')).toString('latin1');
    expect([...workbooks.keys()]).toEqual([standIn]);
    expect(await workbooks.get(standIn)!.files['xl/workbook.xml']!.async('string')).toBe('<workbook/>');
    await expect(pptxZip(() => Promise.reject(new Error('pptxgenjs failed')))).rejects.toThrow('pptxgenjs failed');
    expect(JSZip.prototype.generateAsync).toBe(generate);
    await expect(pptxZip(() => Promise.resolve('no zip'))).rejects.toThrow(/without building a zip/);
  });

  it('gives each of two decks written at once its own zip, the quick one started first, and leaves JSZip as it was', async () => {
    const generate = JSZip.prototype.generateAsync;
    const { pptxZip } = await import('../pipeline/deck/package.ts');
    // As deck/render.ts: the types describe the CommonJS module, Node loads the ES build.
    const PptxGenJS = pptxgenModule as unknown as typeof pptxgenModule.default;
    const deck = (title: string, charts: number) => {
      const pptx = new PptxGenJS();
      const slide = pptx.addSlide();
      slide.addText(title, { x: 1, y: 1, w: 5, h: 1 });
      // A chart's workbook is zipped before the deck is: a deck with charts reaches its own zip later.
      for (let i = 0; i < charts; i++) slide.addChart('bar', [{ name: 's', labels: ['a', 'b'], values: [1, 2] }], { x: 1, y: 2, w: 4, h: 3 });
      return pptx;
    };
    const [quick, slow] = [deck('Deck A', 0), deck('Deck B', 3)];
    const zips = await Promise.all([
      pptxZip(() => quick.write({ outputType: 'uint8array', compression: false })),
      pptxZip(() => slow.write({ outputType: 'uint8array', compression: false })),
    ]);
    const titles = await Promise.all(zips.map(async ({ zip }) => /<a:t>([^<]*)<\/a:t>/.exec(await zip.files['ppt/slides/slide1.xml']!.async('string'))?.[1]));
    expect(titles).toEqual(['Deck A', 'Deck B']);
    expect(Object.keys(zips[1]!.zip.files).filter((name) => name.endsWith('.xlsx'))).toHaveLength(3);
    expect(zips.map(({ workbooks }) => workbooks.size)).toEqual([0, 3]);
    expect(JSZip.prototype.generateAsync).toBe(generate);
    const later = new JSZip();
    later.file('a.txt', 'hello');
    expect((await later.generateAsync({ type: 'uint8array' })).length).toBeGreaterThan(0);
  });
});

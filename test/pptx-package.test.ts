// The deck opens cleanly: the checks PowerPoint's repair prompt and the shared
// check-pptx tool make, done here with a real XML parser, on the sample and on the
// synthetic brief that uses every content element (tables, pictures, richer charts).
import posix from 'node:path/posix';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixLineCharts, headerRowTables, noOrphanAxisIds, onePropertiesPerParagraph, setLanguage, uniqueShapeIds } from '../pipeline/deck/package.ts';
import { artifact, build, everyElementDir, expectBuilt, isWellFormed, readDeck, sampleDir, type Deck } from './helpers.ts';

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
    for (const [name, xml] of deck.files) {
      expect(isWellFormed(xml), name).toBe(true);
      expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml), name).toBe(false); // eslint-disable-line no-control-regex
    }
    const zip = await JSZip.loadAsync(bytes);
    for (const name of Object.keys(zip.files).filter((n) => n.endsWith('.xlsx'))) {
      const workbook = await JSZip.loadAsync(await zip.files[name]!.async('uint8array'));
      const parts = Object.keys(workbook.files).filter((n) => /\.(xml|rels)$/.test(n));
      expect(parts.length, name).toBeGreaterThan(0);
      for (const part of parts) expect(isWellFormed(await workbook.files[part]!.async('string')), `${name}: ${part}`).toBe(true);
    }
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

// The deck slide by slide, through its XML; and, where LibreOffice is installed,
// as LibreOffice lays it out: no text may run past its box into the footer.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstSentence } from '../pipeline/compose/compose.ts';
import { loadBrief } from '../pipeline/input/load.ts';
import type { BriefData } from '../pipeline/input/schema.ts';
import { validateBrief } from '../pipeline/validate/validate.ts';
import { artifact, build, copySample, expectBuilt, readDeck, sampleDir, sharedContext, squash, tempDir, type Deck } from './helpers.ts';

let deck: Deck;
let brief: BriefData;
beforeAll(async () => {
  deck = await readDeck(artifact(expectBuilt(await build(sampleDir, ['pptx'])), 'pptx'));
  brief = validateBrief(loadBrief(sampleDir)).result!.brief;
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

  it('falls back to each paragraph’s first sentence when a section has no key points', async () => {
    const { dir } = copySample((y) => y.replace(/\n {4}keyPoints:\n( {6}- .*\n)+/g, '\n').replace(/\nsummary:\n( {2}- .*\n)+/, '\n'));
    const plain = await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
    const section = brief.sections[2]!;
    const slide = plain.slides.find((s) => s.title === section.heading)!;
    expect(slide.paragraphs).toEqual(section.blocks.map((b) => firstSentence(b.paragraph!)));
  });
});

const soffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();

/** Lays the deck out in LibreOffice and returns, per slide, the lowest baseline of any text above the footer. */
async function renderedTextBottoms(bytes: Buffer): Promise<Array<{ lowest: number; texts: string[] }>> {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'deck.pptx'), bytes);
  execFileSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'deck.pptx')], { stdio: 'pipe', timeout: 120_000 });
  const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(path.join(dir, 'deck.pdf'))), verbosity: 0, isEvalSupported: false }).promise;
  const out: Array<{ lowest: number; texts: string[] }> = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const height = page.view[3]!;
    const items = (await page.getTextContent()).items.flatMap((i) => ('str' in i && i.str.trim() ? [{ text: i.str, top: height - i.transform[5]! }] : []));
    // The footer line sits at 6.87 in; everything the slide itself holds must end above it.
    const body = items.filter((i) => i.top < 6.87 * 72 + 20 && !/IF10199 ·|Congressional Research Service|^\d+$/.test(i.text));
    out.push({ lowest: Math.max(0, ...body.map((i) => i.top)) / 72, texts: body.map((i) => i.text) });
  }
  await doc.destroy();
  return out;
}

describe.runIf(soffice)('text fits its boxes, as LibreOffice lays it out', () => {
  it('keeps every slide of the sample above the footer', async () => {
    const pages = await renderedTextBottoms(artifact(expectBuilt(await build(sampleDir, ['pptx'])), 'pptx'));
    for (const [i, page] of pages.entries()) expect(page.lowest, `slide ${i + 1}`).toBeLessThan(6.87);
  }, 180_000);

  it('shrinks, then continues long sections on “(cont.)” slides, and shortens an overlong title', async () => {
    const longPoint = (i: number) => `Point ${i}: ${'the trade talks continue while both governments weigh tariffs on autos and farm goods '.repeat(3).trim()}.`;
    const longTitle = 'A Very Long Section Heading That Keeps Going To Test How The Deck Fits Titles Into Their Placeholders Without Overflowing At All Ever';
    const { dir } = copySample((y) =>
      y.replace(
        /  - heading: Regional Relations\n {4}keyPoints:\n( {6}- .*\n)+/,
        `  - heading: ${longTitle}\n    keyPoints:\n${Array.from({ length: 8 }, (_, i) => `      - "${longPoint(i + 1)}"\n`).join('')}`,
      ),
    );
    const result = await build(dir, ['pptx']);
    const bytes = artifact(expectBuilt(result), 'pptx');
    const titles = (await readDeck(bytes)).slides.map((s) => s.title);
    expect(titles.filter((t) => t.endsWith('(cont.)')).length).toBeGreaterThanOrEqual(1);
    const pages = await renderedTextBottoms(bytes);
    for (const [i, page] of pages.entries()) expect(page.lowest, `slide ${i + 1}: ${titles[i]}`).toBeLessThan(6.87);
  }, 180_000);
});

// The decks as LibreOffice lays them out (the viewer staff are most likely to
// have besides PowerPoint): the package opens without complaint, with one page per
// slide, and no slide's text runs past its box into the footer, for the sample,
// the brief with every content element, a crafted section long enough to
// shrink its text, continue on "(cont.)" slides and shorten its title, and
// paragraphs taller than a slide.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { artifact, build, copySample, everyElementDir, expectBuilt, longParagraphSections, readDeck, sampleDir, sharedContext, tempDir, writeBrief } from './helpers.ts';
import { itWith } from './tools.ts';

const it = itWith('soffice');

/** The deck converted by LibreOffice: per slide (page), the lowest baseline of any text that is not the footer, in inches from the top. */
async function layOut(pptx: Buffer, id: string): Promise<Array<{ lowest: number; texts: string[] }>> {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'deck.pptx'), pptx);
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'deck.pptx')], { stdio: 'pipe', timeout: 120_000 });
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(fs.readFileSync(path.join(dir, 'deck.pdf'))), verbosity: 0, isEvalSupported: false }).promise;
  const footerText = new RegExp(`^${id} ·|Congressional Research Service|^\\d+$`);
  const out: Array<{ lowest: number; texts: string[] }> = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const height = page.view[3]!;
    const items = (await page.getTextContent()).items.flatMap((i) => ('str' in i && i.str.trim() ? [{ text: i.str, top: height - i.transform[5]! }] : []));
    const content = items.filter((i) => !footerText.test(i.text));
    out.push({ lowest: Math.max(0, ...content.map((i) => i.top)) / 72, texts: content.map((i) => i.text) });
  }
  await doc.destroy();
  return out;
}

/** Checks what a reader of the converted deck sees: a page per slide, every slide's text above the footer rule. */
async function expectLaidOut(pptx: Buffer, id: string): Promise<string> {
  const slides = (await readDeck(pptx)).slides;
  const pages = await layOut(pptx, id);
  expect(pages).toHaveLength(slides.length);
  const { footer } = sharedContext().theme.deck;
  for (const [i, page] of pages.entries()) expect(page.lowest, `slide ${i + 1}: ${slides[i]!.title}`).toBeLessThan(footer.y - footer.ruleAbove);
  return pages.flatMap((p) => p.texts).join(' ');
}

describe('the decks as LibreOffice lays them out', () => {
  it('the sample: a page per slide, all text above the footer', async () => {
    await expectLaidOut(artifact(expectBuilt(await build(sampleDir, ['pptx'])), 'pptx'), 'IF10199');
  }, 180_000);

  it('every content element (tables, pictures, charts, a text box): a page per slide, all text above the footer, the continued table and the text box as text a reader finds', async () => {
    const texts = await expectLaidOut(artifact(expectBuilt(await build(everyElementDir, ['pptx'])), 'pptx'), 'IF90001');
    expect(texts).toContain('Table 2. Grants Awarded by Year, 1986–2025 (cont.)');
    expect(texts).toContain('How the Program Works');
  }, 180_000);

  it('a long section: shrunk, continued on “(cont.)” slides, its overlong title shortened, all above the footer', async () => {
    const longPoint = (i: number) => `Point ${i}: ${'the trade talks continue while both governments weigh tariffs on autos and farm goods '.repeat(3).trim()}.`;
    const longTitle = 'A Very Long Section Heading That Keeps Going To Test How The Deck Fits Titles Into Their Placeholders Without Overflowing At All Ever';
    const { dir } = copySample((y) =>
      y.replace(
        /  - heading: Regional Relations\n {4}keyPoints:\n( {6}- .*\n)+/,
        `  - heading: ${longTitle}\n    keyPoints:\n${Array.from({ length: 8 }, (_, i) => `      - "${longPoint(i + 1)}"\n`).join('')}`,
      ),
    );
    const bytes = artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx');
    const titles = (await readDeck(bytes)).slides.map((s) => s.title);
    expect(titles.filter((t) => t.endsWith('(cont.)')).length).toBeGreaterThanOrEqual(1);
    await expectLaidOut(bytes, 'IF10199');
  }, 180_000);

  it('a paragraph taller than a slide: continued between sentences, a sentence taller than a slide between words, all above the footer', async () => {
    const dir = writeBrief(longParagraphSections());
    const bytes = artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx');
    const titles = (await readDeck(bytes)).slides.map((s) => s.title);
    expect(titles.filter((t) => t === 'Resources (cont.)').length).toBeGreaterThanOrEqual(2);
    await expectLaidOut(bytes, 'IF99001');
  }, 180_000);

});

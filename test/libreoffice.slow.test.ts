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
import { projectRoot } from '../pipeline/core/paths.ts';
import { artifact, build, citationSections, copySample, everyElementDir, expectBuilt, longParagraphSections, readDeck, sampleDir, sharedContext, tempDir, writeBrief } from './helpers.ts';
import { itWith } from './tools.ts';

const it = itWith('soffice');

/**
 * A fontconfig configuration (the system's, included) under which LibreOffice finds
 * no metric twin of Arial: the Liberation fonts are rejected, and so is URW's Nimbus
 * Sans (Helvetica's twin, which Ghostscript's fonts bring), so it falls back to
 * another sans (DejaVu Sans on Debian), as on a machine without fonts-liberation.
 */
function noArialTwin(dir: string): Record<string, string> {
  const file = path.join(dir, 'no-arial-twin.conf');
  const twins = ['Nimbus Sans', 'Nimbus Sans L', 'Nimbus Sans Narrow', 'Arimo', 'Helvetica', 'Arial'].map((family) => `<pattern><patelt name="family"><string>${family}</string></patelt></pattern>`).join('');
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <selectfont><rejectfont><glob>/usr/share/fonts/truetype/liberation*/*</glob>${twins}</rejectfont></selectfont>\n</fontconfig>\n`,
  );
  return { FONTCONFIG_FILE: file };
}

interface LaidOutPage {
  /** inches from the top: the lowest baseline of any text that is not the footer */
  readonly lowest: number;
  /** inches from the top: the lowest text's descent (baseline plus a quarter of its size) */
  readonly bottom: number;
  readonly texts: string[];
  readonly fonts: string[];
}

/**
 * A fontconfig configuration (the system's, included) under which LibreOffice sets
 * Arial in Arimo, the metric twin the build measures with, from the npm package:
 * the Liberation fonts are rejected, so Arimo is the only twin it finds.
 */
function withArimo(dir: string): Record<string, string> {
  const file = path.join(dir, 'arimo.conf');
  const arimo = path.join(projectRoot, 'node_modules', '@expo-google-fonts', 'arimo');
  fs.writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>${arimo}</dir>\n  <cachedir>${dir}/fontconfig-cache</cachedir>\n` +
      `  <alias binding="same"><family>Arial</family><prefer><family>Arimo</family></prefer></alias>\n` +
      `  <selectfont><rejectfont><glob>/usr/share/fonts/truetype/liberation*/*</glob></rejectfont></selectfont>\n</fontconfig>\n`,
  );
  return { FONTCONFIG_FILE: file };
}

/** The deck converted by LibreOffice (under `env`, for its fonts), read with pdf.js. */
async function convert(pptx: Buffer, env: Record<string, string>) {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'deck.pptx'), pptx);
  execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'deck.pptx')], {
    stdio: 'pipe',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  return getDocument({ data: new Uint8Array(fs.readFileSync(path.join(dir, 'deck.pdf'))), verbosity: 0, isEvalSupported: false }).promise;
}

/** A line of text on a converted slide: its baseline in inches from the top, its size in points, the face set. */
interface PlacedText {
  readonly text: string;
  readonly baseline: number;
  readonly size: number;
  readonly font: string;
}

async function placedTexts(pptx: Buffer, env: Record<string, string>): Promise<PlacedText[][]> {
  const doc = await convert(pptx, env);
  const pages: PlacedText[][] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const height = page.view[3]!;
    const content = await page.getTextContent();
    await page.getOperatorList();
    const fontName = (id: string) => ((page.commonObjs.has(id) ? (page.commonObjs.get(id) as { name?: string }).name : undefined) ?? id).replace(/^[A-Z]{6}\+/, '');
    pages.push(
      content.items.flatMap((i) =>
        'str' in i && i.str.trim() ? [{ text: i.str, baseline: (height - i.transform[5]!) / 72, size: Math.hypot(i.transform[2]!, i.transform[3]!), font: fontName(i.fontName) }] : [],
      ),
    );
  }
  await doc.destroy();
  return pages;
}

/** The deck converted by LibreOffice (under `env`, for its fonts): per slide (page), where its lowest text sits. */
async function layOut(pptx: Buffer, id: string, env: Record<string, string> = {}): Promise<LaidOutPage[]> {
  const doc = await convert(pptx, env);
  const footerText = new RegExp(`^${id} ·|Congressional Research Service|^\\d+$`);
  const out: LaidOutPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const height = page.view[3]!;
    const content = await page.getTextContent();
    // Drawing the page's operators loads its fonts, whose names say which face LibreOffice set.
    await page.getOperatorList();
    const items = content.items.flatMap((i) => ('str' in i && i.str.trim() ? [{ text: i.str, top: height - i.transform[5]!, size: Math.hypot(i.transform[2]!, i.transform[3]!), font: i.fontName }] : []));
    const body = items.filter((i) => !footerText.test(i.text));
    const fontName = (id: string) => {
      const font = page.commonObjs.has(id) ? (page.commonObjs.get(id) as { name?: string }) : undefined;
      return (font?.name ?? id).replace(/^[A-Z]{6}\+/, '');
    };
    const fonts = [...new Set(body.map((i) => fontName(i.font)))];
    out.push({
      lowest: Math.max(0, ...body.map((i) => i.top)) / 72,
      bottom: Math.max(0, ...body.map((i) => i.top + i.size / 4)) / 72,
      texts: body.map((i) => i.text),
      fonts,
    });
  }
  await doc.destroy();
  return out;
}

/** Checks what a reader of the converted deck sees: a page per slide, every slide's text above the footer rule. */
async function expectLaidOut(pptx: Buffer, id: string, env: Record<string, string> = {}): Promise<string> {
  const slides = (await readDeck(pptx)).slides;
  const pages = await layOut(pptx, id, env);
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

  it('decks without authored key points, with and without a metric twin of Arial: no text reaches the footer rule (the worst clearance printed)', async () => {
    const stripped = copySample((y) => y.replace(/\n {2}- keyPoints:\n( {6}- .*\n)+ {4}blocks:/g, '\n  - blocks:').replace(/\n {4}keyPoints:\n( {6}- .*\n)+/g, '\n').replace(/\nsummary:\n( {2}- .*\n)+/, '\n')).dir;
    const decks = [
      { id: 'IF10199', dir: sampleDir },
      { id: 'IF10199', dir: stripped },
      { id: 'IF13201', dir: path.join(projectRoot, 'data', 'briefs', 'IF13201') },
      { id: 'IF11175', dir: path.join(projectRoot, 'data', 'briefs', 'IF11175') },
      { id: 'IF99001', dir: writeBrief(citationSections()) },
    ];
    const { footer } = sharedContext().theme.deck;
    const rule = footer.y - footer.ruleAbove;
    const fallback = noArialTwin(tempDir());
    for (const [name, env] of [['with Liberation Sans', {}], ['without an Arial twin', fallback]] as const) {
      let worst = { clearance: Infinity, where: '' };
      const fonts = new Set<string>();
      for (const [d, { id, dir }] of decks.entries()) {
        const bytes = artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx');
        const titles = (await readDeck(bytes)).slides.map((s) => s.title);
        const pages = await layOut(bytes, id, env);
        expect(pages).toHaveLength(titles.length);
        for (const [i, page] of pages.entries()) {
          page.fonts.forEach((f) => fonts.add(f));
          const clearance = rule - page.bottom;
          expect(clearance, `${name}: deck ${d + 1} (${id}) slide ${i + 1}: ${titles[i]}`).toBeGreaterThan(0);
          if (clearance < worst.clearance) worst = { clearance, where: `deck ${d + 1} (${id}) slide ${i + 1} “${titles[i]}”` };
        }
      }
      if (env !== fallback) expect([...fonts].some((f) => /Liberation/.test(f))).toBe(true);
      else expect([...fonts].some((f) => /Liberation|Nimbus|Arimo|Arial/.test(f)), [...fonts].join(', ')).toBe(false);
      console.log(`LibreOffice ${name}: the lowest text ends ${worst.clearance.toFixed(3)} in above the footer rule (${worst.where}); fonts: ${[...fonts].join(', ')}`);
    }
  }, 600_000);

  it('very long titles (issue 15, defect 11), set in Arimo: a long brief title and a 108-character heading stay inside their title areas, the heading above the body', async () => {
    const longTitle =
      'The United States and Japan in a Changing Region: Security Cooperation, Trade Negotiations, Host-Nation Support, Okinawa Base Realignment, Energy, Technology and the Future of the Alliance Through 2030';
    const longHeading = 'Regional Relations: Security Cooperation, Trade Negotiations, Host-Nation Support and the Alliances in Asia.';
    const { dir } = copySample((y) => y.replace(/^title: .*$/m, `title: "${longTitle}"`).replace('  - heading: Regional Relations\n', `  - heading: "${longHeading}"\n`));
    const bytes = artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx');
    const slides = (await readDeck(bytes)).slides;
    const pages = await placedTexts(bytes, withArimo(tempDir()));
    expect(pages).toHaveLength(slides.length);
    const { deck } = sharedContext().theme;
    const section = slides.findIndex((s) => s.title.startsWith('Regional Relations: Security'));
    expect(section).toBeGreaterThan(0);
    const squashed = (text: string) => text.replace(/\s+/g, '');
    for (const [i, area, below] of [
      [0, deck.titleSlide.title, deck.titleSlide.subtitle.y],
      [section, deck.content.title, deck.content.bodyTop],
    ] as const) {
      const slide = slides[i]!;
      const size = Number(/<p:ph[^>]*type="title"[\s\S]*?<a:rPr [^>]*?sz="(\d+)"/.exec(slide.xml)![1]) / 100;
      // The title's lines: text of the title, at the title's size (body text may share the size, not the words).
      const lines = pages[i]!.filter((t) => Math.abs(t.size - size) < 0.5 && slide.title.includes(t.text.trim()));
      expect(squashed(lines.map((l) => l.text).join('')), `slide ${i + 1}`).toBe(squashed(slide.title));
      expect(new Set(lines.map((l) => l.font)), `slide ${i + 1}`).toEqual(new Set([expect.stringMatching(/Arimo/)]));
      for (const line of lines) {
        // Arimo's ascent and descent: 0.905 and 0.212 of the size.
        const top = line.baseline - (0.905 * line.size) / 72;
        const bottom = line.baseline + (0.212 * line.size) / 72;
        expect(top, `slide ${i + 1}: "${line.text}"`).toBeGreaterThanOrEqual(area.y - 0.01);
        expect(bottom, `slide ${i + 1}: "${line.text}"`).toBeLessThanOrEqual(area.y + area.height + 0.01);
        expect(bottom, `slide ${i + 1}: "${line.text}"`).toBeLessThan(below);
      }
    }
  }, 180_000);
});

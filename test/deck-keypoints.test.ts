// Decks from briefs whose authors wrote no key points, read as a viewer reads
// them (the PPTX XML): IF10199 with its summary and key points taken out, IF13201,
// IF11175 and a brief with a bulleted list and a section of twelve citations.
// Every point is the brief's own words; no literal bullet characters; no citation
// among the key points; no slide over the bullets and words a slide may hold; a
// list stays a list; the citations make a reference slide with their links and
// italics; bold survives; every text is tagged with the brief's language.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { artifact, build, citationSections, copyBrief, copySample, decodeXml, expectBuilt, readDeck, sharedContext, validateDir, writeBrief, type Deck, type SlideView } from './helpers.ts';

const stripAuthored = (yaml: string) => yaml.replace(/\n {2}- keyPoints:\n( {6}- .*\n)+ {4}blocks:/g, '\n  - blocks:').replace(/\n {4}keyPoints:\n( {6}- .*\n)+/g, '\n').replace(/\nsummary:\n( {2}- .*\n)+/, '\n');
const briefDir = (id: string) => path.join(projectRoot, 'data', 'briefs', id);

interface Case {
  readonly name: string;
  readonly dir: () => string;
}
const cases: readonly Case[] = [
  { name: 'IF10199 without its key points', dir: () => copySample(stripAuthored).dir },
  { name: 'IF13201', dir: () => briefDir('IF13201') },
  { name: 'IF11175', dir: () => briefDir('IF11175') },
  { name: 'a brief with a list and twelve citations', dir: () => writeBrief(citationSections()) },
];

const decks = new Map<string, { deck: Deck; text: string; dir: string }>();
beforeAll(async () => {
  for (const c of cases) {
    const dir = c.dir();
    const { brief } = validateDir(dir).result!;
    // Every word the brief's sections say, as plain text with single spaces (markup removed).
    const text = brief.sections
      .flatMap((s) => s.blocks.flatMap((b) => [b.paragraph ?? '', ...(b.bullets ?? []), ...(b.textbox?.blocks.flatMap((x) => [x.paragraph ?? '', ...(x.bullets ?? [])]) ?? [])]))
      .join(' ')
      .replace(/\*\*|\*/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\s+/g, ' ');
    decks.set(c.name, { deck: await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx')), text, dir });
  }
}, 120_000);

/** The paragraphs of the slide's bulleted body (not its title, kicker or source line), as a viewer reads them. */
function bodyParagraphs(slide: SlideView): string[] {
  const bodies = [...slide.xml.matchAll(/<p:sp>([\s\S]*?)<\/p:sp>/g)].map((m) => m[1]!).filter((s) => !/<p:ph/.test(s) && /<a:buChar/.test(s));
  return bodies.flatMap((b) => [...b.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)].map((p) => decodeXml([...p[1]!.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((t) => t[1]).join('')))).filter(Boolean);
}
const bulletCount = (slide: SlideView) => (slide.xml.match(/<a:buChar /g) ?? []).length;
const words = (texts: readonly string[]) => texts.join(' ').split(/\s+/).filter(Boolean).length;
const isPointSlide = (slide: SlideView) => !/<a:tbl>|<c:chart|<p:pic>/.test(slide.xml) && !['Disclaimer', 'Authors and contacts'].includes(slide.title) && bulletCount(slide) > 0;

describe.each(cases.map((c) => c.name))('the deck of %s', (name) => {
  const get = () => decks.get(name)!;
  const { points } = sharedContext().theme.deck;

  it('prints no literal bullet character in any slide text', () => {
    for (const slide of get().deck.slides) for (const p of slide.paragraphs) expect(p, slide.title).not.toMatch(/^\s*[•▪◦‣∙·-]\s|•/);
  });

  it('holds no more bullets and words on a slide than a slide may hold', () => {
    for (const slide of get().deck.slides.filter(isPointSlide)) {
      expect(bulletCount(slide), slide.title).toBeLessThanOrEqual(points.slideBullets);
      expect(words(bodyParagraphs(slide)), slide.title).toBeLessThanOrEqual(points.slideWords);
    }
  });

  it('gives no slide a lone bullet: a one-point section joins a neighbour or the key points, or is dropped when it is one', () => {
    for (const slide of get().deck.slides.filter(isPointSlide)) if (!slide.title.endsWith('(cont.)')) expect(bulletCount(slide), slide.title).not.toBe(1);
  });

  it('shows on its key points slides only the brief’s own sentences (whole, or a head ending in “…”), no citation', () => {
    const keySlides = get().deck.slides.filter((s) => s.title.startsWith('Key points'));
    expect(keySlides.length).toBeGreaterThan(0);
    const shown = keySlides.flatMap(bodyParagraphs);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.length).toBeLessThanOrEqual(points.slideBullets);
    for (const point of shown) {
      expect(get().text, point).toContain(point.replace(/…$/, ''));
      expect(point).not.toMatch(/Report No\.|Inspector General|https?:/);
    }
  });

  it('says in the notes which sentences a slide shortened, with the whole sentence', () => {
    const label = sharedContext().templates.render('deck/shortened-label', {});
    for (const slide of get().deck.slides.filter(isPointSlide)) {
      for (const point of bodyParagraphs(slide).filter((p) => p.endsWith('…'))) {
        const head = point.slice(0, -1);
        const line = slide.notes.split('\n').find((l) => l.startsWith(label) && l.includes(head));
        expect(line, `${slide.title}: ${point}`).toBeDefined();
        expect(get().text).toContain(line!.slice(label.length).trim());
      }
    }
  });

  it('tags every text with the brief’s language', () => {
    const { brief } = validateDir(get().dir).result!;
    for (const slide of get().deck.slides) for (const m of slide.xml.matchAll(/\blang="([^"]+)"/g)) expect(m[1], slide.title).toBe(brief.language);
  });
});

describe('a brief with a list and a section of citations', () => {
  const get = () => decks.get('a brief with a list and twelve citations')!.deck;

  it('shows the citations on reference slides, every one whole, with its link and its italic title', () => {
    const slides = get().slides.filter((s) => s.title.startsWith('Resources'));
    expect(slides.length).toBeGreaterThan(0);
    const shown = slides.flatMap(bodyParagraphs);
    expect(shown).toHaveLength(12);
    for (const [i, citation] of shown.entries()) expect(citation).toMatch(new RegExp(`^Office of Inspector General—Example Agency, Service Provider Contracts and Oversight, Part ${i + 1}, Report No\\.`));
    for (const slide of slides) {
      expect(slide.xml).toMatch(/<a:rPr[^>]*\bi="1"[^>]*>[\s\S]*?<a:t>Service Provider Contracts and Oversight/);
      expect(slide.xml).toContain('<a:hlinkClick');
    }
  });

  it('keeps the list a list: its lead-in sentence, then its items one level down, bold kept', () => {
    const slides = get().slides.filter((s) => s.title.startsWith('Oversight of Contracts'));
    const xml = slides.map((s) => s.xml).join('');
    const shown = slides.flatMap(bodyParagraphs);
    expect(shown.some((p) => p.startsWith('Some contracts lacked provisions on business continuity'))).toBe(true);
    expect(xml).toMatch(/<a:pPr[^>]*lvl="1"/);
    expect(xml).toMatch(/<a:rPr[^>]*\bb="1"[^>]*>[\s\S]*?<a:t>independent audits<\/a:t>/);
  });
});

describe('the language of the deck', () => {
  it('comes from the brief’s language', async () => {
    const { dir } = copyBrief(briefDir('IF13201'), (y) => y.replace('language: en-US', 'language: en-GB'));
    const deck = await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
    const tags = new Set(deck.slides.flatMap((s) => [...s.xml.matchAll(/\blang="([^"]+)"/g)].map((m) => m[1])));
    expect([...tags]).toEqual(['en-GB']);
  });
});

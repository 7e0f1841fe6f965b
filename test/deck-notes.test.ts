// Speaker notes as a presenter's viewer reads them (the notes slides' XML): the
// italics and bold of the brief's inline markup survive as DrawingML runs, a line
// of the notes is a paragraph, and the words are those the notes always said, in
// the same order. What the notes should say is worked out here from the brief's
// source text, not taken from the pipeline.
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { richNotes } from '../pipeline/deck/package.ts';
import { artifact, build, expectBuilt, isWellFormed, readDeck, sampleArtifact, sampleDir, sharedContext, validateDir, writeBrief, type Deck, type SlideView } from './helpers.ts';

interface NoteRun {
  readonly text: string;
  readonly italic: boolean;
  readonly bold: boolean;
  readonly lang: string;
}

// Not helpers' xmlParser: that one trims text and reads "2024" as a number, and
// the runs' text must come back exactly, spaces at their ends included.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  isArray: (name) => ['p:sp', 'a:p', 'a:r'].includes(name),
});

interface XmlRun {
  'a:rPr': { lang: string; i?: string; b?: string };
  'a:t': string;
}
interface XmlShape {
  'p:nvSpPr': { 'p:nvPr': { 'p:ph'?: { type?: string } } };
  'p:txBody'?: { 'a:p': Array<{ 'a:r'?: XmlRun[] }> };
}

/** The paragraphs of the notes of `slide`, each as its runs. */
function notesOf(deck: Deck, slide: SlideView): NoteRun[][] {
  const target = /Target="\.\.\/notesSlides\/(notesSlide\d+\.xml)"/.exec(slide.rels)?.[1];
  const xml = deck.files.get(`ppt/notesSlides/${target}`)!;
  const shapes = (parser.parse(xml) as { 'p:notes': { 'p:cSld': { 'p:spTree': { 'p:sp': XmlShape[] } } } })['p:notes']['p:cSld']['p:spTree']['p:sp'];
  const body = shapes.find((s) => s['p:nvSpPr']['p:nvPr']['p:ph']?.type === 'body')!;
  return body['p:txBody']!['a:p'].map((p) =>
    (p['a:r'] ?? []).map((r) => ({ text: r['a:t'], italic: r['a:rPr'].i === '1', bold: r['a:rPr'].b === '1', lang: r['a:rPr'].lang })),
  );
}

const lines = (notes: NoteRun[][]) => notes.map((p) => p.map((r) => r.text).join(''));
const styled = (notes: NoteRun[][], style: 'italic' | 'bold') => notes.flat().filter((r) => r[style]).map((r) => r.text);

/** Inline markup as the notes read it: no asterisks, a link's URL after its text, a report link's URL from `reports`. */
function readAs(source: string, reports: ReadonlyMap<string, string> = new Map()): string {
  return source
    .replace(/\s+/g, ' ')
    .replace(/\[([^\]]*)\]\(([^)]*)\)/g, (_, text: string, href: string) => `${text} (${href.startsWith('report:') ? reports.get(href.slice(7))! : href})`)
    .replace(/\*\*|\*/g, '');
}
const italicsOf = (source: string) => [...source.matchAll(/(?<!\*)\*([^*\s][^*]*)\*(?!\*)/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
const boldOf = (source: string) => [...source.matchAll(/\*\*([^*]+)\*\*/g)].map((m) => m[1]!.replace(/\s+/g, ' '));

const lead = 'Agencies must commission **independent audits** of *high-risk* systems before they are deployed.';
const quoted = 'Vendors such as AT&T say the "core" <platform> rules are unclear.';
const long = 'The audits must cover every system that decides eligibility for *federal benefits* or grants, which the agencies list each year in their public inventories of automated decision systems:';
const items = ['Auditors report to the *inspector general*.', 'Findings go to Congress within **90 days**.'];
const citations = [
  'Congressional Research Service, *Technology Service Provider Contracts*, Report No. R47994, March 2024.',
  'Government Accountability Office, *Federal Contracting: Oversight of Service Providers*, GAO-24-105, [online](https://example.org/gao-24-105), May 2024.',
];
const body = [
  'sections:',
  '  - heading: Audits',
  '    blocks:',
  `      - paragraph: ${JSON.stringify([lead, quoted, long].join(' '))}`,
  '      - bullets:',
  ...items.map((item) => `          - ${JSON.stringify(item)}`),
  '  - heading: Resources',
  '    blocks:',
  '      - bullets:',
  ...citations.map((c) => `          - ${JSON.stringify(c)}`),
].join('\n');

describe('the notes of a brief with italics and bold in a paragraph, a list and its citations', () => {
  let deck: Deck;
  beforeAll(async () => {
    const dir = writeBrief(body);
    // Another language than the default, so that the runs are seen to take the brief's.
    const file = path.join(dir, 'brief.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('language: en-US', 'language: en-GB'));
    deck = await readDeck(artifact(expectBuilt(await build(dir, ['pptx'])), 'pptx'));
  }, 60_000);
  const slide = (title: string) => deck.slides.find((s) => s.title === title)!;
  const label = sharedContext().templates.render('deck/shortened-label', {});

  it('say the section’s words in the same order, a paragraph a line, a blank line between, the shortened sentence whole at the end', () => {
    const paragraph = [lead, quoted, long].join(' ');
    expect(lines(notesOf(deck, slide('Audits')))).toEqual([readAs(paragraph), '', ...items.flatMap((item) => [`• ${readAs(item)}`, '']), `${label} ${readAs(long)}`]);
  });

  it('set in italics and in bold exactly the words the brief marks so, the rest in neither', () => {
    const notes = notesOf(deck, slide('Audits'));
    const sources = [lead, quoted, long, ...items, long];
    expect(styled(notes, 'italic')).toEqual(sources.flatMap(italicsOf));
    expect(styled(notes, 'bold')).toEqual(sources.flatMap(boldOf));
    expect(styled(notes, 'italic')).toEqual(['high-risk', 'federal benefits', 'inspector general', 'federal benefits']);
    expect(styled(notes, 'bold')).toEqual(['independent audits', '90 days']);
  });

  it('keep a citation’s italic title, its link as text with the URL in brackets', () => {
    const notes = notesOf(deck, slide('Resources'));
    expect(lines(notes).filter(Boolean)).toEqual(citations.map((c) => `• ${readAs(c)}`));
    expect(styled(notes, 'italic')).toEqual(citations.flatMap(italicsOf));
    expect(styled(notes, 'bold')).toEqual([]);
  });

  it('escape what XML must escape, and name the brief’s language on every run', () => {
    for (const name of [...deck.files.keys()].filter((n) => n.startsWith('ppt/notesSlides/'))) expect(isWellFormed(deck.files.get(name)!), name).toBe(true);
    const notes = notesOf(deck, slide('Audits'));
    expect(lines(notes)[0]).toContain('AT&T say the "core" <platform> rules');
    expect(new Set(notes.flat().map((r) => r.lang))).toEqual(new Set(['en-GB']));
  });
});

describe('the notes of the sample (IF10199, with authored key points)', () => {
  it('keep the report titles of its “Additional Information” in italics, the report codes plain with their URLs', async () => {
    const deck = await readDeck(sampleArtifact('pptx'));
    const { brief } = validateDir(sampleDir).result!;
    const source = brief.sections.find((s) => s.heading === 'Additional Information')!.blocks[0]!.paragraph!;
    // The section becomes the slide of related reports, under the templates' title for it.
    const notes = notesOf(deck, deck.slides.find((s) => s.title.toLowerCase() === 'additional information')!);
    expect(lines(notes)).toEqual([readAs(source, new Map(brief.relatedReports.map((r) => [r.id, r.url])))]);
    expect(styled(notes, 'italic')).toEqual(italicsOf(source));
    expect(styled(notes, 'italic')).toHaveLength(4);
    expect(styled(notes, 'bold')).toEqual([]);
  });
});

describe('writing the runs in the notes pptxgenjs wrote', () => {
  const written = (text: string) =>
    `<p:notes><p:cSld><p:spTree><p:sp><p:nvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-US" dirty="0"/><a:t>${text}</a:t></a:r><a:endParaRPr lang="en-US" dirty="0"/></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>`;

  it('reads pptxgenjs’s escapes and line ends, and writes a paragraph a line', () => {
    const runs = [{ text: 'A & B\n' }, { text: 'x < y', italic: true }];
    const xml = richNotes(written('A &amp; B\r\nx &lt; y'), runs, 'fr-FR');
    expect(isWellFormed(xml)).toBe(true);
    expect(xml).toContain(
      '<a:p><a:r><a:rPr lang="fr-FR" dirty="0"/><a:t>A &amp; B</a:t></a:r><a:endParaRPr lang="fr-FR" dirty="0"/></a:p><a:p><a:r><a:rPr lang="fr-FR" i="1" dirty="0"/><a:t>x &lt; y</a:t></a:r>',
    );
  });

  it('refuses notes whose text is not what pptxgenjs wrote there (another slide’s)', () => {
    expect(() => richNotes(written('Other notes'), [{ text: 'These notes' }], 'en-US')).toThrow(/not the notes planned/);
  });
});

// The IF10199 sample end to end, checked as a reader sees it: the PDF's text in
// reading order (through pdfjs-dist, with page furniture set apart as artifacts)
// and the deck's slides, titles, notes and chart (through its XML).
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../pipeline/core/text.ts';
import { parseInline } from '../pipeline/input/inline.ts';
import type { BriefData } from '../pipeline/input/schema.ts';
import { itWith } from './tools.ts';
import { artifact, build, expectBuilt, readDeck, readPdf, sampleArtifact, sampleDir, squash, validateDir, type Built, type Deck, type PdfReading } from './helpers.ts';

/** Justified columns break words at hyphenation points, so hyphens are set aside when comparing text. */
const flat = (text: string) => squash(text).replace(/-/g, '');

let built: Built;
let brief: BriefData;
let pdf: PdfReading;
let deck: Deck;

beforeAll(async () => {
  built = expectBuilt(await build(sampleDir));
  brief = validateDir(sampleDir).result!.brief;
  pdf = await readPdf(artifact(built, 'pdf'));
  deck = await readDeck(artifact(built, 'pptx'));
});

const bodyText = (p: PdfReading) => p.pages.map((page) => page.content.join('')).join('\n');

describe('PDF of the sample', () => {
  it('has two body pages and the disclaimer page', () => {
    expect(pdf.numPages).toBe(3);
    expect(built.artifacts.find((a) => a.format === 'pdf')!.count).toBe(3);
  });

  it('holds every heading and paragraph once, in reading order, with no furniture inside them', () => {
    const text = flat(bodyText(pdf));
    let cursor = 0;
    const expected: Array<{ text: string; paragraph: boolean }> = [{ text: brief.title, paragraph: false }];
    for (const section of brief.sections) {
      if (section.heading) expected.push({ text: section.heading, paragraph: false });
      for (const block of section.blocks) {
        if (block.paragraph) expected.push({ text: plainText(parseInline(block.paragraph)), paragraph: true });
      }
    }
    for (const { text: piece, paragraph } of expected) {
      const at = text.indexOf(flat(piece), cursor);
      expect(at, `"${piece.slice(0, 60)}…" after offset ${cursor}`).toBeGreaterThanOrEqual(cursor);
      // Headings may recur inside later text ("…Trade Agreement Negotiations."); paragraphs may not.
      if (paragraph) expect(text.indexOf(flat(piece), at + 1), `"${piece.slice(0, 40)}…" appears twice`).toBe(-1);
      cursor = at + flat(piece).length;
    }
  });

  it('puts the caption above the chart and the source line below it, after the paragraph that places it', () => {
    const text = flat(bodyText(pdf));
    const paragraphBefore = text.indexOf(flat(brief.sections[4]!.blocks[1]!.paragraph!));
    const caption = text.indexOf(flat('Figure 1. Top U.S. Trade Partners'));
    const source = text.indexOf(flat('Source: Bureau of Economic Analysis.'));
    expect(paragraphBefore).toBeGreaterThanOrEqual(0);
    expect(caption).toBeGreaterThan(paragraphBefore);
    expect(source).toBeGreaterThan(caption);
    expect(text.indexOf(flat('Trade Agreement Negotiations'), source)).toBeGreaterThan(source);
  });

  it('closes the body with the authors and the product code, then the disclaimer page', () => {
    const page2 = squash(pdf.pages[1]!.content.join(''));
    const authors = ['Emma Chanlett-Avery, Coordinator, Specialist in Asian Affairs', 'Mark E. Manyin, Specialist in Asian Affairs', 'Brock R. Williams, Specialist in International Trade and Finance'];
    let cursor = 0;
    for (const line of [...authors, 'IF10199']) {
      const at = page2.indexOf(squash(line), cursor);
      expect(at, line).toBeGreaterThanOrEqual(cursor);
      cursor = at;
    }
    const page3 = pdf.pages[2]!.content.join('');
    expect(flat(page3)).toContain(flat('Disclaimer' + brief.disclaimer));
    expect(page3).toContain('https://crsreports.congress.gov | IF10199 · VERSION 11 · UPDATED');
  });

  it('keeps page furniture out of the text and links the footer of every body page', () => {
    expect(squash(pdf.pages[0]!.content.join(''))).toContain(squash('Updated May 14, 2019'));
    expect(pdf.pages[0]!.artifacts.join(' ')).toMatch(/Congressional Research Service.*IN FOCUS/);
    for (const page of pdf.pages.slice(0, 2)) expect(page.links.map((u) => u.replace(/\/$/, ''))).toContain('https://crsreports.congress.gov');
    const all = pdf.pages.map((p) => p.content.join('') + p.artifacts.join('')).join('');
    expect(all.match(/crsreports\.congress\.gov/g)).toHaveLength(1); // the product line only
    expect(all.match(/U\.S\.-Japan Relations/g)).toHaveLength(1); // the title only
  });

  // -raw keeps the content stream's order, which is the reading order. The default mode
  // re-orders blocks by its own column analysis (a column's top block can come before
  // the other column's lower blocks, whatever the file's order), so it is held to
  // keeping each paragraph's lines together: whole, or in two runs where a column or page breaks it.
  itWith('pdftotext')('extracts with pdftotext: -raw in reading order, the default mode with each paragraph in at most two runs', () => {
    const read = (mode: string[]) => flat(execFileSync('pdftotext', [...mode, '-', '-'], { input: artifact(built, 'pdf'), encoding: 'utf8' }));
    const raw = read(['-raw']);
    const layoutMode = read([]);
    let cursor = 0;
    for (const section of brief.sections) {
      for (const block of section.blocks) {
        if (!block.paragraph) continue;
        const paragraph = flat(plainText(parseInline(block.paragraph)));
        const at = raw.indexOf(paragraph, cursor);
        expect(at, `-raw ${block.paragraph.slice(0, 50)}`).toBeGreaterThanOrEqual(cursor);
        cursor = at;
        // The longest start of the paragraph found in one run, then the rest in one more.
        let head = 0;
        for (let step = paragraph.length; step >= 1; step >>= 1) while (head + step <= paragraph.length && layoutMode.includes(paragraph.slice(0, head + step))) head += step;
        expect(head, `default mode ${block.paragraph.slice(0, 50)}`).toBeGreaterThan(0);
        expect(layoutMode, `default mode, the rest of ${block.paragraph.slice(0, 50)}`).toContain(paragraph.slice(head));
      }
    }
  });

  it('carries the document information from the data, dated by the data', () => {
    expect(pdf.info['Title']).toBe('U.S.-Japan Relations');
    expect(pdf.info['Author']).toBe('Emma Chanlett-Avery, Mark E. Manyin, Brock R. Williams');
    expect(String(pdf.info['CreationDate'])).toMatch(/^D:20190514/);
    expect(pdf.info['Language']).toBe('en-US');
  });
});

describe('PPTX of the sample', () => {
  it('has a title slide, key points, a slide per section, the figure, links, authors and the disclaimer', () => {
    const titles = deck.slides.map((s) => s.title);
    expect(titles[0]).toBe('U.S.-Japan Relations');
    expect(titles).toEqual([
      'U.S.-Japan Relations',
      'Key points',
      'Overview',
      'The U.S.-Japan Military Alliance',
      'Regional Relations',
      'Japan-China Relations',
      'Economic and Trade Issues',
      'Figure 1. Top U.S. Trade Partners',
      'Trade Agreement Negotiations',
      'Additional information',
      'Authors and contacts',
      'Disclaimer',
    ]);
    expect(built.artifacts.find((a) => a.format === 'pptx')!.count).toBe(deck.slides.length);
  });

  it('puts each section’s full text in the speaker notes', () => {
    const section = brief.sections[1]!;
    const slide = deck.slides.find((s) => s.title === section.heading)!;
    for (const block of section.blocks) expect(squash(slide.notes)).toContain(squash(block.paragraph!));
  });

  it('draws Figure 1 as a native chart with the CSV’s categories and values in order', () => {
    const chartXml = deck.files.get('ppt/charts/chart1.xml')!;
    const categories = [...chartXml.matchAll(/<c:cat>[\s\S]*?<\/c:cat>/g)][0]![0];
    expect([...categories.matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((m) => m[1])).toEqual(['China', 'Canada', 'Mexico', 'Japan', 'Germany']);
    const values = [...chartXml.matchAll(/<c:val>[\s\S]*?<\/c:val>/g)][0]![0];
    expect([...values.matchAll(/<c:v>([^<]*)<\/c:v>/g)].map((m) => Number(m[1]))).toEqual([711.7, 679.9, 622.1, 286.1, 239.8]);
    const figureSlide = deck.slides.find((s) => s.title.startsWith('Figure 1'))!;
    expect(figureSlide.rels).toMatch(/Target="[^"]*charts\/chart1\.xml"/);
    expect(figureSlide.paragraphs).toContain('Source: Bureau of Economic Analysis.');
  });

  it('links each related report', () => {
    const slide = deck.slides.find((s) => s.title === 'Additional information')!;
    for (const report of brief.relatedReports) expect(slide.rels).toContain(`Target="${report.url}"`);
    expect(slide.paragraphs).toContain('CRS Report RL33436, Japan-U.S. Relations: Issues for Congress');
  });
});

describe('determinism', () => {
  it('gives byte-identical PDF and PPTX for the same input, in another process', () => {
    // The run's global setup built the sample through the command, in a process of its own.
    expect(sampleArtifact('pdf').equals(artifact(built, 'pdf'))).toBe(true);
    expect(sampleArtifact('pptx').equals(artifact(built, 'pptx'))).toBe(true);
  });
});

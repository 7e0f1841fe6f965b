// Every brief of the collection (data/briefs/) and the synthetic one with every
// content element, built both ways and checked as a reader's software sees them:
// the PDF passes qpdf, embeds and subsets every font, is tagged, fits its series'
// page budget, and reads in the order the brief is written; the deck is a clean
// package whose every slide has a title.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../pipeline/core/text.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { parseInline } from '../pipeline/input/inline.ts';
import type { BriefData } from '../pipeline/input/schema.ts';
import { artifact, build, everyElementDir, expectBuilt, isWellFormed, readDeck, sharedContext, tempDir, validateDir, type Built, type Deck } from './helpers.ts';
import { itWith } from './tools.ts';

const briefsDir = path.join(projectRoot, 'data', 'briefs');
const briefs = [...fs.readdirSync(briefsDir).sort().map((id) => path.join(briefsDir, id)), everyElementDir];

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
/**
 * Text compared for order: no spaces and no hyphens, since an extraction cannot tell
 * a hyphen the typesetter added at a line's end from one the text has there.
 */
const flat = (text: string) => text.replace(/[\s\-\u00AD]+/g, '');

describe.each(briefs.map((dir) => ({ id: path.basename(dir), dir })))('$id', ({ dir }) => {
  let built: Built;
  let brief: BriefData;
  let file: string;
  let deck: Deck;
  beforeAll(async () => {
    built = expectBuilt(await build(dir));
    brief = validateDir(dir).result!.brief;
    file = path.join(tempDir(), 'brief.pdf');
    fs.writeFileSync(file, artifact(built, 'pdf'));
    deck = await readDeck(artifact(built, 'pptx'));
  });

  itWith('qpdf')('passes qpdf --check', () => {
    expect(run('qpdf', ['--check', file])).toMatch(/No syntax or stream encoding errors found/);
  });

  itWith('pdffonts')('embeds and subsets every font', () => {
    const rows = run('pdffonts', [file]).trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row, row).toMatch(/^[A-Z]{6}\+\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  itWith('pdfinfo')('is tagged and within its series’ page budget (the body pages, plus the disclaimer page)', () => {
    const info = run('pdfinfo', [file]);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    const budget = sharedContext().theme.series[brief.series]?.bodyPages;
    if (budget !== undefined) expect(Number(/^Pages:\s+(\d+)$/m.exec(info)![1])).toBeLessThanOrEqual(budget + 1);
    expect(built.diagnostics).toEqual([]);
  });

  itWith('pdftotext')('reads its headings and paragraphs in the order the brief is written (pdftotext -raw)', () => {
    const text = flat(run('pdftotext', ['-raw', file, '-']));
    let cursor = 0;
    for (const section of brief.sections) {
      const texts = [
        ...(section.heading ? [section.heading] : []),
        ...section.blocks.flatMap((b) => (b.paragraph !== undefined ? [b.paragraph] : b.textbox ? b.textbox.blocks.flatMap((t) => (t.paragraph !== undefined ? [t.paragraph] : [])) : [])),
      ];
      for (const source of texts) {
        // Cross-references print their number: compare the text on either side of them.
        for (const piece of plainText(parseInline(source.replace(/\[\]\(#[^)]*\)/g, '\u0000'))).split('\u0000')) {
          if (flat(piece).length < 12) continue;
          const at = text.indexOf(flat(piece), cursor);
          expect(at, `"${piece.slice(0, 60)}…" after position ${cursor}`).toBeGreaterThanOrEqual(cursor);
          cursor = at;
        }
      }
    }
  });

  it('makes a deck of well-formed parts, each with a content type, every slide with a title', () => {
    for (const [name, xml] of deck.files) expect(isWellFormed(xml), name).toBe(true);
    const types = deck.files.get('[Content_Types].xml')!;
    const defaults = new Set([...types.matchAll(/<Default Extension="([^"]+)"/g)].map((m) => m[1]!.toLowerCase()));
    const overrides = new Set([...types.matchAll(/<Override PartName="\/([^"]+)"/g)].map((m) => m[1]!));
    for (const name of deck.names) expect(overrides.has(name) || defaults.has(name.split('.').pop()!.toLowerCase()), name).toBe(true);
    for (const [i, slide] of deck.slides.entries()) expect(slide.title.length, `slide ${i + 1}`).toBeGreaterThan(0);
    expect(built.artifacts.find((a) => a.format === 'pptx')!.count).toBe(deck.slides.length);
  });
});

// The sample data against its source: the seed is a text extraction of the
// two-column PDF with the columns interleaved line by line. Every line of it
// must be in brief.yaml, once, and brief.yaml must hold nothing the seed lacks.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { plainText } from '../pipeline/core/text.ts';
import { parseInline } from '../pipeline/input/inline.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { sampleDir, squash, validateDir } from './helpers.ts';

const seedFile = path.join(projectRoot, 'test', 'fixtures', 'IF10199', 'text-extraction.txt');

// Page furniture that the templates generate.
const FURNITURE = new Set(['Updated May 14, 2019', 'https://crsreports.congress.gov', 'https://crsreports.congress.gov | IF10199 · VERSION 11 · UPDATED']);
// The extraction repeats the title of the last related report after its link
// text; only the sentence's closing period belongs to the text.
const DUPLICATED_LINK_TEXT = ', U.S.-Japan Trade Agreement Negotiations.';

function seedContentLines(): string[] {
  const lines = fs.readFileSync(seedFile, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  let titleSeen = false;
  return lines.map((line) => (line === DUPLICATED_LINK_TEXT ? '.' : line)).filter((line) => {
    if (FURNITURE.has(line)) return false;
    if (line === 'U.S.-Japan Relations') {
      if (titleSeen) return false; // running header of pages 2 and 3
      titleSeen = true;
    }
    return true;
  });
}

function briefText(): string {
  const { brief } = validateDir(sampleDir).result!;
  const parts: string[] = [brief.title];
  for (const section of brief.sections) {
    if (section.heading) parts.push(section.heading);
    for (const block of section.blocks) {
      if (block.paragraph) parts.push(plainText(parseInline(block.paragraph)));
      if (block.figure) {
        const figure = brief.figures.find((f) => f.id === block.figure)!;
        parts.push(`Figure 1. ${figure.title}`, `Source: ${figure.source}`);
      }
    }
  }
  for (const a of brief.authors) parts.push(`${a.name}${a.role ? `, ${a.role}` : ''}, ${a.title}`);
  parts.push(brief.id, 'Disclaimer', brief.disclaimer);
  return parts.join(' ');
}

const histogram = (s: string) => [...s].reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());

describe('the IF10199 sample against the seed', () => {
  const text = squash(briefText());
  const seedLines = seedContentLines();

  it('holds every line of the seed', () => {
    const missing = seedLines.filter((line) => !text.includes(squash(line)));
    expect(missing).toEqual([]);
  });

  it('holds every long line once (nothing duplicated when untangling the columns)', () => {
    const repeated = seedLines.filter((line) => line.length > 30).filter((line) => text.indexOf(squash(line)) !== text.lastIndexOf(squash(line)));
    expect(repeated).toEqual([]);
  });

  it('adds nothing: the same characters as the seed’s content, in the same numbers', () => {
    expect(histogram(text)).toEqual(histogram(squash(seedLines.join(''))));
  });
});

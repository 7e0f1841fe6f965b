// Synthetic briefs of realistic variety for the benchmark: 4–12 sections,
// 800–2,000 words, 1–3 figures of bar, line and pie types. Deterministic: the
// same seed writes the same briefs.
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { seededRandom } from '../random.ts';

const WORDS = (
  'the administration congress trade alliance security policy agreement tariffs negotiations economy investment region defense ' +
  'cooperation treaty officials analysts committee funding program states federal report data growth exports imports market ' +
  'government relations partners military forces budget support reforms development infrastructure energy climate health'
).split(' ');

export function writeSyntheticBriefs(root: string, count: number, seed = 1): string[] {
  const rand = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const sentence = () => {
    const words = Array.from({ length: int(8, 22) }, () => pick(WORDS));
    return words[0]![0]!.toUpperCase() + words.join(' ').slice(1) + '.';
  };
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const id = `SB${String(n + 1).padStart(4, '0')}`;
    ids.push(id);
    const dir = path.join(root, 'briefs', id);
    fs.mkdirSync(dir, { recursive: true });
    const sectionCount = int(4, 12);
    const targetWords = int(800, 2000);
    const figureCount = int(1, 3);
    const types = ['bar', 'line', 'pie'] as const;
    const figures = Array.from({ length: figureCount }, (_, f) => {
      const type = types[(n + f) % 3]!;
      const categories = Array.from({ length: int(4, 8) }, (_, i) => (type === 'line' ? String(2010 + i) : `${pick(WORDS)} ${i + 1}`));
      const file = `figure-${f + 1}.csv`;
      fs.writeFileSync(path.join(dir, file), `label,value\n${categories.map((c) => `${c},${(rand() * 500 + 10).toFixed(1)}`).join('\n')}\n`);
      return {
        id: `fig-${f + 1}`,
        title: `${pick(WORDS)} ${pick(WORDS)} by year`.replace(/^./, (c) => c.toUpperCase()),
        subtitle: 'billions of dollars',
        source: 'Synthetic data for benchmarking.',
        alt: `A ${type} chart of synthetic values.`,
        chart: { type, orientation: type === 'bar' ? 'horizontal' : 'vertical', data: file, categoryColumn: 'label', series: [{ column: 'value', label: 'Value' }], numberFormat: { decimals: 1 } },
      };
    });
    const wordsPerSection = Math.round(targetWords / sectionCount);
    const sections = Array.from({ length: sectionCount }, (_, s) => {
      const paragraphs: string[] = [];
      let words = 0;
      while (words < wordsPerSection) {
        const p = Array.from({ length: int(3, 6) }, sentence).join(' ');
        words += p.split(' ').length;
        paragraphs.push(p);
      }
      const blocks: Array<Record<string, unknown>> = paragraphs.map((paragraph) => ({ paragraph }));
      if (s > 0 && s <= figureCount) blocks.splice(1, 0, { figure: `fig-${s}` });
      if (s % 4 === 3) blocks.push({ bullets: [sentence(), sentence(), sentence()] });
      return s === 0 ? { blocks } : { heading: `${pick(WORDS)} and ${pick(WORDS)}`.replace(/^./, (c) => c.toUpperCase()), blocks };
    });
    const brief = {
      id,
      series: 'Synthetic Brief', // declares no page budget: these briefs run 2–5 pages
      title: `${pick(WORDS)} ${pick(WORDS)} and ${pick(WORDS)}`.replace(/^./, (c) => c.toUpperCase()),
      updated: '2020-01-02',
      version: int(1, 5),
      language: 'en-US',
      publisher: { name: 'Congressional Research Service', tagline: 'Informing the legislative debate since 1914', url: 'https://crsreports.congress.gov' },
      authors: [{ name: 'A. Analyst', title: 'Analyst in Public Policy' }],
      sections,
      figures,
      disclaimer: 'This document is synthetic and exists to measure the build.',
    };
    fs.writeFileSync(path.join(dir, 'brief.yaml'), stringify(brief, { lineWidth: 0 }));
  }
  return ids;
}

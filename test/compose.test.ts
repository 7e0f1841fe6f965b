// compose: the validated brief becomes what both renderers draw, with every link
// resolved to the address a reader's software can open.
import { describe, expect, it } from 'vitest';
import type { ChartArtifact } from '../pipeline/charts/charts.ts';
import { compose } from '../pipeline/compose/compose.ts';
import { plainText } from '../pipeline/core/text.ts';
import { copySample, everyElementDir, sharedContext, validateDir } from './helpers.ts';

function composeCopy(edit: (yaml: string) => string) {
  const { dir } = copySample(edit);
  const validated = validateDir(dir);
  if (!validated.result) throw new Error(validated.diagnostics.map((d) => d.message).join('\n'));
  // Links do not depend on the charts; a stand-in keeps this test free of canvas.
  const charts = new Map(validated.result.brief.figures.map((f) => [f.id, { figureId: f.id } as ChartArtifact]));
  return compose({ brief: validated.result.brief, charts, tables: new Map(), images: new Map(), templates: sharedContext().templates });
}

describe('compose', () => {
  it('resolves a report link whatever the case of its scheme, as validation accepts it', () => {
    const composed = composeCopy((y) => y.replace('(report:RL33740)', '(REPORT:RL33740)'));
    const hrefs = composed.body.flatMap((b) => (b.kind === 'paragraph' ? b.runs.flatMap((r) => (r.href ? [r.href] : [])) : []));
    expect(hrefs).toContain('https://crsreports.congress.gov/product/pdf/RL/RL33740');
    expect(hrefs.filter((h) => !/^(https?:|mailto:)/.test(h))).toEqual([]);
  });
});

describe('compose, with every content element', () => {
  const validated = validateDir(everyElementDir).result!;
  const charts = new Map(validated.brief.figures.filter((f) => f.chart).map((f) => [f.id, { figureId: f.id } as ChartArtifact]));
  const composed = compose({ brief: validated.brief, charts, tables: validated.tableData, images: validated.images, templates: sharedContext().templates });
  const paragraphs = composed.body.flatMap((b) => (b.kind === 'paragraph' ? [b.runs] : []));

  it('numbers figures and tables separately, in the order the text places them', () => {
    expect(composed.body.flatMap((b) => (b.kind === 'table' ? [b.table.caption] : b.kind === 'figure' ? [b.figure.caption] : []))).toEqual([
      'Table 1. Appropriations by Account, FY2022–FY2025',
      'Table 2. Grants Awarded by Year, 1986–2025',
      'Figure 1. Awards by Region, 2018–2025',
      'Figure 2. Exports, Imports and the Trade Balance, 2006–2025',
      'Figure 3. From Appropriation to Award',
      'Figure 4. Where Recipients Are Located',
    ]);
    expect(composed.body.find((b) => b.kind === 'table' && b.table.id === 'grants-by-year')).toMatchObject({ table: { continuedCaption: 'Table 2. Grants Awarded by Year, 1986–2025 (continued)' } });
  });

  it('fills cross-references with the number of what they name, linked to it, and keeps given text', () => {
    const links = paragraphs.flat().filter((r) => r.href?.startsWith('#'));
    expect(links.map((r) => `${r.text} → ${r.href}`)).toEqual([
      'Table 1 → #budget-by-account',
      'the long table of awards → #grants-by-year',
      'Table 2 → #grants-by-year',
      'Figure 1 → #awards-by-region',
      'Figure 2 → #trade-balance',
      'Figure 3 → #grant-process',
      'Figure 4 → #award-map',
    ]);
  });

  it('links a bare URL, leaving the sentence’s period outside it', () => {
    const url = paragraphs.flat().find((r) => r.href?.startsWith('https://www.fema.gov'));
    expect(url).toMatchObject({ text: 'https://www.fema.gov/grants/preparedness/nonprofit-security', href: 'https://www.fema.gov/grants/preparedness/nonprofit-security' });
  });

  it('raises footnote marks in cells and composes the lines under a table in order', () => {
    const table = composed.body.find((b) => b.kind === 'table')!;
    if (table.kind !== 'table') throw new Error('no table');
    expect(table.table.rows[1]![0]).toEqual([
      { text: 'Procurement, construction, and improvements', bold: false, italic: false },
      { text: 'a', bold: false, italic: false, superscript: true },
    ]);
    expect(table.table.totalRow).toBe(true);
    expect(table.table.width).toBe('page');
    const { source, notes, footnotes } = table.table.apparatus;
    expect([source, notes, ...footnotes].map((runs) => plainText(runs ?? []))).toEqual([
      'Source: Synthetic data for testing.',
      'Notes: Amounts are in nominal dollars. Totals may not add because of rounding.',
      'a. Includes construction of facilities.',
      'b. Restated after a transfer between accounts.',
    ]);
  });

  it('keeps sub-headings apart from headings, and a text box with its own label', () => {
    expect(composed.body.flatMap((b) => (b.kind === 'heading' ? [`${b.level} ${b.text}`] : []))).toEqual(['1 Awards over Time', '2 Awards by Region', '2 Trade Context', '1 The Award Process']);
    const box = composed.body.find((b) => b.kind === 'textbox');
    if (box?.kind !== 'textbox') throw new Error('no text box');
    expect(box.textbox.blocks.map((b) => b.kind)).toEqual(['paragraph', 'bullets']);
    expect(plainText(box.textbox.source!)).toBe('Sources: Synthetic description for testing.');
  });

  it('gives the deck each section’s figures, tables and text boxes in order', () => {
    expect(composed.deck.sections.map((s) => s.exhibits.map((e) => `${e.kind}:${e.title}`))).toEqual([
      ['table:Table 1. Appropriations by Account, FY2022–FY2025', 'textbox:How the Program Works'],
      ['table:Table 2. Grants Awarded by Year, 1986–2025'],
      ['figure:Figure 1. Awards by Region, 2018–2025'],
      ['figure:Figure 2. Exports, Imports and the Trade Balance, 2006–2025'],
      ['figure:Figure 3. From Appropriation to Award', 'figure:Figure 4. Where Recipients Are Located'],
    ]);
  });
});

describe('deck text without key points', () => {
  it('hands the deck a list’s items as they stand (no literal bullet in them); the notes mark them', () => {
    const validated = validateDir(everyElementDir).result!;
    const brief = { ...validated.brief, figures: [], tables: [], sections: [{ heading: 'Steps', level: 1 as const, blocks: [{ paragraph: 'First we plan. Then we act.' }, { bullets: ['Rank the applications.', 'Pay the awards.'] }] }] };
    const composed = compose({ brief, charts: new Map(), tables: new Map(), images: new Map(), templates: sharedContext().templates });
    const blocks = composed.deck.sections[0]!.blocks.map((b) => (b.kind === 'list' ? b.items.map((item) => item.map((r) => r.text).join('')) : b.runs.map((r) => r.text).join('')));
    expect(blocks).toEqual(['First we plan. Then we act.', ['Rank the applications.', 'Pay the awards.']]);
    expect(composed.deck.sections[0]!.keyPoints).toBeUndefined();
    expect(plainText(composed.deck.sections[0]!.notes)).toContain('• Rank the applications.');
  });
});

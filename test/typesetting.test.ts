// Justified text as TeX sets it: total-fit line breaking (core/totalfit.ts), held to
// the quality targets on every sample brief and on the benchmark's synthetic briefs,
// measured by the same figures the typesetting report prints.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_JUSTIFICATION, adjustment } from '../pipeline/core/justification.ts';
import type { Run } from '../pipeline/core/text.ts';
import { setTotalFit } from '../pipeline/core/totalfit.ts';
import { justify, setLines, type TextStyle } from '../pipeline/core/typeset.ts';
import { layoutBrief } from '../pipeline/pdf/layout.ts';
import { spacingFigures } from '../pipeline/pdf/spacing.ts';
import { typesetReports, type BriefReport } from '../pipeline/run/typeset-report.ts';
import { writeSyntheticBriefs } from './bench/synthetic.ts';
import { build, everyElementDir, expectBuilt, artifact, sharedContext, tempDir } from './helpers.ts';
import { projectRoot } from '../pipeline/core/paths.ts';

const { theme, fonts } = sharedContext();
const style: TextStyle = { face: 'serif', size: theme.pdf.body.size, color: '#000000', linkColor: '#0000ff' };
const plain = (text: string): Run[] => [{ text, bold: false, italic: false }];
const space = fonts.width(' ', { face: 'serif', weight: 'regular' }, style.size);

const sampleDirs = fs
  .readdirSync(path.join(projectRoot, 'data', 'briefs'))
  .sort()
  .map((id) => path.join(projectRoot, 'data', 'briefs', id));

describe('total fit on every sample brief and on synthetic briefs', () => {
  let reports: BriefReport[] = [];

  it('meets the targets: no ragged line, spaces 0.8–2× and over 1.5× on at most 1% of lines, hyphens within the rules', async () => {
    const synthetic = path.join(tempDir(), 'synthetic');
    const ids = writeSyntheticBriefs(synthetic, 8, 7);
    reports = await typesetReports([...sampleDirs, everyElementDir, ...ids.map((id) => path.join(synthetic, 'briefs', id))]);
    expect(reports.length).toBeGreaterThanOrEqual(12);
    for (const report of reports) {
      const f = report.totalFit.figures;
      const name = report.id;
      expect(f.justified, name).toBeGreaterThan(10);
      expect(f.ragged, name).toBe(0);
      expect(f.wideWords, name).toBe(0);
      expect(f.over2, name).toBe(0);
      expect(f.maxSpace, name).toBeLessThanOrEqual(2);
      expect(f.over15 / f.justified, name).toBeLessThanOrEqual(0.01);
      expect(f.minSpace, name).toBeGreaterThanOrEqual(0.8);
      expect(f.maxConsecutiveHyphens, name).toBeLessThanOrEqual(theme.pdf.justification.maxConsecutiveHyphens);
      expect(f.shortHyphenations, name).toBe(0);
    }
  });

  it('measures what first fit did wrong on the same briefs: the figures can fail', () => {
    const first = reports.map((r) => r.firstFit.figures);
    expect(first.reduce((n, f) => n + f.ragged, 0)).toBeGreaterThan(0);
    expect(first.reduce((n, f) => n + f.over2, 0)).toBeGreaterThan(0);
    expect(Math.max(...first.map((f) => f.over15 / f.justified))).toBeGreaterThan(0.1);
    for (const report of reports) expect(report.totalFit.figures.meanSpace, report.id).toBeLessThan(report.firstFit.figures.meanSpace);
  });
});

describe('a justified paragraph', () => {
  const text =
    'Financial institutions with limited technical expertise are increasingly relying upon third-party vendors for core processing, ' +
    'and regulators examine those service providers when activities are conducted through third-party relationships (i.e., outsourcing).';

  it('ends every line but its last exactly at the measure, its spaces within the limits', () => {
    const width = 180;
    const fit = setTotalFit(plain(text), style, fonts, () => width, { hyphenate: { language: 'en-US' }, justification: DEFAULT_JUSTIFICATION });
    const lines = fit.best.lines.map((line) => justify(line, width, space * 2.5, fonts, { justification: DEFAULT_JUSTIFICATION, space, size: style.size }));
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines.slice(0, -1)) {
      const last = line.fragments.at(-1)!;
      expect(last.dx + last.width).toBeCloseTo(width, 2);
    }
    const figures = spacingFigures([{ block: 0, width, lines, wideWords: 0 }], fonts);
    expect(figures.ragged).toBe(0);
    expect(figures.minSpace).toBeGreaterThanOrEqual(0.8);
    expect(figures.maxSpace).toBeLessThanOrEqual(2);
    // Every word set once, in order: the lines joined, a line-end hyphen closing up.
    const joined = lines.map((l) => l.fragments.map((f) => f.text).join('')).join(' ');
    expect(joined.replace(/- /g, '').replace(/-/g, '').replace(/\s+/g, ' ')).toBe(text.replace(/-/g, ''));
  });

  it('hyphenates only with two letters before and three after the hyphen, and no more lines in a row than allowed', () => {
    for (const maxConsecutiveHyphens of [0, 1, 2]) {
      const rules = { ...DEFAULT_JUSTIFICATION, maxConsecutiveHyphens, hyphenPenalty: 0, doubleHyphenDemerits: 0 };
      for (const width of [120, 140, 160]) {
        const fit = setTotalFit(plain(text), style, fonts, () => width, { hyphenate: { language: 'en-US' }, justification: rules });
        const ends = fit.best.lines.map((l) => l.fragments.map((f) => f.text).join(''));
        let run = 0;
        ends.forEach((line, i) => {
          if (!/\p{L}-$/u.test(line) || i === ends.length - 1) return void (run = 0);
          run++;
          // A break after the text's own hyphen counts too, as in TeX.
          expect(run, `${width}: ${line}`).toBeLessThanOrEqual(maxConsecutiveHyphens);
          const before = line.split(' ').at(-1)!.replace(/-$/, '');
          const after = ends[i + 1]!.split(' ')[0]!;
          // A break at one of the text's own hyphens ("third-party") breaks no word.
          if (text.includes(`${before}-${after.replace(/[^\p{L}]+$/u, '')}`)) return;
          expect(before.match(/\p{L}/gu)!.length, line).toBeGreaterThanOrEqual(2);
          expect(after.match(/\p{L}/gu)!.length, ends[i + 1]).toBeGreaterThanOrEqual(3);
        });
      }
    }
  });

  it('knows its best setting one line shorter when its breaks allow one, within the limits, and none when they do not', () => {
    const rules = { justification: DEFAULT_JUSTIFICATION, space, size: style.size };
    let found = 0;
    for (let width = 140; width < 260; width += 4) {
      const fit = setTotalFit(plain(`${text} ${text}`), style, fonts, () => width, { hyphenate: { language: 'en-US' }, justification: DEFAULT_JUSTIFICATION });
      expect(fit.variant(-3), `${width}`).toBeUndefined();
      const tighter = fit.variant(-1);
      if (!tighter) continue;
      found++;
      expect(tighter.lines).toHaveLength(fit.best.lines.length - 1);
      expect(tighter.demerits).toBeGreaterThan(fit.best.demerits);
      const justified = tighter.lines.map((line) => justify(line, width, space * 2.5, fonts, rules));
      const figures = spacingFigures([{ block: 0, width, lines: justified, wideWords: 0 }], fonts);
      expect(figures.minSpace).toBeGreaterThanOrEqual(0.8);
      expect(figures.maxSpace).toBeLessThanOrEqual(1.5);
      expect(figures.ragged).toBe(0);
    }
    expect(found).toBeGreaterThan(0);
  });

  it('cuts a word wider than the line between letters, and reports it', () => {
    const fit = setTotalFit(plain(`See ${'x'.repeat(80)} for details and more words to fill the line.`), style, fonts, () => 120, { justification: DEFAULT_JUSTIFICATION });
    expect(fit.wideWords).toBe(1);
    const rules = { justification: DEFAULT_JUSTIFICATION, space, size: style.size };
    for (const line of fit.best.lines.map((l) => justify(l, 120, space * 2.5, fonts, rules))) {
      const last = line.fragments.at(-1)!;
      expect(last.dx + last.width).toBeLessThanOrEqual(120 + 0.01);
    }
  });

  it('sets no worse than first fit: fewer loose lines on the same text', () => {
    const width = 150;
    const rules = { justification: DEFAULT_JUSTIFICATION, space, size: style.size };
    const total = setTotalFit(plain(text + ' ' + text), style, fonts, () => width, { hyphenate: { language: 'en-US' }, justification: DEFAULT_JUSTIFICATION }).best.lines.map((l) => justify(l, width, space * 2.5, fonts, rules));
    const first = setLines(plain(text + ' ' + text), style, fonts, () => width, { hyphenate: { language: 'en-US' } }).map((l) => justify(l, width, space * 2.5, fonts));
    const a = spacingFigures([{ block: 0, width, lines: total, wideWords: 0 }], fonts);
    const b = spacingFigures([{ block: 0, width, lines: first, wideWords: 0 }], fonts);
    expect(a.over15).toBeLessThan(Math.max(1, b.over15));
    expect(a.maxSpace).toBeLessThan(b.maxSpace);
  });
});

describe('the model of justification', () => {
  it('gives a word space of 1 + stretch × r and 1 − shrink × |r| of its width, the glyphs within their limits', () => {
    const line = { natural: 230, spaces: 9, glyphs: 60, space, size: style.size };
    for (const width of [222, 226, 234, 238, 242]) {
      const a = adjustment(line, width, DEFAULT_JUSTIFICATION);
      expect(Math.abs(a.ratio)).toBeLessThanOrEqual(1);
      const expected = a.ratio >= 0 ? 1 + DEFAULT_JUSTIFICATION.stretch * a.ratio : 1 + DEFAULT_JUSTIFICATION.shrink * a.ratio;
      expect(a.spaceFactor).toBeCloseTo(expected, 2);
      expect(Math.abs(a.scale - 1)).toBeLessThanOrEqual(DEFAULT_JUSTIFICATION.expansion + 1e-9);
      expect(Math.abs(a.letterSpacing)).toBeLessThanOrEqual(DEFAULT_JUSTIFICATION.tracking * style.size + 1e-9);
      // The line as drawn ends at the measure.
      expect(a.scale * (line.natural + line.spaces * a.wordSpacing + (line.glyphs - 1) * a.letterSpacing)).toBeCloseTo(width, 6);
    }
  });
});

describe('the PDF as a reader sees it', () => {
  it('ends every justified line of the body at its column edge (pdf.js reading the drawn text)', async () => {
    const built = expectBuilt(await build(path.join(projectRoot, 'data', 'briefs', 'IF13201'), ['pdf']));
    const composedLayout = await layoutFor('IF13201');
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({ data: new Uint8Array(artifact(built, 'pdf')), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
    let checked = 0;
    for (const [p, page] of composedLayout.pages.entries()) {
      if (page.kind === 'disclaimer') continue;
      const pdfPage = await doc.getPage(p + 1);
      const height = pdfPage.view[3]!;
      const items = (await pdfPage.getTextContent()).items.flatMap((i) => ('str' in i && i.str.trim() ? [{ x: i.transform[4] as number, y: height - (i.transform[5] as number), right: (i.transform[4] as number) + i.width }] : []));
      for (const item of page.items) {
        if (item.kind !== 'text' || (item.role !== 'P' && item.role !== 'LI') || item.block < 0) continue;
        const column = page.columns[item.column]!;
        for (const line of item.lines) {
          if (!line.fragments.some((f) => f.wordSpacing !== undefined || f.scale !== undefined)) continue;
          const drawn = items.filter((i) => Math.abs(i.y - line.baseline) < 0.5 && i.x >= column.x - 1 && i.x < column.x + column.width);
          expect(drawn.length).toBeGreaterThan(0);
          expect(Math.max(...drawn.map((i) => i.right))).toBeCloseTo(column.x + column.width, 0);
          checked++;
        }
      }
    }
    await doc.destroy();
    expect(checked).toBeGreaterThan(100);
  });
});

async function layoutFor(id: string) {
  const { loadBrief } = await import('../pipeline/input/load.ts');
  const { validateBrief } = await import('../pipeline/validate/validate.ts');
  const { compose } = await import('../pipeline/compose/compose.ts');
  const validated = validateBrief(loadBrief(path.join(projectRoot, 'data', 'briefs', id)), fonts);
  const { brief, tableData, images, figureData } = validated.result!;
  const charts = await sharedContext().charts.renderFigures(brief.figures, figureData, brief.language);
  const composed = compose({ brief, charts, tables: tableData, images, templates: sharedContext().templates });
  return layoutBrief(composed, theme, fonts, theme.series[brief.series]?.bodyPages);
}

describe('npm run typeset-report', () => {
  const script = path.join(projectRoot, 'pipeline', 'run', 'typeset-report.ts');
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: projectRoot, encoding: 'utf8' });

  it('prints each brief asked for with total fit beside first fit, and the same figures as JSON', () => {
    const text = run(['IF13201']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^IF13201\n\s+total fit\s+first fit\n/);
    const ragged = /ragged lines inside paragraphs\s+(\d+)\s+(\d+)/.exec(text.stdout)!;
    const json = run(['IF13201', '--json']);
    const [report] = JSON.parse(json.stdout) as BriefReport[];
    expect(report!.id).toBe('IF13201');
    expect([Number(ragged[1]), Number(ragged[2])]).toEqual([report!.totalFit.figures.ragged, report!.firstFit.figures.ragged]);
  });

  it('refuses an unknown brief or option with a usage error', () => {
    const unknown = run(['IF00000']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no brief IF00000/);
    const option = run(['--bogus']);
    expect(option.status).toBe(2);
    expect(option.stderr).toMatch(/Usage: npm run typeset-report/);
  });
});

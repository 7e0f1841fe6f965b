// Bad input a person can type, and text that must print exactly as typed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { artifact, build, copySample, expectBuilt, readDeck, readPdf, squash } from './helpers.ts';
import { validationErrors } from './helpers.ts';

const errors = validationErrors;

const csv = (dir: string, text: string) => fs.writeFileSync(path.join(dir, 'top-us-trade-partners.csv'), text);

describe('more bad input, each located', () => {
  it('refuses numbers with a leading zero (YAML 1.1 octal)', () => {
    const [d] = errors((y) => y.replace('version: 11', 'version: 011'));
    expect(d).toMatchObject({ field: 'version', line: 10, column: 10 });
    expect(d!.message).toMatch(/leading zero/);
  });

  it('keeps YAML 1.1 booleans as the words they are', () => {
    expect(errors((y) => y.replace('series: In Focus', 'series: no'))).toEqual([]);
    expect(errors((y) => y.replace('version: 11', 'version: yes'))[0]).toMatchObject({ field: 'version', message: 'expected a number, got the text "yes"' });
  });

  it('refuses empty text where text is required', () => {
    expect(errors((y) => y.replace('title: U.S.-Japan Relations', 'title: "   "'))[0]).toMatchObject({ field: 'title', message: 'must not be empty' });
  });

  it('refuses ids that differ only in case', () => {
    const [d] = errors((y) => y.replace('  - id: RL33740\n', '  - id: rl33436\n'));
    expect(d).toMatchObject({ field: 'relatedReports[1].id' });
    expect(d!.message).toBe('duplicate id "rl33436" (differs only in case from "RL33436")');
  });

  it('refuses URLs that are not http or https', () => {
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi']) {
      const [d] = errors((y) => y.replace('url: https://crsreports.congress.gov/product/pdf/RL/RL33436', `url: "${bad}"`));
      expect(d, bad).toMatchObject({ field: 'relatedReports[0].url', message: 'expected an http:// or https:// URL' });
    }
  });

  it('refuses CSV values that are not finite numbers, out of range, or missing a header', () => {
    const header = 'partner,total_trade_usd_billions\n';
    for (const [value, column] of [['NaN', 7], ['Infinity', 7], ['1e16', 7], ['', 7]] as const) {
      const [d] = errors(undefined, (dir) => csv(dir, `${header}China,${value}\n`));
      expect(d, value).toMatchObject({ line: 2, column });
      expect(d!.message).toMatch(/is not a finite number/);
    }
    expect(errors(undefined, (dir) => csv(dir, ''))[0]!.message).toBe('CSV file is empty; expected a header row');
    expect(errors(undefined, (dir) => csv(dir, header))[0]!.message).toMatch(/header but no data rows/);
  });

  it('locates CSV problems in the CSV, also in records that span lines', () => {
    const [multi] = errors(undefined, (dir) => csv(dir, 'partner,total_trade_usd_billions\n"China,\nmainland",oops\nCanada,679.9\n'));
    expect(multi).toMatchObject({ file: expect.stringMatching(/top-us-trade-partners\.csv$/), line: 3, column: 11 });
    const [syntax] = errors(undefined, (dir) => csv(dir, 'partner,total_trade_usd_billions\nChina,711.7\n"Canada,679.9\n'));
    expect(syntax).toMatchObject({ file: expect.stringMatching(/top-us-trade-partners\.csv$/) });
    expect(syntax!.line).toBeGreaterThan(1);
    expect(syntax!.message).toMatch(/^CSV: /);
  });

  it('refuses a missing data file and an oversized field', () => {
    expect(errors(undefined, (dir) => fs.rmSync(path.join(dir, 'top-us-trade-partners.csv')))[0]!.message).toBe('file "top-us-trade-partners.csv" not found next to brief.yaml');
    const [d] = errors((y) => y.replace('title: U.S.-Japan Relations', `title: "${'x'.repeat(301)}"`));
    expect(d).toMatchObject({ field: 'title', message: 'longer than 300 characters' });
  });

  it('refuses a YAML alias bomb with a message, not a crash', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const [d] = errors(() => bomb);
    expect(d).toMatchObject({ line: 1, column: 1 });
    expect(d!.message).toMatch(/^YAML: .*alias/i);
  });

  it('checks the glyphs of chart labels read from the CSV', async () => {
    const { dir } = copySample();
    csv(dir, 'partner,total_trade_usd_billions\nChina 🗾,711.7\nCanada,679.9\n');
    const result = await build(dir);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.find((d) => d.field === 'figures[0].chart.data')?.message).toBe(
      'label "China 🗾" in top-us-trade-partners.csv: character "🗾" (U+1F5FE) has no glyph in any bundled font',
    );
  });

  it('refuses an oversized brief file, naming the limit', () => {
    const [d] = errors((y) => y + `# ${'padding '.repeat(140_000)}\n`);
    expect(d!.message).toMatch(/^file is \d+ bytes; the limit is 1000000$/);
  });
});

describe('text that must print as typed', () => {
  it('prints & < > " \' exactly in both outputs', async () => {
    const title = `R&D <Trade> "Quotes" 'Apos'`;
    const { dir } = copySample((y) => y.replace('title: U.S.-Japan Relations', `title: ${JSON.stringify(title)}`));
    const result = expectBuilt(await build(dir));
    const pdf = await readPdf(artifact(result, 'pdf'));
    expect(pdf.pages[0]!.content.join('')).toContain(title);
    expect(pdf.info['Title']).toBe(title);
    const deck = await readDeck(artifact(result, 'pptx'));
    expect(deck.slides[0]!.title).toBe(title);
    expect(deck.files.get('docProps/core.xml')).toContain('R&amp;D &lt;Trade&gt;');
  });

  it('prints template syntax in the data literally', async () => {
    const text = '{{constructor}} {{> x}} {{{x}}}';
    const { dir } = copySample((y) => y.replace('title: Top U.S. Trade Partners', `title: "${text}"`));
    const result = expectBuilt(await build(dir));
    expect((await readPdf(artifact(result, 'pdf'))).pages.map((p) => p.content.join('')).join('')).toContain(`Figure 1. ${text}`);
    expect((await readDeck(artifact(result, 'pptx'))).slides.map((s) => s.title)).toContain(`Figure 1. ${text}`);
  });

  it('sets right-to-left text and combining marks', async () => {
    const { dir } = copySample((y) =>
      y.replace('          Tokyo is existentially', '          Tokyo (טוקיו) is existentially').replace('Mitsubishi should', 'Mitsubishi (Mitsubishi\u0301) should'),
    );
    const result = expectBuilt(await build(dir));
    const text = (await readPdf(artifact(result, 'pdf'))).pages.map((p) => p.content.join('')).join('');
    // A PDF stores right-to-left text in visual order, as drawn.
    expect(text).toMatch(/\((טוקיו|ויקוט)\)/);
    expect(squash(text).normalize('NFC')).toContain('(Mitsubishi\u0301)'.normalize('NFC'));
  });
});

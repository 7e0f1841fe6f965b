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
    expect(d).toMatchObject({ code: 'ambiguous-number', field: 'version', line: 10, column: 10, hint: 'write 11 or, for text, quote it: "011"' });
  });

  it('keeps YAML 1.1 booleans as the words they are', () => {
    expect(errors((y) => y.replace('series: In Focus', 'series: no'))).toEqual([]);
    expect(errors((y) => y.replace('version: 11', 'version: yes'))[0]).toMatchObject({ code: 'wrong-type', field: 'version' });
  });

  it('refuses a language tag that is not well formed', () => {
    expect(errors((y) => y.replace('language: en-US', 'language: en-12'))[0]).toMatchObject({ code: 'invalid-value', field: 'language' });
    expect(errors((y) => y.replace('language: en-US', 'language: fr-CA'))).toEqual([]);
  });

  it('refuses empty text where text is required', () => {
    expect(errors((y) => y.replace('title: U.S.-Japan Relations', 'title: "   "'))[0]).toMatchObject({ code: 'invalid-value', field: 'title' });
  });

  it('refuses ids that differ only in case', () => {
    const [d] = errors((y) => y.replace('  - id: RL33740\n', '  - id: rl33436\n'));
    expect(d).toMatchObject({ code: 'duplicate-id', field: 'relatedReports[1].id', hint: 'first used at relatedReports[0]' });
    expect(d!.message).toContain('"RL33436"');
  });

  it('refuses URLs that are not http or https', () => {
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi']) {
      const [d] = errors((y) => y.replace('url: https://crsreports.congress.gov/product/pdf/RL/RL33436', `url: "${bad}"`));
      expect(d, bad).toMatchObject({ code: 'invalid-value', field: 'relatedReports[0].url' });
    }
  });

  it('refuses CSV values that are not finite numbers, out of range, or missing a header', () => {
    const header = 'partner,total_trade_usd_billions\n';
    for (const [value, column] of [['NaN', 7], ['Infinity', 7], ['1e16', 7], ['', 7]] as const) {
      const [d] = errors(undefined, (dir) => csv(dir, `${header}China,${value}\n`));
      expect(d, value).toMatchObject({ code: 'csv-not-a-number', line: 2, column });
    }
    expect(errors(undefined, (dir) => csv(dir, ''))[0]!.code).toBe('csv-empty');
    expect(errors(undefined, (dir) => csv(dir, header))[0]!.code).toBe('csv-no-rows');
  });

  it('locates CSV problems in the CSV, also in records that span lines', () => {
    const [multi] = errors(undefined, (dir) => csv(dir, 'partner,total_trade_usd_billions\n"China,\nmainland",oops\nCanada,679.9\n'));
    expect(multi).toMatchObject({ code: 'csv-not-a-number', file: expect.stringMatching(/top-us-trade-partners\.csv$/), line: 3, column: 11 });
    const [syntax] = errors(undefined, (dir) => csv(dir, 'partner,total_trade_usd_billions\nChina,711.7\n"Canada,679.9\n'));
    expect(syntax).toMatchObject({ file: expect.stringMatching(/top-us-trade-partners\.csv$/) });
    expect(syntax!.line).toBeGreaterThan(1);
    expect(syntax!.code).toBe('csv-syntax');
  });

  it('refuses a missing data file and an oversized field', () => {
    expect(errors(undefined, (dir) => fs.rmSync(path.join(dir, 'top-us-trade-partners.csv')))[0]).toMatchObject({ code: 'file-not-found', field: 'figures[0].chart.data' });
    const [d] = errors((y) => y.replace('title: U.S.-Japan Relations', `title: "${'x'.repeat(301)}"`));
    expect(d).toMatchObject({ code: 'invalid-value', field: 'title' });
  });

  it('refuses a YAML alias bomb with a message, not a crash', () => {
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    const [d] = errors(() => bomb);
    expect(d).toMatchObject({ code: 'yaml-aliases', line: 1, column: 1 });
  });

  it('checks the glyphs of chart labels read from the CSV', async () => {
    const { dir } = copySample();
    csv(dir, 'partner,total_trade_usd_billions\nChina 🗾,711.7\nCanada,679.9\n');
    const result = await build(dir);
    expect(result.ok).toBe(false);
    const d = result.diagnostics.find((d) => d.field === 'figures[0].chart.data');
    expect(d?.code).toBe('no-glyph');
    expect(d?.message).toContain('"China 🗾"');
    expect(d?.message).toContain('(U+1F5FE)');
  });

  it('refuses an oversized brief file, naming the limit', () => {
    const [d] = errors((y) => y + `# ${'padding '.repeat(140_000)}\n`);
    expect(d!.code).toBe('file-too-large');
    expect(d!.message).toContain('1000000');
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

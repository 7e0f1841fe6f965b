// load + validate: every problem reported at once, each with the file, the line
// and column a person must edit, and the field path.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../pipeline/core/diagnostics.ts';
import { limits } from '../pipeline/input/schema.ts';
import { copySample, validateDir, validationErrors, writeBrief } from './helpers.ts';

const diagnosticsFor = validationErrors;

/** Line (1-based) of the first line of the edited YAML that contains `needle`. */
function lineOf(edit: (yaml: string) => string, needle: string): number {
  const { dir } = copySample(edit);
  const lines = fs.readFileSync(path.join(dir, 'brief.yaml'), 'utf8').split('\n');
  return lines.findIndex((l) => l.includes(needle)) + 1;
}

describe('the sample', () => {
  it('is valid, with no warnings', () => {
    const { dir } = copySample();
    const result = validateDir(dir);
    expect(result.diagnostics).toEqual([]);
    expect(result.result?.brief.sections).toHaveLength(7);
    expect(result.result?.figureData.get('top-us-trade-partners')?.categories).toEqual(['China', 'Canada', 'Mexico', 'Japan', 'Germany']);
  });
});

describe('located errors', () => {
  it('names file, line, column and field for a wrong type', () => {
    const edit = (y: string) => y.replace('version: 11', 'version: eleven');
    const [d] = diagnosticsFor(edit);
    expect(d).toMatchObject({ code: 'wrong-type', field: 'version', line: lineOf(edit, 'version: eleven'), column: 10 });
    expect(formatDiagnostic(d!)).toMatch(/^.*briefs\/IF10199\/brief\.yaml:\d+:10 version: expected a number/);
  });

  it('reports the CSV problems with the schema errors, in one run (the README\'s example)', () => {
    const ds = validationErrors(
      (y) => y.replace('version: 11', 'version: eleven').replace('  - heading: Regional Relations', '  - headng: Regional Relations'),
      (dir) => {
        const csv = path.join(dir, 'top-us-trade-partners.csv');
        fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace('711.7', 'lots'));
      },
    );
    expect(ds.map((d) => d.code).sort()).toEqual(['csv-not-a-number', 'unknown-field', 'wrong-type']);
    expect(ds.find((d) => d.code === 'csv-not-a-number')).toMatchObject({ file: expect.stringMatching(/top-us-trade-partners\.csv$/), line: 2, field: 'figures[0].chart' });
  });

  it('does not read a CSV whose reference is itself wrong while the schema fails', () => {
    const ds = diagnosticsFor((y) => y.replace('version: 11', 'version: eleven').replace('categoryColumn: partner', 'categoryColumn: 7'));
    expect(ds.map((d) => d.field).sort()).toEqual(['figures[0].chart.categoryColumn', 'version']);
  });

  it('says "at most 60 sections; this brief has 61" in the project\'s words, not zod\'s', () => {
    const section = (i: number) => `  - heading: Part ${i}\n    blocks:\n      - paragraph: Text ${i}.`;
    const dir = writeBrief(['sections:', ...Array.from({ length: limits.sections + 1 }, (_, i) => section(i))].join('\n'));
    const errors = validateDir(dir).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.field, d.message])).toEqual([['sections', `at most ${limits.sections} sections; this brief has ${limits.sections + 1}`]]);
  });

  it('names a !!binary value for what it is', () => {
    const [d] = diagnosticsFor((y) => y.replace('title: Top U.S. Trade Partners', 'title: !!binary aGVsbG8='));
    expect(d).toMatchObject({ code: 'wrong-type', field: 'figures[0].title' });
    expect(d!.message).toBe('expected a string, got a binary value (!!binary), which a brief does not take');
  });

  it('reports every problem, not only the first', () => {
    const ds = diagnosticsFor((y) => y.replace('version: 11', 'version: "11"').replace('language: en-US', 'language: 12').replace('title: Top U.S. Trade Partners', 'title: ""'));
    expect(ds.map((d) => d.field).sort()).toEqual(['figures[0].title', 'language', 'version']);
  });

  it('suggests the field a typo meant, pointing at the key', () => {
    const edit = (y: string) => y.replace('  - heading: Regional Relations', '  - headng: Regional Relations');
    const [d] = diagnosticsFor(edit);
    expect(d).toMatchObject({ code: 'unknown-field', field: 'sections[2].headng', line: lineOf(edit, 'headng:'), column: 5, hint: 'did you mean "heading"?' });
  });

  it('shows a field name with a character that prints nothing (DEL, a bidirectional override) as \\u{…}, so it does not read as the field it spoils', () => {
    for (const [unseen, shown] of [['\u007F', '\\u{7F}'], ['\u202E', '\\u{202E}']] as const) {
      const [d] = diagnosticsFor((y) => y.replace('  - heading: Regional Relations', `  - head${unseen}ing: Regional Relations`));
      expect(d).toMatchObject({ code: 'unknown-field', field: `sections[2].head${shown}ing`, hint: 'did you mean "heading"?' });
      expect(d!.message).toBe(`unknown field "head${shown}ing"`);
    }
  });

  it('names a missing required field at its parent', () => {
    const [d] = diagnosticsFor((y) => y.replace(/^disclaimer: >-\n(  .*\n)+/m, ''));
    expect(d).toMatchObject({ code: 'missing-field', field: 'disclaimer' });
  });

  it('rejects dates that do not exist and unquoted ones are not coerced', () => {
    const [bad] = diagnosticsFor((y) => y.replace('updated: "2019-05-14"', 'updated: "2019-02-30"'));
    expect(bad).toMatchObject({ code: 'invalid-value', field: 'updated' });
    // YAML 1.2: an unquoted date stays the string it looks like.
    expect(diagnosticsFor((y) => y.replace('updated: "2019-05-14"', 'updated: 2019-05-14'))).toEqual([]);
  });

  it('reports YAML syntax errors and duplicate keys with their position', () => {
    const dup = (y: string) => y.replace('version: 11', 'version: 11\nversion: 12');
    const [d] = diagnosticsFor(dup);
    expect(d).toMatchObject({ code: 'yaml-syntax', line: lineOf(dup, 'version: 12') });
    const [syntax] = diagnosticsFor((y) => y.replace('title: U.S.-Japan Relations', 'title: [unclosed'));
    expect(syntax!.code).toBe('yaml-syntax');
    expect(syntax!.line).toBeGreaterThan(0);
  });

  it('flags a figure reference to nothing, with a suggestion', () => {
    const edit = (y: string) => y.replace('- figure: top-us-trade-partners', '- figure: top-us-trade-partner');
    const ds = diagnosticsFor(edit);
    expect(ds.find((d) => d.field === 'sections[4].blocks[2].figure')).toMatchObject({
      code: 'undefined-figure',
      hint: 'did you mean "top-us-trade-partners"?',
      line: lineOf(edit, '- figure: top-us-trade-partner'),
    });
    expect(ds.find((d) => d.field === 'figures[0].id')?.code).toBe('figure-not-placed');
  });

  it('refuses links with a scheme other than http, https, mailto or report', () => {
    const ds = diagnosticsFor((y) => y.replace('[CRS Report RL33740](report:RL33740)', '[CRS Report RL33740](javascript:alert(1))'));
    expect(ds[0]).toMatchObject({ code: 'link-scheme', field: 'sections[6].blocks[0].paragraph' });
  });

  it('refuses a report link to an undefined report', () => {
    const ds = diagnosticsFor((y) => y.replace('(report:RL33740)', '(report:RL3374)'));
    expect(ds[0]).toMatchObject({ code: 'undefined-report', hint: 'did you mean "RL33740"?' });
  });

  it('keeps data files inside the brief folder', () => {
    const abs = diagnosticsFor((y) => y.replace('data: top-us-trade-partners.csv', 'data: /etc/passwd'));
    expect(abs[0]).toMatchObject({ code: 'path-outside', field: 'figures[0].chart.data' });
    const up = diagnosticsFor((y) => y.replace('data: top-us-trade-partners.csv', 'data: ../IF10199/top-us-trade-partners.csv'));
    expect(up[0]!.code).toBe('path-outside');
    const link = diagnosticsFor(
      (y) => y.replace('data: top-us-trade-partners.csv', 'data: outside.csv'),
      (dir) => fs.symlinkSync('/etc/hostname', path.join(dir, 'outside.csv')),
    );
    expect(link[0]!.code).toBe('path-outside');
  });

  it('locates CSV problems at the CSV line and column', () => {
    const ds = diagnosticsFor(
      undefined,
      (dir) => fs.writeFileSync(path.join(dir, 'top-us-trade-partners.csv'), 'partner,total_trade_usd_billions\nChina,711.7\nCanada,lots\nMexico\n'),
    );
    expect(ds.map((d) => `${path.basename(d.file)}:${d.line}:${d.column} ${d.code}`)).toEqual(['top-us-trade-partners.csv:3:8 csv-not-a-number', 'top-us-trade-partners.csv:4:1 csv-ragged-row']);
  });

  it('names the missing column and lists the header', () => {
    const [d] = diagnosticsFor((y) => y.replace('column: total_trade_usd_billions', 'column: total'));
    expect(d).toMatchObject({ code: 'unknown-column', field: 'figures[0].chart.series[0].column', hint: 'the header has: partner, total_trade_usd_billions' });
  });

  it('requires the id to match the folder', () => {
    const [d] = diagnosticsFor((y) => y.replace('id: IF10199', 'id: IF10200'));
    expect(d).toMatchObject({ code: 'id-mismatch', field: 'id' });
  });

  it('strips characters XML forbids, with a warning naming the field', () => {
    const { dir } = copySample((y) => y.replace('title: U.S.-Japan Relations', 'title: "U.S.-Japan\\u0007 Relations"'));
    const result = validateDir(dir);
    expect(result.result?.brief.title).toBe('U.S.-Japan Relations');
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'control-characters', field: 'title' })]);
  });

  it('names a character no bundled font can draw, with its code point', () => {
    const { dir } = copySample((y) => y.replace('title: U.S.-Japan Relations', 'title: "U.S.-Japan Relations 🗾"'));
    const result = validateDir(dir);
    expect(result.result).toBeUndefined();
    const [d] = result.diagnostics;
    expect(d).toMatchObject({ code: 'no-glyph', severity: 'error', field: 'title', line: 8, column: 8 });
    expect(d!.message).toContain('(U+1F5FE)');
  });
});

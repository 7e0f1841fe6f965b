// Text that is not UTF-8 (a Latin-1 "é" saved by an old editor) is refused at the
// line and column of its first bad byte, instead of printing as U+FFFD in the PDF,
// its metadata, the slides and the chart.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8 } from '../pipeline/input/files.ts';
import { copySample, validateDir } from './helpers.ts';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('invalid UTF-8', () => {
  it('refuses a brief.yaml with a Latin-1 byte, at its line and column, with the fix', () => {
    const { dir } = copySample();
    const file = path.join(dir, 'brief.yaml');
    const text = fs.readFileSync(file, 'utf8').replace('title: ', 'title: Caf\u00e9 ');
    const line = text.slice(0, text.indexOf('Caf\u00e9')).split('\n').length;
    const column = text.split('\n')[line - 1]!.indexOf('\u00e9') + 1;
    fs.writeFileSync(file, latin1(text));
    const errors = validateDir(dir).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toMatchObject([{ code: 'not-utf8', line, column, file: expect.stringMatching(/brief\.yaml$/) }]);
    expect(errors[0]!.message).toMatch(/byte 0xE9 is not UTF-8/);
    expect(errors[0]!.hint).toMatch(/save it as UTF-8/);
  });

  it('refuses a CSV with a Latin-1 byte, at the CSV\'s line and column', () => {
    const { dir } = copySample();
    const file = path.join(dir, 'top-us-trade-partners.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[2] = `M\u00e9xico${lines[2]!.slice(lines[2]!.indexOf(','))}`;
    fs.writeFileSync(file, latin1(lines.join('\n')));
    const errors = validateDir(dir).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toMatchObject([{ code: 'not-utf8', line: 3, column: 2, field: 'figures[0].chart.data', file: expect.stringMatching(/top-us-trade-partners\.csv$/) }]);
  });

  it('finds the first bad byte past valid multi-byte characters, and refuses overlong forms and surrogates', () => {
    expect(firstInvalidUtf8(Buffer.from('a—é\u{1F5FE}b'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong NUL
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a UTF-16 surrogate
    expect(firstInvalidUtf8(Buffer.from([0xe2, 0x80]))).toBe(0); // cut short
    const decoded = decodeUtf8(Buffer.concat([Buffer.from('x: 1\ny: —'), Buffer.from([0xe9])]));
    expect(decoded).toMatchObject({ ok: false, line: 2, column: 5 });
  });
});

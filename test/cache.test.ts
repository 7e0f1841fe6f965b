// The input-hash cache reuses a brief's files only when every file its last build
// read is as it was then: the key is made from what the build read, by the name
// the brief gives each file, not from a listing of the folder.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySample, runMain, tempDir } from './helpers.ts';

const CSV = 'top-us-trade-partners.csv';
const run = (root: string, out: string) => runMain(['--data', root, '--out', out, '--jobs', '1', '--format', 'pdf']);
const status = (out: string) => (JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { briefs: Array<{ status: string }> }).briefs[0]!.status;
const pdf = (out: string) => fs.readFileSync(path.join(out, 'IF10199.pdf'));

describe('the input-hash cache', () => {
  it('rebuilds when a data file\'s link is pointed at another file', async () => {
    const { root, dir } = copySample();
    const out = tempDir();
    const original = fs.readFileSync(path.join(dir, CSV), 'utf8');
    fs.writeFileSync(path.join(dir, 'a.csv'), original);
    fs.writeFileSync(path.join(dir, 'b.csv'), original.replace('711.7', '700.0'));
    fs.rmSync(path.join(dir, CSV));
    fs.symlinkSync('a.csv', path.join(dir, CSV));
    expect((await run(root, out)).code).toBe(0);
    const before = pdf(out);
    expect((await run(root, out)).code).toBe(0);
    expect(status(out)).toBe('reused');
    fs.rmSync(path.join(dir, CSV));
    fs.symlinkSync('b.csv', path.join(dir, CSV));
    const { code, stderr } = await run(root, out);
    expect(code, stderr).toBe(0);
    expect(status(out)).toBe('built');
    expect(pdf(out).equals(before)).toBe(false);
  });

  it('rebuilds, and refuses, when the folder holding a data file is renamed', async () => {
    const { root, dir } = copySample((yaml) => yaml.replace(`data: ${CSV}`, `data: data/${CSV}`));
    const out = tempDir();
    fs.mkdirSync(path.join(dir, 'data'));
    fs.renameSync(path.join(dir, CSV), path.join(dir, 'data', CSV));
    expect((await run(root, out)).code).toBe(0);
    fs.renameSync(path.join(dir, 'data'), path.join(dir, 'data-old'));
    const { code, stderr } = await run(root, out);
    expect(code).toBe(1);
    expect(stderr).toMatch(/figures\[0\]\.chart\.data: file "data\/top-us-trade-partners\.csv" not found/);
    expect(status(out)).toBe('failed');
  });

  it('keeps the files when only a file the brief does not read changes, and records what it read', async () => {
    const { root, dir } = copySample();
    const out = tempDir();
    expect((await run(root, out)).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not part of the brief');
    expect((await run(root, out)).code).toBe(0);
    expect(status(out)).toBe('reused');
    const entry = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).briefs[0];
    expect(Object.keys(entry.inputs)).toEqual(['brief.yaml', CSV]);
  });
});

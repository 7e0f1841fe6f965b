// The CLI as a user runs it: exit codes, messages on stderr, the output folder and
// manifest afterwards. main(argv) runs in this process (the same code the command
// runs); test/faults.test.ts keeps the cases that need a real process.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../pipeline/output/manifest.ts';
import { copySample, runMain, sampleDir, tempDir } from './helpers.ts';

const run = (args: string[]) => runMain([...args, '--jobs', '1']);

const listing = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);

describe('build:brief', async () => {
  it('builds every brief into the output folder with a manifest', async () => {
    const { root } = copySample();
    const out = path.join(tempDir(), 'nested', 'out');
    const { code, stderr } = await run(['--data', root, '--out', out]);
    expect(code, stderr).toBe(0);
    expect(listing(out)).toEqual(['IF10199.html', 'IF10199.pdf', 'IF10199.pptx', 'index.html', 'manifest.json', 'thumbs']);
    expect(stderr).toMatch(/^IF10199 load [\d.]+ ms$/m);
    expect(stderr).toMatch(/^IF10199 render-pdf [\d.]+ ms$/m);
    // The two steps after the renderers, timed too: the bench reports every stage a single build prints.
    expect(stderr).toMatch(/^IF10199 thumbnail [\d.]+ ms$/m);
    expect(stderr).toMatch(/^IF10199 publish [\d.]+ ms$/m);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const [entry] = manifest.briefs;
    expect(entry).toMatchObject({ id: 'IF10199', version: 11, updated: '2019-05-14', status: 'built' });
    for (const a of entry.artifacts) {
      const bytes = fs.readFileSync(path.join(out, a.path));
      expect(a.bytes).toBe(bytes.length);
      expect(a.sha256).toBe(sha256(bytes));
    }
    expect(entry.artifacts.map((a: { pages?: number; slides?: number }) => a.pages ?? a.slides)).toEqual([3, 12, undefined]);
    expect(entry.columnFill).toHaveLength(2);
  });

  it('builds only the formats asked for', async () => {
    const out = tempDir();
    expect((await run(['IF10199', '--format', 'pdf', '--out', out])).code).toBe(0);
    expect(listing(out)).toEqual(['IF10199.pdf', 'index.html', 'manifest.json', 'thumbs']);
  });

  it('answers usage errors with exit 2 and help with exit 0', async () => {
    expect((await run(['--bogus'])).code).toBe(2);
    expect((await run(['--format', 'docx'])).stderr).toMatch(/unknown format "docx"/);
    const missing = await run(['IF99999', '--out', tempDir()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no brief IF99999/);
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run build:brief/);
  });

  it('exits 1 on invalid input, prints FILE:LINE:COL FIELD, writes nothing and keeps the previous artifacts', async () => {
    const { root, dir } = copySample();
    const out = tempDir();
    expect((await run(['--data', root, '--out', out])).code).toBe(0);
    // The brief's own files; the manifest and the catalog change to say it failed.
    const before = new Map(['IF10199.pdf', 'IF10199.pptx', 'IF10199.html', 'thumbs/IF10199.png'].map((f) => [f, fs.readFileSync(path.join(out, f))]));
    const file = path.join(dir, 'brief.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: 11', 'version: eleven').replace('  - heading: Regional Relations', '  - headng: Regional Relations'));
    const { code, stderr } = await run(['--data', root, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/briefs\/IF10199\/brief\.yaml:10:10 version: expected a number, got the text "eleven"/);
    expect(stderr).toMatch(/brief\.yaml:\d+:5 sections\[2\]\.headng: unknown field "headng" \(did you mean "heading"\?\)/);
    for (const [name, bytes] of before) expect(fs.readFileSync(path.join(out, name)).equals(bytes), name).toBe(true);
    expect(listing(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.briefs[0]).toMatchObject({ id: 'IF10199', status: 'failed', artifacts: [] });
    expect(manifest.briefs[0].errors).toHaveLength(2);
    // The earlier files are still there, untouched: the record says so, and where they came from.
    const lastGood = manifest.briefs[0].lastGood;
    expect(lastGood).toMatchObject({ version: 11, updated: '2019-05-14' });
    expect(lastGood.artifacts.map((a: { path: string }) => a.path)).toEqual(['IF10199.pdf', 'IF10199.pptx', 'IF10199.html']);
    for (const a of lastGood.artifacts) expect(a.sha256).toBe(sha256(before.get(a.path)!));
    // A second failure keeps pointing at the same last good build; once those files are gone, it no longer does.
    expect((await run(['--data', root, '--out', out])).code).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).briefs[0].lastGood).toEqual(lastGood);
    fs.rmSync(path.join(out, 'IF10199.pptx'));
    expect((await run(['--data', root, '--out', out])).code).toBe(1);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).briefs[0].lastGood).toBeUndefined();
  });

  it('builds the good briefs of a batch when one is bad, and exits 1', async () => {
    const { root } = copySample();
    const bad = path.join(root, 'briefs', 'BAD1');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'brief.yaml'), 'id: BAD1\ntitle: [\n');
    const out = tempDir();
    const { code, stderr } = await run(['--data', root, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/BAD1\/brief\.yaml:\d+:\d+ : YAML:|BAD1\/brief\.yaml:\d+:\d+: YAML:/);
    expect(listing(out)).toEqual(['IF10199.html', 'IF10199.pdf', 'IF10199.pptx', 'index.html', 'manifest.json', 'thumbs']);
  });

  it('replaces nothing when manifest.json cannot be written (a folder in its place), and says so', async () => {
    const { root, dir } = copySample();
    const out = tempDir();
    expect((await run(['--data', root, '--out', out])).code).toBe(0);
    const before = new Map(['IF10199.pdf', 'IF10199.pptx', 'IF10199.html', 'thumbs/IF10199.png'].map((f) => [f, fs.readFileSync(path.join(out, f))]));
    const file = path.join(dir, 'brief.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: 11', 'version: 12'));
    fs.rmSync(path.join(out, 'manifest.json'));
    fs.mkdirSync(path.join(out, 'manifest.json'));
    const { code, stderr } = await run(['--data', root, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot write .*manifest\.json: a folder of that name is in the way; the previous files are unchanged/);
    for (const [name, bytes] of before) expect(fs.readFileSync(path.join(out, name)).equals(bytes), name).toBe(true);
    expect(listing(out)).toEqual(['IF10199.html', 'IF10199.pdf', 'IF10199.pptx', 'index.html', 'manifest.json', 'thumbs']);
  });

  it('removes the temp files a killed build left, and nothing else', async () => {
    const { root } = copySample();
    const out = tempDir();
    const leftovers = ['.IF10199.pdf.4242.0123abcd.tmp', '.briefpress.lock.4242.0123abcd', '.briefpress.lock.0123456789abcdef.takeover'];
    for (const name of [...leftovers, '.notes.tmp', 'mine.txt']) fs.writeFileSync(path.join(out, name), 'partial');
    const old = new Date(Date.now() - 3_600_000);
    for (const name of leftovers) fs.utimesSync(path.join(out, name), old, old);
    expect((await run(['--data', root, '--out', out, '--format', 'pdf'])).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['.notes.tmp', 'IF10199.pdf', 'index.html', 'manifest.json', 'mine.txt', 'thumbs']);
  });

  it('builds an id given twice once, and refuses --jobs that is not a plain number', async () => {
    const { root } = copySample();
    const twice = await run(['IF10199', 'IF10199', '--data', root, '--out', tempDir(), '--format', 'pdf']);
    expect(twice.code).toBe(0);
    expect(twice.stderr.match(/^IF10199 load /gm)).toHaveLength(1);
    for (const jobs of ['1e1', '0x2', '2.0', ' 2', '+2']) {
      const { code, stderr } = await runMain(['--data', root, '--out', tempDir(), '--jobs', jobs]);
      expect(code, jobs).toBe(2);
      expect(stderr).toMatch(/--jobs: expected a whole number/);
    }
  });

  it('refuses an output folder inside a brief folder (the build would feed on its own output)', async () => {
    const { root, dir } = copySample();
    for (const out of [dir, path.join(dir, 'out')]) {
      const { code, stderr } = await run(['--data', root, '--out', out]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--out .* is inside the brief folder/);
    }
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('refuses an output folder that reaches a brief folder through a symbolic link, either way round', async () => {
    const { root, dir } = copySample();
    const before = listing(dir);
    const work = tempDir();
    // --out is a link to the brief folder, or a folder below such a link (not made yet).
    fs.symlinkSync(dir, path.join(work, 'outlink'));
    for (const out of [path.join(work, 'outlink'), path.join(work, 'outlink', 'o', 'p')]) {
      const { code, stderr } = await run(['--data', root, '--out', out]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/--out .* is inside the brief folder/);
    }
    // --data is a link to the data folder, and --out is named through the real one.
    fs.symlinkSync(root, path.join(work, 'dlink'));
    const { code, stderr } = await run(['--data', path.join(work, 'dlink'), '--out', path.join(dir, 'o')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--out .* is inside the brief folder/);
    expect(listing(dir)).toEqual(before);
  });

  it('fails clearly when the output path is a file', async () => {
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, 'x');
    const { code, stderr } = await run(['--data', path.dirname(path.dirname(sampleDir)), '--out', file]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/output/);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });
});

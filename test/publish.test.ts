// output: files replaced whole or not at all, and the manifest merged run by run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BriefpressError } from '../pipeline/core/diagnostics.ts';
import { writeAllAtomic, writeAtomic, writeAtomicIfChanged } from '../pipeline/output/atomic.ts';
import { artifactRecords, ManifestRecords, publishBrief, readManifest, writeManifest, type Artifact, type ManifestEntry } from '../pipeline/output/manifest.ts';
import { tempDir } from './helpers.ts';

const made: string[] = [];
const scratch = () => {
  const dir = tempDir();
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const failing = (failOn: string) => (from: string, to: string) => {
  if (to === failOn) throw Object.assign(new Error(`EIO: rename ${from} -> ${to}`), { code: 'EIO' });
  fs.renameSync(from, to);
};

describe('atomic writes', () => {
  it('replaces a file whole and leaves no temp file', () => {
    const dir = scratch();
    const file = path.join(dir, 'a.pdf');
    writeAtomic(file, 'old');
    writeAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readdirSync(dir)).toEqual(['a.pdf']);
  });

  it('leaves a file that already holds the bytes alone (no new file, no flush), and replaces one that does not', () => {
    const dir = scratch();
    const file = path.join(dir, 'index.html');
    expect(writeAtomicIfChanged(file, 'page')).toBe(true);
    const inode = fs.statSync(file).ino;
    expect(writeAtomicIfChanged(file, Buffer.from('page'))).toBe(false);
    expect(fs.statSync(file).ino).toBe(inode);
    expect(writeAtomicIfChanged(file, 'page 2')).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe('page 2');
    expect(fs.statSync(file).ino).not.toBe(inode);
    expect(fs.readdirSync(dir)).toEqual(['index.html']);
    fs.rmSync(file);
    fs.mkdirSync(file);
    expect(() => writeAtomicIfChanged(file, 'page')).toThrow(/a folder of that name is in the way/);
  });

  it('refuses, before writing anything, a folder standing where a file goes', () => {
    const dir = scratch();
    writeAtomic(path.join(dir, 'a.pdf'), 'previous');
    const blocked = path.join(dir, 'a.pptx');
    fs.mkdirSync(blocked);
    expect(() => writeAllAtomic([{ file: path.join(dir, 'a.pdf'), bytes: 'new' }, { file: blocked, bytes: 'new' }])).toThrow(/a folder of that name is in the way/);
    expect(fs.readFileSync(path.join(dir, 'a.pdf'), 'utf8')).toBe('previous');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.pdf', 'a.pptx']);
  });

  it('keeps the previous files and removes every temp file when the first rename fails', () => {
    const dir = scratch();
    const [pdf, pptx] = [path.join(dir, 'a.pdf'), path.join(dir, 'a.pptx')];
    writeAllAtomic([{ file: pdf, bytes: 'old pdf' }, { file: pptx, bytes: 'old deck' }]);
    let thrown: unknown;
    try {
      writeAllAtomic([{ file: pdf, bytes: 'new pdf' }, { file: pptx, bytes: 'new deck' }], failing(pdf));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BriefpressError);
    expect((thrown as BriefpressError).message).toMatch(/cannot write .*a\.pdf: EIO; the previous files are unchanged$/);
    expect([fs.readFileSync(pdf, 'utf8'), fs.readFileSync(pptx, 'utf8')]).toEqual(['old pdf', 'old deck']);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.pdf', 'a.pptx']);
  });

  it('puts back the files already replaced when a later rename fails: nothing replaced, no temp or backup left', () => {
    const dir = scratch();
    const [pdf, pptx] = [path.join(dir, 'a.pdf'), path.join(dir, 'a.pptx')];
    writeAllAtomic([{ file: pdf, bytes: 'old pdf' }, { file: pptx, bytes: 'old deck' }]);
    expect(() => writeAllAtomic([{ file: pdf, bytes: 'new pdf' }, { file: pptx, bytes: 'new deck' }], failing(pptx))).toThrow(
      /cannot write .*a\.pptx: EIO; nothing replaced, the previous files are unchanged$/,
    );
    expect([fs.readFileSync(pdf, 'utf8'), fs.readFileSync(pptx, 'utf8')]).toEqual(['old pdf', 'old deck']);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.pdf', 'a.pptx']);
  });

  it('removes a file that did not exist before when a later rename fails', () => {
    const dir = scratch();
    const [pdf, pptx] = [path.join(dir, 'a.pdf'), path.join(dir, 'a.pptx')];
    writeAtomic(pptx, 'old deck');
    expect(() => writeAllAtomic([{ file: pdf, bytes: 'new pdf' }, { file: pptx, bytes: 'new deck' }], failing(pptx))).toThrow(/nothing replaced/);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.pptx']);
    expect(fs.readFileSync(pptx, 'utf8')).toBe('old deck');
  });
});

describe('publishing a brief', () => {
  const artifacts = (text: string): Artifact[] => [
    { format: 'pdf', bytes: Buffer.from(`${text} pdf`), count: 3 },
    { format: 'pptx', bytes: Buffer.from(`${text} deck`), count: 5 },
    { format: 'html', bytes: Buffer.from(`${text} page`), count: 1 },
  ];
  const publish = (dir: string, text: string, rename?: (from: string, to: string) => void) => {
    const built = artifacts(text);
    publishBrief(dir, 'briefpress test', { id: 'M1', status: 'built', artifacts: artifactRecords('M1', built) }, built, rename);
  };
  const snapshot = (dir: string) => new Map(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

  it('leaves every file and the manifest byte-identical when the second rename fails', () => {
    const dir = scratch();
    publish(dir, 'old');
    const before = snapshot(dir);
    expect([...before.keys()]).toEqual(['M1.html', 'M1.pdf', 'M1.pptx', 'manifest.json']);
    let thrown: unknown;
    try {
      publish(dir, 'new', failing(path.join(dir, 'M1.pptx')));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BriefpressError);
    expect((thrown as BriefpressError).message).toMatch(/cannot write .*M1\.pptx: EIO; nothing replaced, the previous files are unchanged$/);
    // Byte for byte as before, and no temp or backup file beside them.
    expect(snapshot(dir)).toEqual(before);
    // The manifest still matches the files on disk.
    const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');
    expect(readManifest(dir)?.briefs[0]?.artifacts.map((a) => a.sha256 === sha(a.path))).toEqual([true, true, true]);
    publish(dir, 'new');
    expect(fs.readFileSync(path.join(dir, 'M1.pdf'), 'utf8')).toBe('new pdf');
    expect(fs.readdirSync(dir).sort()).toEqual(['M1.html', 'M1.pdf', 'M1.pptx', 'manifest.json']);
  });
});

describe('manifest', () => {
  it('is not written again at the end of a run whose every brief was published with its record (issue 14: one flush pair less per build)', () => {
    const dir = scratch();
    const entry = { id: 'M1', status: 'built' as const, artifacts: [] };
    publishBrief(dir, 'briefpress test', entry, []);
    const inode = fs.statSync(path.join(dir, 'manifest.json')).ino;
    writeManifest(dir, 'briefpress test', [entry]);
    expect(fs.statSync(path.join(dir, 'manifest.json')).ino).toBe(inode);
    // A run that changes a record still writes it.
    writeManifest(dir, 'briefpress test', [{ ...entry, status: 'reused' }]);
    expect(fs.statSync(path.join(dir, 'manifest.json')).ino).not.toBe(inode);
    expect(readManifest(dir)?.briefs.map((b) => b.status)).toEqual(['reused']);
  });

  it('merges a partial build into the existing manifest', () => {
    const dir = scratch();
    writeManifest(dir, 'briefpress test', [{ id: 'B', status: 'built', artifacts: [] }, { id: 'A', status: 'built', artifacts: [] }]);
    writeManifest(dir, 'briefpress test', [{ id: 'A', status: 'failed', artifacts: [], errors: ['x'] }]);
    expect(readManifest(dir)?.briefs.map((b) => `${b.id}:${b.status}`)).toEqual(['A:failed', 'B:built']);
  });

  it('is written from the run’s records in memory byte for byte as merging into the file on disk writes it, brief after brief, and a failed publish records nothing', () => {
    const [fromDisk, fromMemory] = [scratch(), scratch()];
    const artifacts = (text: string): Artifact[] => [
      { format: 'pdf', bytes: Buffer.from(`${text} pdf`), count: 2 },
      { format: 'pptx', bytes: Buffer.from(`${text} deck`), count: 4 },
    ];
    // A manifest already there, with a record the run replaces; the run's ids come in no order, two of them equal to localeCompare.
    const earlier: ManifestEntry[] = [
      { id: 'IF20', status: 'reused', artifacts: [], title: 'Older, "quoted" \u2013 and multi\nline' },
      { id: 'IF03', status: 'built', artifacts: artifactRecords('IF03', artifacts('three')), tightened: [{ field: 'sections[0].body', line: 12, from: 9, to: 8 }] },
    ];
    for (const dir of [fromDisk, fromMemory]) writeManifest(dir, 'briefpress test', earlier);
    const records = new ManifestRecords('briefpress test', readManifest(fromMemory)!.briefs);
    const ids = ['IF10', 'IF03', 'A1', 'if10b', 'IF99', 'e\u0301', 'Z', 'IF10', '\u00e9'];
    ids.forEach((id, i) => {
      const built = artifacts(`${id} ${i}`);
      const entry: ManifestEntry = { id, status: 'built', version: i, artifacts: artifactRecords(id, built), ...(i % 2 ? { authors: ['Ä. Author', 'B'] } : {}) };
      publishBrief(fromDisk, 'briefpress test', entry, built);
      publishBrief(fromMemory, 'briefpress test', entry, built, undefined, [], records);
      expect(fs.readFileSync(path.join(fromMemory, 'manifest.json'), 'utf8')).toBe(fs.readFileSync(path.join(fromDisk, 'manifest.json'), 'utf8'));
    });
    expect(readManifest(fromMemory)!.briefs.map((b) => b.id)).toEqual(['A1', 'e\u0301', '\u00e9', 'IF03', 'IF10', 'if10b', 'IF20', 'IF99', 'Z']);
    // A publish that fails leaves the records as they were: the next one writes what is on disk plus its own.
    const before = fs.readFileSync(path.join(fromMemory, 'manifest.json'), 'utf8');
    const built = artifacts('lost');
    expect(() => publishBrief(fromMemory, 'briefpress test', { id: 'B2', status: 'built', artifacts: artifactRecords('B2', built) }, built, failing(path.join(fromMemory, 'B2.pptx')), [], records)).toThrow(BriefpressError);
    expect(fs.readFileSync(path.join(fromMemory, 'manifest.json'), 'utf8')).toBe(before);
    expect(records.textWith({ id: 'C3', status: 'failed', artifacts: [] })).not.toContain('"B2"');
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BriefpressError } from '../pipeline/core/diagnostics.ts';
import { readManifest, writeAtomic, writeManifest } from '../pipeline/output/publish.ts';
import { tempDir } from './helpers.ts';

describe('publish', () => {
  it('replaces a file whole and leaves no temp file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.pdf');
    writeAtomic(file, 'old');
    writeAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readdirSync(dir)).toEqual(['a.pdf']);
  });

  it('leaves the previous file intact and removes the temp file when writing fails', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.pdf');
    writeAtomic(file, 'previous');
    // A folder where the file should go makes the final rename fail after the temp file was written.
    const blocked = path.join(dir, 'blocked.pdf');
    fs.mkdirSync(blocked);
    fs.writeFileSync(path.join(blocked, 'keep'), 'x');
    expect(() => writeAtomic(blocked, 'new')).toThrow(BriefpressError);
    expect(fs.readFileSync(file, 'utf8')).toBe('previous');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.pdf', 'blocked.pdf']);
  });

  it('merges a partial build into the existing manifest', () => {
    const dir = tempDir();
    writeManifest(dir, 'briefpress test', [{ id: 'B', status: 'built', artifacts: [] }, { id: 'A', status: 'built', artifacts: [] }]);
    writeManifest(dir, 'briefpress test', [{ id: 'A', status: 'failed', artifacts: [], errors: ['x'] }]);
    expect(readManifest(dir)?.briefs.map((b) => `${b.id}:${b.status}`)).toEqual(['A:failed', 'B:built']);
  });
});

// Faults during a build: a full disk (a file-size limit), a second build on the
// same folder, a signal mid-batch. Nothing half-written, previous files intact.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_NAME, processIdentity } from '../pipeline/output/lock.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { copyCollection, copySample, launcher, runCli, tempDir, snapshotFiles } from './helpers.ts';

const run = runCli;


/** The sample and copies of it as IF10191, IF10192, …: `copies` briefs in all. */
const batch = (copies: number): string => copyCollection(['IF10199', ...Array.from({ length: copies - 1 }, (_, i) => `IF1019${i + 1}`)]);

describe('faults', () => {
  it('says exactly what stands when only the run’s closing manifest write fails: the files are untouched, the old manifest stays', () => {
    const root = copyCollection(['IF10199', 'IF10191']);
    const out = tempDir();
    const broken = path.join(root, 'briefs', 'IF10191', 'brief.yaml');
    fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').replace('version: 11', 'version: eleven'));
    expect(run(['--data', root, '--out', out]).code).toBe(1);
    const before = snapshotFiles(out);
    // The failed brief now fails with many more messages: its record outgrows the file-size limit, the rest is reused.
    fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').replace(/^(\s+- heading: )(.*)$/gm, '$1[1, 2]').replace(/^(\s+)(- paragraph: )>-$/gm, '$1$2[3, 4]\n$1  extra: >-'));
    const limitKb = Math.ceil(before.get('manifest.json')!.length / 1024);
    const { code, stderr } = run(['--data', root, '--out', out], { ulimitKb: limitKb });
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot write .*manifest\.json: .*; the 0 briefs built in this run are published and recorded in it, the records of the 2 reused or failed are not/);
    expect(snapshotFiles(out)).toEqual(before);
  });

  it('reports a full disk (file-size limit) and leaves the previous artifacts and manifest as they were', () => {
    const { root } = copySample();
    const out = tempDir();
    expect(run(['--data', root, '--out', out]).code).toBe(0);
    const before = snapshotFiles(out);
    const file = path.join(root, 'briefs', 'IF10199', 'brief.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: 11', 'version: 12'));
    const { code, stderr } = run(['--data', root, '--out', out], { ulimitKb: 40 });
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot write .*IF10199\.pdf: the file size limit was reached; the previous files are unchanged/);
    expect(snapshotFiles(out)).toEqual(before);
  });

  it('waits for, then refuses, a build that holds the output folder; takes over a stale lock', () => {
    const { root } = copySample();
    const out = tempDir();
    fs.writeFileSync(path.join(out, LOCK_NAME), `${process.pid}\n`); // this test process: alive
    const held = run(['--data', root, '--out', out], { env: { BRIEFPRESS_LOCK_TIMEOUT_MS: '300' } });
    expect(held.code).toBe(1);
    expect(held.stderr).toMatch(new RegExp(`waiting for another build \\(process ${process.pid}\\)`));
    expect(held.stderr).toMatch(/another build \(process \d+\) is writing to/);
    expect(fs.readdirSync(out)).toEqual([LOCK_NAME]);
    fs.writeFileSync(path.join(out, LOCK_NAME), '2147483646\n'); // no such process
    expect(run(['--data', root, '--out', out]).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['IF10199.html', 'IF10199.pdf', 'IF10199.pptx', 'index.html', 'manifest.json', 'thumbs']);
  });

  it('tells a live holder from an unrelated process that has its PID', () => {
    const { root } = copySample();
    const out = tempDir();
    const lock = path.join(out, LOCK_NAME);
    const env = { BRIEFPRESS_LOCK_TIMEOUT_MS: '300' };
    // This test process, recorded as the lock records it: a live build.
    fs.writeFileSync(lock, JSON.stringify({ ...processIdentity(process.pid), token: 'a' }) + '\n');
    expect(run(['--data', root, '--out', out], { env }).code).toBe(1);
    // PID 1 is alive, but it is not the process that took this lock (another start time).
    fs.writeFileSync(lock, JSON.stringify({ ...processIdentity(1), start: '999999999999', token: 'b' }) + '\n');
    expect(run(['--data', root, '--out', out, '--format', 'pdf'], { env }).code).toBe(0);
    // A PID-only lock written before PID 1 started (a previous boot): not PID 1's.
    fs.writeFileSync(lock, '1\n');
    fs.utimesSync(lock, new Date('2000-01-01'), new Date('2000-01-01'));
    expect(run(['--data', root, '--out', out, '--format', 'pptx'], { env }).code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['IF10199.pdf', 'IF10199.pptx', 'index.html', 'manifest.json', 'thumbs']);
  });

  it('runs two builds on one folder one after the other, never interleaved', async () => {
    const root = batch(2);
    const out = tempDir();
    const start = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [launcher, '--data', root, '--out', out, '--jobs', '1'], { cwd: projectRoot });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const [a, b] = await Promise.all([start(), start()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stderr + b.stderr).toMatch(/waiting for another build/);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.briefs.map((e: { id: string }) => e.id)).toEqual(['IF10191', 'IF10199']);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp') || f === LOCK_NAME)).toEqual([]);
  }, 120_000);
});

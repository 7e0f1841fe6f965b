// Something other than a lock file at the lock's path (a folder, a dangling link, a
// link to /dev/zero, a FIFO) is refused at once with exit 1 and words naming it,
// rather than spinning, reading without end or blocking in open(). And a build
// waiting for a live lock still answers Ctrl-C. Real processes, each killed after
// 20 s: a build that hangs fails its test, not the whole run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { LOCK_NAME, processIdentity } from '../pipeline/output/lock.ts';
import { copySample, launcher, tempDir } from './helpers.ts';

const KILL_AFTER_MS = 20_000;

function run(root: string, out: string): { code: number | null; stderr: string; ms: number } {
  const started = Date.now();
  const result = spawnSync(process.execPath, [launcher, '--data', root, '--out', out, '--jobs', '1', '--format', 'pdf'], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: KILL_AFTER_MS,
    killSignal: 'SIGKILL',
    env: { ...process.env, BRIEFPRESS_LOCK_TIMEOUT_MS: '3000' },
  });
  return { code: result.status, stderr: result.stderr, ms: Date.now() - started };
}

describe('a lock path that is not a lock file', () => {
  const cases: ReadonlyArray<[string, (file: string) => void, RegExp]> = [
    ['a folder', (f) => fs.mkdirSync(f), /\.briefpress\.lock is a folder, not a lock file: remove it/],
    ['a dangling symbolic link', (f) => fs.symlinkSync('/nonexistent', f), /\.briefpress\.lock is a symbolic link, not a lock file: remove it/],
    ['a symbolic link to /dev/zero', (f) => fs.symlinkSync('/dev/zero', f), /\.briefpress\.lock is a symbolic link, not a lock file: remove it/],
    ['a FIFO', (f) => execFileSync('mkfifo', [f]), /\.briefpress\.lock is a FIFO \(named pipe\), not a lock file: remove it/],
  ];
  for (const [what, make, message] of cases) {
    it(`refuses ${what} at the lock path with exit 1, at once`, () => {
      const { root } = copySample();
      const out = tempDir();
      make(path.join(out, LOCK_NAME));
      const { code, stderr, ms } = run(root, out);
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
      expect(ms).toBeLessThan(KILL_AFTER_MS);
      // Nothing was built, and the thing in the way is left for its owner to remove.
      expect(fs.readdirSync(out).filter((f) => f !== LOCK_NAME)).toEqual([]);
    }, 30_000);
  }
});

describe('waiting for a live lock', () => {
  // An empty BRIEFPRESS_LOCK_TIMEOUT_MS (a CI variable set to nothing) means the default, not "give up at once".
  for (const timeout of ['60000', '']) it(`exits 130 on SIGINT while it waits (BRIEFPRESS_LOCK_TIMEOUT_MS="${timeout}"), and leaves the other build's lock alone`, async () => {
    const { root } = copySample();
    const out = tempDir();
    const lock = path.join(out, LOCK_NAME);
    // Held by this test's own process: alive for as long as the child waits.
    const content = JSON.stringify({ ...processIdentity(process.pid), token: 'held-by-the-test' }) + '\n';
    fs.writeFileSync(lock, content);
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [launcher, '--data', root, '--out', out], { cwd: projectRoot, env: { ...process.env, BRIEFPRESS_LOCK_TIMEOUT_MS: timeout } });
      const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/waiting for another build/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      child.on('close', (exit) => {
        clearTimeout(killer);
        resolve(exit);
      });
    });
    expect(code).toBe(130);
    expect(fs.readFileSync(lock, 'utf8')).toBe(content);
  }, 30_000);


});

describe('an --out path that cannot be a folder', () => {
  const file = () => {
    const f = path.join(tempDir(), 'a-file');
    fs.writeFileSync(f, 'x');
    return f;
  };
  const cases: ReadonlyArray<[string, () => string, RegExp]> = [
    ['a regular file', file, /the output path .*a-file is not a folder/],
    ['a path under a regular file', () => path.join(file(), 'out'), /the output path .*a-file[/\\]out is not a folder: .*a-file is a file/],
    // Node's recursive mkdir loops for ever on ENOENT from /proc.
    ['a new folder under /proc', () => '/proc/briefpress-out', /cannot create the output folder \/proc\/briefpress-out: \/proc(\/briefpress-out)? does not accept new files/],
    ['/proc itself', () => '/proc', /the output folder \/proc does not accept new files/],
  ];
  for (const [what, out, message] of cases) {
    it(`refuses ${what} with exit 1 and words, at once`, () => {
      const { root } = copySample();
      const { code, stderr } = run(root, out());
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(message);
      // An errno code (ENOTDIR, EACCES) as a word, not letters inside a random temp folder name.
      expect(stderr).not.toMatch(/\bE[A-Z]{3,}\b|internal error/);
    }, 30_000);
  }
});

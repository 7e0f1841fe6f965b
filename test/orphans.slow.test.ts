// kill -9 of the CLI mid-batch: its worker processes must not outlive it, and
// nothing may be written into the output folder once it is gone (a newer build
// may own the folder by then).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { copyCollection, launcher, tempDir } from './helpers.ts';

const childrenOf = (pid: number): number[] =>
  fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).flatMap((name) => {
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const listing = (dir: string) => fs.readdirSync(dir).sort().map((f) => `${f} ${fs.statSync(path.join(dir, f)).mtimeMs}`);

describe('orphan workers', () => {
  it('stop when the CLI is killed, and write nothing after it', async () => {
    const root = copyCollection(['IF10199', 'IF10191', 'IF10192', 'IF10193', 'IF10194', 'IF10195']);
    const out = tempDir();
    const child = spawn(process.execPath, [launcher, '--data', root, '--out', out, '--jobs', '2'], { cwd: projectRoot });
    const workers = await new Promise<number[]>((resolve) => {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/ built /.test(stderr)) resolve(childrenOf(child.pid!));
      });
    });
    child.kill('SIGKILL');
    // 'exit', not 'close': the workers share the CLI's stderr and keep it open.
    await new Promise((resolve) => child.on('exit', resolve));
    const atKill = listing(out);
    expect(workers.length).toBe(2);
    const deadline = Date.now() + 5000;
    while (workers.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(workers.filter(alive)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listing(out)).toEqual(atKill);
  }, 60_000);
});

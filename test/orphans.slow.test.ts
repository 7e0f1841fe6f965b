// kill -9 of the CLI mid-batch: its workers must not outlive it, and nothing may be
// written into the output folder once it is gone (a newer build may own the folder
// by then). The workers are threads of its process (pipeline/run/pool.ts), so the
// batch starts no process that could be left behind.
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
const listing = (dir: string) => fs.readdirSync(dir).sort().map((f) => `${f} ${fs.statSync(path.join(dir, f)).mtimeMs}`);

describe('orphan workers', () => {
  it('cannot outlive the CLI: the batch starts no process, and nothing is written after a kill -9', async () => {
    const root = copyCollection(['IF10199', 'IF10191', 'IF10192', 'IF10193', 'IF10194', 'IF10195']);
    const out = tempDir();
    const child = spawn(process.execPath, [launcher, '--data', root, '--out', out, '--jobs', '2'], { cwd: projectRoot });
    const childrenWhileBuilding = await new Promise<number[]>((resolve) => {
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/ built /.test(stderr)) resolve(childrenOf(child.pid!));
      });
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    const atKill = listing(out);
    // Mid-batch, a brief built: no process of its own beside the CLI's.
    expect(childrenWhileBuilding).toEqual([]);
    // A brief was published before the kill; nothing is written after it.
    expect(atKill.some((line) => line.startsWith('IF') && line.includes('.pdf '))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listing(out)).toEqual(atKill);
  }, 60_000);
});

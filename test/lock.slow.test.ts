// The output folder's lock under contention: real processes started together,
// racing to take over stale locks, never hold it two at a time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { LOCK_NAME } from '../pipeline/output/lock.ts';
import { tempDir } from './helpers.ts';

const fixture = path.join(projectRoot, 'test', 'fixtures', 'lock-stress.ts');

describe('output lock', () => {
  it('is never held by two processes at once, even when many take over stale locks together', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, LOCK_NAME), '2147483646\n'); // stale from the start
    const processes = 6;
    const rounds = 60;
    // Time for every process to load before the first round, then rounds of 40 ms.
    const start = Date.now() + 2500;
    const exits = Array.from({ length: processes }, (_, i) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, dir, String(rounds), String(start), String(i)], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      return new Promise<string>((resolve) => child.on('close', (code) => resolve(`${code}${code === 0 ? '' : `: ${stderr}`}`)));
    });
    expect(await Promise.all(exits)).toEqual(Array.from({ length: processes }, () => '0'));
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('twice-'))).toEqual([]);
  }, 60_000);
});

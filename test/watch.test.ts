// --watch: a real process for the end-to-end case (it runs until a signal), and
// the rebuild selection in this process, with a fake build and its own templates.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { shardOf } from '../pipeline/run/cache.ts';
import { watchBriefs } from '../pipeline/run/watch.ts';
import { copyCollection, copySample, launcher, tempDir } from './helpers.ts';

describe('--watch', () => {
  it('rebuilds a brief when its data changes, until interrupted', async () => {
    const { root, dir } = copySample();
    const out = tempDir();
    const child = spawn(process.execPath, [launcher, '--data', root, '--out', out, '--watch', '--jobs', '1'], { cwd: projectRoot });
    let stderr = '';
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got:\n${stderr}`)), 60_000);
        const check = () => {
          if (pattern.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          check();
        });
        check();
      });
    await seen(/watching /);
    const before = fs.readFileSync(path.join(out, 'IF10199.pdf'));
    const csv = path.join(dir, 'top-us-trade-partners.csv');
    fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace('711.7', '700.0'));
    await seen(/change detected: rebuilding IF10199[\s\S]*1 brief: 1 built/);
    expect(fs.readFileSync(path.join(out, 'IF10199.pdf')).equals(before)).toBe(false);
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exit).toBe(130);
  }, 120_000);

  it('rebuilds only the briefs of its shard when a template changes', async () => {
    const ids = ['IF10199', 'IF20001', 'IF20002', 'IF20003', 'IF20004', 'IF20005'];
    const inShard = ids.filter((id) => shardOf(id, 2) === 0);
    // The check means something only if the shard leaves some briefs out.
    expect(inShard.length).toBeGreaterThan(0);
    expect(inShard.length).toBeLessThan(ids.length);
    const root = copyCollection(ids);
    const templates = tempDir();
    fs.mkdirSync(path.join(templates, 'pdf'));
    const stop = new AbortController();
    const rebuilt: string[][] = [];
    const done = new Promise<void>((resolve) => {
      const watching = watchBriefs(
        { dataDir: root, ids: [], shard: { index: 1, count: 2 }, templatesDir: templates, stop: stop.signal },
        async (dirs) => {
          rebuilt.push(dirs.map((d) => path.basename(d)));
          resolve();
          return 0;
        },
        () => {},
      );
      void watching;
    });
    fs.writeFileSync(path.join(templates, 'pdf', 'footer.hbs'), '{{publisher.url}}');
    await done;
    stop.abort();
    expect(rebuilt).toEqual([inShard]);
  });
});

// --watch: a real process for the end-to-end case (it runs until a signal), and
// the rebuild selection in this process, with a fake build and its own templates.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { shardOf } from '../pipeline/run/cache.ts';
import { buildBrief } from '../pipeline/run/build.ts';
import { WARM_UP_BUILDS, watchBriefs } from '../pipeline/run/watch.ts';
import { LOCK_NAME } from '../pipeline/output/lock.ts';
import { copyCollection, copySample, launcher, sampleDir, sharedContext, tempDir } from './helpers.ts';

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
    // The warm-up builds run now: they write nothing, and print nothing.
    const listing = () => fs.readdirSync(out).map((name) => `${name} ${fs.statSync(path.join(out, name)).mtimeMs}`);
    const files = listing();
    const printed = stderr.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(listing()).toEqual(files);
    expect(stderr.slice(printed)).toBe('');
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

  it('reports a brief whose folder is moved away, keeps watching, and exits on Ctrl-C without leaving the lock', async () => {
    const { root, dir } = copySample();
    const out = tempDir();
    const child = spawn(process.execPath, [launcher, '--data', root, '--out', out, '--watch', '--jobs', '1'], { cwd: projectRoot });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    const seen = async (pattern: RegExp) => {
      for (const started = Date.now(); !pattern.test(stderr); await new Promise((r) => setTimeout(r, 100))) {
        if (Date.now() - started > 60_000) throw new Error(`timed out waiting for ${pattern}; got:\n${stderr}`);
      }
    };
    try {
      await seen(/watching /);
      fs.renameSync(dir, path.join(tempDir(), 'IF10199'));
      await seen(/IF10199: brief\.yaml is gone \(its folder moved or deleted\)/);
      expect(child.exitCode).toBe(null); // still watching
    } finally {
      child.kill('SIGINT');
    }
    expect(await exit).toBe(130);
    expect(stderr).not.toMatch(/ENOENT|internal error/);
    expect(fs.existsSync(path.join(out, LOCK_NAME))).toBe(false);
  }, 120_000);

  it('warms up while it waits for the first edit, at most WARM_UP_BUILDS builds, and stops for an edit', async () => {
    const { root, dir } = copySample();
    const templates = tempDir();
    fs.mkdirSync(path.join(templates, 'pdf'));
    const events: string[] = [];
    let warmUps = 0;
    // A warm-up of many short stages, as a build is: it looks at `cancelled` between them.
    const warmUp = async (cancelled: () => boolean) => {
      warmUps++;
      for (let stage = 0; stage < 20; stage++) {
        await new Promise((r) => setTimeout(r, 5));
        if (cancelled()) {
          events.push('warm-up stopped');
          return true;
        }
      }
      events.push('warm-up done');
      return true;
    };
    const idle = new AbortController();
    const quiet = watchBriefs({ dataDir: root, ids: [], templatesDir: templates, stop: idle.signal, warmUp }, async () => 0, () => {});
    for (const started = Date.now(); events.length < WARM_UP_BUILDS; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() - started > 10_000) throw new Error(`expected ${WARM_UP_BUILDS} warm-ups, saw ${events.length}`);
    }
    await new Promise((r) => setTimeout(r, 300));
    idle.abort();
    await quiet;
    expect(warmUps).toBe(WARM_UP_BUILDS);
    expect(events).toEqual(Array(WARM_UP_BUILDS).fill('warm-up done'));

    // An edit during a warm-up stops it at its next stage, and no warm-up follows.
    events.length = 0;
    warmUps = 0;
    const stop = new AbortController();
    const watching = watchBriefs({ dataDir: root, ids: [], templatesDir: templates, stop: stop.signal, warmUp }, async () => {
      events.push('rebuild');
      return 0;
    }, () => {});
    try {
      for (const started = Date.now(); warmUps < 2; await new Promise((r) => setTimeout(r, 5))) {
        if (Date.now() - started > 10_000) throw new Error('the second warm-up never started');
      }
      const file = path.join(dir, 'brief.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: 11', 'version: 12'));
      for (const started = Date.now(); !events.includes('rebuild'); await new Promise((r) => setTimeout(r, 20))) {
        if (Date.now() - started > 10_000) throw new Error(`no rebuild; saw ${events.join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      stop.abort();
      await watching;
    }
    expect(events).toEqual(['warm-up done', 'warm-up stopped', 'rebuild']);
    expect(warmUps).toBe(2);
  });

  it('stops warming up when a warm-up build says the brief does not build', async () => {
    const { root } = copySample();
    const templates = tempDir();
    fs.mkdirSync(path.join(templates, 'pdf'));
    let warmUps = 0;
    const stop = new AbortController();
    const watching = watchBriefs({ dataDir: root, ids: [], templatesDir: templates, stop: stop.signal, warmUp: async () => (warmUps++, false) }, async () => 0, () => {});
    await new Promise((r) => setTimeout(r, 300));
    stop.abort();
    await watching;
    expect(warmUps).toBe(1);
  });

  it('a build stops at the stage boundary where beforeStage throws, having run the stages before it', async () => {
    const stop = new Error('stop');
    let calls = 0;
    const seen: string[] = [];
    await expect(
      buildBrief(sampleDir, sharedContext(), {
        formats: new Set(['pdf', 'pptx']),
        onStage: (_id, timing) => seen.push(timing.stage),
        beforeStage: async () => {
          if (++calls === 4) throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(seen).toEqual(['load', 'validate', 'charts']);
  });

  it('keeps watching a brief whose folder is deleted and made again (a branch switch)', async () => {
    const { root, dir } = copySample();
    const templates = tempDir();
    fs.mkdirSync(path.join(templates, 'pdf'));
    const stop = new AbortController();
    const rebuilt: string[] = [];
    const watching = watchBriefs({ dataDir: root, ids: [], templatesDir: templates, stop: stop.signal }, async (dirs) => {
      rebuilt.push(...dirs.map((d) => path.basename(d)));
      return 0;
    }, () => {});
    const until = async (count: number) => {
      for (const started = Date.now(); rebuilt.length < count; await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() - started > 10_000) throw new Error(`expected ${count} rebuilds, saw ${rebuilt.length}`);
      }
    };
    try {
      fs.rmSync(dir, { recursive: true });
      await new Promise((r) => setTimeout(r, 400));
      fs.cpSync(sampleDir, dir, { recursive: true });
      await until(1);
      await new Promise((r) => setTimeout(r, 400));
      const seenBefore = rebuilt.length;
      const file = path.join(dir, 'brief.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('version: 11', 'version: 12'));
      await until(seenBefore + 1);
      expect(rebuilt.at(-1)).toBe('IF10199');
    } finally {
      stop.abort();
      await watching;
    }
  });
});

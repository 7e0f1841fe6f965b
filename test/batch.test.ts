// Many briefs: worker processes give the same bytes as one process; unchanged
// briefs are reused; shards split the collection without overlap.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shardOf } from '../pipeline/run/cache.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { copySample, launcher, runCli, tempDir } from './helpers.ts';

const run = (args: string[]) => runCli(args);
const manifest = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { briefs: Array<{ id: string; status: string }> };

function collection(ids: string[]): string {
  const { root } = copySample();
  for (const id of ids.filter((i) => i !== 'IF10199')) {
    const dir = path.join(root, 'briefs', id);
    fs.cpSync(path.join(root, 'briefs', 'IF10199'), dir, { recursive: true });
    const file = path.join(dir, 'brief.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('id: IF10199', `id: ${id}`));
  }
  return root;
}

describe('batch builds', () => {
  const ids = ['IF10199', 'IF20001', 'IF20002', 'IF20003'];

  it('gives the same bytes with two worker processes as with one process', () => {
    const root = collection(ids);
    const [one, two] = [tempDir(), tempDir()];
    expect(run(['--data', root, '--out', one, '--jobs', '1']).code).toBe(0);
    expect(run(['--data', root, '--out', two, '--jobs', '2']).code).toBe(0);
    for (const id of ids) for (const ext of ['pdf', 'pptx']) expect(fs.readFileSync(path.join(two, `${id}.${ext}`)).equals(fs.readFileSync(path.join(one, `${id}.${ext}`))), `${id}.${ext}`).toBe(true);
    expect(manifest(two).briefs.map((b) => b.status)).toEqual(['built', 'built', 'built', 'built']);
  });

  it('reuses briefs whose inputs did not change, rebuilds the one that did, and everything with --force', () => {
    const root = collection(ids);
    const out = tempDir();
    expect(run(['--data', root, '--out', out]).code).toBe(0);
    const warm = run(['--data', root, '--out', out]);
    expect(warm.code).toBe(0);
    expect(manifest(out).briefs.map((b) => b.status)).toEqual(['reused', 'reused', 'reused', 'reused']);
    const file = path.join(root, 'briefs', 'IF20002', 'top-us-trade-partners.csv');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('711.7', '711.8'));
    expect(run(['--data', root, '--out', out]).code).toBe(0);
    expect(manifest(out).briefs.map((b) => `${b.id}:${b.status}`)).toEqual(['IF10199:reused', 'IF20001:reused', 'IF20002:built', 'IF20003:reused']);
    fs.rmSync(path.join(out, 'IF20003.pdf'));
    expect(run(['--data', root, '--out', out]).code).toBe(0);
    expect(manifest(out).briefs.find((b) => b.id === 'IF20003')!.status).toBe('built');
    expect(run(['--data', root, '--out', out, '--force']).code).toBe(0);
    expect(manifest(out).briefs.map((b) => b.status)).toEqual(['built', 'built', 'built', 'built']);
  });

  it('splits a collection into stable, disjoint shards that cover it', () => {
    const many = Array.from({ length: 200 }, (_, i) => `IF${10000 + i}`);
    const slices = [0, 1, 2].map((s) => many.filter((id) => shardOf(id, 3) === s));
    expect(slices.flat().sort()).toEqual([...many].sort());
    for (const slice of slices) expect(slice.length).toBeGreaterThan(40);
    const root = collection(ids);
    const outs = [1, 2].map(() => tempDir());
    outs.forEach((out, i) => expect(run(['--data', root, '--out', out, '--shard', `${i + 1}/2`]).code).toBe(0));
    const built = outs.flatMap((out) => manifest(out).briefs.map((b) => b.id));
    expect(built.sort()).toEqual(ids);
    expect(run(['--shard', '3/2']).code).toBe(2);
  });
});

describe('--watch', () => {
  it('rebuilds a brief when its data changes, until interrupted', async () => {
    const { root, dir } = copySample();
    const out = tempDir();
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [launcher, '--data', root, '--out', out, '--watch'], { cwd: projectRoot });
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
});

// Many briefs: worker threads give the same bytes as one process; unchanged
// briefs are reused; shards split the collection without overlap. The CLI runs
// in this process (main(argv)); only the two worker-pool tests start workers,
// through the real command.
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { shardOf } from '../pipeline/run/cache.ts';
import { copyCollection, runCli, runMain, tempDir } from './helpers.ts';

/** One process unless a test asks for workers: the pool is tested on purpose only. */
const run = (args: string[]) => runMain(args.includes('--jobs') ? args : [...args, '--jobs', '1']);
const manifest = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { briefs: Array<{ id: string; status: string }> };


describe('batch builds', async () => {
  const ids = ['IF10199', 'IF20001', 'IF20002'];

  it('gives the same bytes with two worker threads as with one process', async () => {
    const root = copyCollection(ids);
    const [one, two] = [tempDir(), tempDir()];
    expect((await run(['--data', root, '--out', one, '--jobs', '1'])).code).toBe(0);
    // The pool through the real command: its workers run the launcher's compiled JavaScript.
    expect(runCli(['--data', root, '--out', two, '--jobs', '2']).code).toBe(0);
    for (const id of ids) for (const ext of ['pdf', 'pptx']) expect(fs.readFileSync(path.join(two, `${id}.${ext}`)).equals(fs.readFileSync(path.join(one, `${id}.${ext}`))), `${id}.${ext}`).toBe(true);
    expect(manifest(two).briefs.map((b) => b.status)).toEqual(['built', 'built', 'built']);
  });

  it('gives the same bytes with two worker threads when a chart needs the fallback fonts, which the CLI registers for the workers', async () => {
    // Chart labels in Japanese: drawn in the theme's fallback fonts, which only the
    // CLI's thread registers with canvas in a batch (core/canvas-fonts.ts); a worker
    // that did not find them would draw other glyphs, or none.
    const cjk = ['IF10199', 'IF20003', 'IF20004'];
    const root = copyCollection(cjk);
    const csv = path.join(root, 'briefs', 'IF20003', 'top-us-trade-partners.csv');
    fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace('China', '中国').replace('Japan', '日本'));
    const [one, two] = [tempDir(), tempDir()];
    expect((await run(['--data', root, '--out', one, '--jobs', '1'])).code).toBe(0);
    expect(runCli(['--data', root, '--out', two, '--jobs', '2']).code).toBe(0);
    for (const id of cjk) for (const ext of ['pdf', 'pptx', 'html']) expect(fs.readFileSync(path.join(two, `${id}.${ext}`)).equals(fs.readFileSync(path.join(one, `${id}.${ext}`))), `${id}.${ext}`).toBe(true);
    // The labels reached the chart: the deck's chart lists them as its categories.
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(two, 'IF20003.pptx')));
    const charts = await Promise.all(Object.keys(zip.files).filter((name) => /^ppt\/charts\/chart\d+\.xml$/.test(name)).map((name) => zip.files[name]!.async('string')));
    expect(charts.some((xml) => xml.includes('<c:v>日本</c:v>') && xml.includes('<c:v>中国</c:v>'))).toBe(true);
  });

  it('reuses briefs whose inputs did not change, rebuilds the one that did, and everything with --force', async () => {
    const root = copyCollection(ids);
    const out = tempDir();
    expect((await run(['--data', root, '--out', out])).code).toBe(0);
    const warm = await run(['--data', root, '--out', out]);
    expect(warm.code).toBe(0);
    expect(manifest(out).briefs.map((b) => b.status)).toEqual(['reused', 'reused', 'reused']);
    const file = path.join(root, 'briefs', 'IF20001', 'top-us-trade-partners.csv');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('711.7', '711.8'));
    expect((await run(['--data', root, '--out', out])).code).toBe(0);
    expect(manifest(out).briefs.map((b) => `${b.id}:${b.status}`)).toEqual(['IF10199:reused', 'IF20001:built', 'IF20002:reused']);
    fs.rmSync(path.join(out, 'IF20002.pdf'));
    expect((await run(['--data', root, '--out', out])).code).toBe(0);
    expect(manifest(out).briefs.find((b) => b.id === 'IF20002')!.status).toBe('built');
    expect((await run(['--data', root, '--out', out, '--force'])).code).toBe(0);
    expect(manifest(out).briefs.map((b) => b.status)).toEqual(['built', 'built', 'built']);
  });

  it('splits a collection into stable, disjoint shards that cover it', async () => {
    const many = Array.from({ length: 200 }, (_, i) => `IF${10000 + i}`);
    const slices = [0, 1, 2].map((s) => many.filter((id) => shardOf(id, 3) === s));
    expect(slices.flat().sort()).toEqual([...many].sort());
    for (const slice of slices) expect(slice.length).toBeGreaterThan(40);
    const root = copyCollection(ids);
    const outs = [1, 2].map(() => tempDir());
    for (const [i, out] of outs.entries()) expect((await run(['--data', root, '--out', out, '--shard', `${i + 1}/2`])).code).toBe(0);
    const built = outs.flatMap((out) => manifest(out).briefs.map((b) => b.id));
    expect(built.sort()).toEqual(ids);
    expect((await run(['--shard', '3/2'])).code).toBe(2);
  });
});

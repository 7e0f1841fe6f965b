// The batch's pool of worker threads (pipeline/run/pool.ts), with stand-in workers
// that answer after a pause: each brief gets exactly one outcome; a worker that dies
// mid-brief fails that brief only (the rest go to a new worker); one that dies
// before it is ready fails the rest rather than being restarted for ever.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobRequest } from '../pipeline/run/job.ts';
import { runPool, setWorkerEntry, type Outcome } from '../pipeline/run/pool.ts';
import { tempDir } from './temp.ts';

/**
 * A worker that builds nothing: it answers each brief in the order received, after a
 * pause, and logs what it received and when, by its thread id. A brief whose folder
 * is named `crash` makes it exit while building, one named `throw` throws an error
 * nothing catches; `CRASH_AT_START` makes it exit
 * before it is ready; the pool's word to stop makes it exit as a worker does.
 */
const STAND_IN = `
const fs = require('node:fs');
const { parentPort, threadId } = require('node:worker_threads');
const log = process.env.POOL_LOG;
if (process.env.CRASH_AT_START) process.exit(3);
let building = Promise.resolve();
parentPort.on('message', (request) => {
  if (request.stop) process.exit(0);
  fs.appendFileSync(log, threadId + ' received ' + request.dir + '\\n');
  building = building.then(() => new Promise((resolve) => setTimeout(() => {
    if (request.dir.endsWith('crash')) process.exit(9);
    if (request.dir.endsWith('throw')) throw new Error('nothing caught this in ' + request.dir);
    fs.appendFileSync(log, threadId + ' done ' + request.dir + '\\n');
    parentPort.postMessage({ ok: true, result: { entry: { id: request.dir }, artifacts: [], extra: [], messages: [], timings: [], ms: 0 } });
    resolve();
  }, 30)));
});
parentPort.postMessage({ ready: true });
`;

function standIn(env: Record<string, string> = {}): { log: string } {
  const dir = tempDir();
  const file = path.join(dir, 'worker.cjs');
  fs.writeFileSync(file, STAND_IN);
  const log = path.join(dir, 'log.txt');
  fs.writeFileSync(log, '');
  Object.assign(process.env, { POOL_LOG: log, ...env });
  setWorkerEntry({ file, args: [] });
  return { log };
}

const requests = (dirs: readonly string[]): JobRequest[] => dirs.map((dir) => ({ dir, formats: ['pdf'], allowOverflow: false, environment: '' }));

async function run(dirs: readonly string[], workers: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  await runPool(requests(dirs), workers, (outcome) => outcomes.push(outcome));
  return outcomes;
}

describe('the worker pool', () => {
  it('gives every brief one outcome, spread over the workers', async () => {
    const { log } = standIn();
    const dirs = Array.from({ length: 12 }, (_, i) => `brief-${i}`);
    const outcomes = await run(dirs, 2);
    expect(outcomes.map((o) => o.dir).sort()).toEqual([...dirs].sort());
    expect(outcomes.every((o) => o.result && !o.error)).toBe(true);
    const workers = new Set(fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split(' ')[0]));
    expect(workers.size).toBe(2);
  });

  it('fails only the brief a worker dies building, and builds the rest in a new worker', async () => {
    standIn();
    const dirs = ['a', 'b', 'crash', 'c', 'd', 'e'];
    const outcomes = await run(dirs, 1);
    expect(outcomes.map((o) => o.dir).sort()).toEqual([...dirs].sort());
    const failed = outcomes.filter((o) => o.error);
    expect(failed.map((o) => o.dir)).toEqual(['crash']);
    expect(failed[0]!.error).toMatch(/a worker stopped \(exit 9\)/);
    // The briefs after it were built, in order, by the worker started in its place.
    expect(outcomes.filter((o) => o.result).map((o) => o.dir)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('fails only the brief whose worker threw an error nothing caught, with its stack, and builds the rest in a new worker', async () => {
    standIn();
    const dirs = ['a', 'throw', 'b', 'c'];
    const outcomes = await run(dirs, 1);
    const failed = outcomes.filter((o) => o.error);
    expect(failed.map((o) => o.dir)).toEqual(['throw']);
    expect(failed[0]!.error).toMatch(/^a worker stopped \(exit 1\): Error: nothing caught this in throw\n\s+at /);
    expect(outcomes.filter((o) => o.result).map((o) => o.dir)).toEqual(['a', 'b', 'c']);
  });

  it('fails the rest, once, when workers die before they are ready', async () => {
    standIn({ CRASH_AT_START: '1' });
    try {
      const outcomes = await run(['a', 'b', 'c'], 2);
      expect(outcomes.map((o) => o.dir).sort()).toEqual(['a', 'b', 'c']);
      for (const outcome of outcomes) expect(outcome.error).toMatch(/a worker stopped \(exit 3\) before it could build/);
    } finally {
      delete process.env['CRASH_AT_START'];
    }
  });
});

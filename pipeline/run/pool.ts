// A pool of worker threads for a batch: each worker (run/worker.ts) loads fonts,
// templates and Chart.js once, then builds one brief after another, and sends back
// the bytes: it never writes into the output folder (this thread, holding the lock,
// publishes).
//
// Threads of this process, not processes of their own: two worker processes beside
// the CLI held each its own copy of node (~45 MB of its pages), of the native
// libraries and of V8's background threads, which competed with the briefs for the
// cores. 100 synthetic briefs, --jobs 2: peak RSS 512-515 -> 423-455 MB and 5.61-5.66
// -> 5.37-5.52 s, the same bytes (test/bench/RESULTS.md, session 10), before the
// workers' smaller young generation (below) took the peak under 400 MB.
//
// canvas (cairo, pango) crashes the process when the last thread that loaded it exits
// and its library is unloaded: this thread loads it before any worker starts, so it
// stays loaded for the life of the process. It also registers the theme's fonts with
// it for all the workers (core/canvas-fonts.ts says why only one thread may).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CanvasFontsWorkerData } from '../core/canvas-fonts.ts';
import type { JobRequest, JobResult } from './job.ts';

export type WorkerMessage = { ready: true } | { ok: true; result: JobResult } | { ok: false; error: string; output: boolean };
/** What the pool sends a worker: a brief to build, or word to stop. */
export type WorkerRequest = JobRequest | { stop: true };
/** A brief's outcome: its result, or the error that stopped it (`output`: the output folder's fault, not a bug). */
export type Outcome = { dir: string; result?: JobResult; error?: string; output?: boolean };

/** A script that starts a worker when run as a worker thread, with the arguments it is given (process.argv). */
export interface WorkerEntry {
  readonly file: string;
  readonly args: readonly string[];
  /** Called when a pool's workers are done: V8's flags are the process's, and the workers set their own. */
  readonly afterWorkers?: () => void;
}

let workerEntry: WorkerEntry | undefined;

/** pipeline/launch.mjs starts its workers through itself, so that they load the same bundle and code cache. */
export function setWorkerEntry(entry: WorkerEntry): void {
  workerEntry = entry;
}

/**
 * A worker's young generation, in MB (V8 gives a third of it to each of the two halves
 * it copies live objects between, the rest to large new objects): 8, not V8's 48.
 * Each worker's heap held two 16 MB halves, both touched, for objects most of which
 * die within a stage. 100 synthetic briefs, --jobs 2: peak RSS 416-446 -> 369-379 MB
 * (with pipeline/launch.mjs's --no-parallel-scavenge, at the same speed).
 */
export const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * A worker thread: the launcher's entry when it gave one, else worker.ts from source
 * (the tests, `node --import tsx pipeline/run/cli.ts`). Node 20's worker threads do
 * not inherit the loader hooks --import tsx installed, so that thread registers
 * tsx's own before it imports the worker's source.
 */
function startThread(): Worker {
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  const workerData: CanvasFontsWorkerData = { canvasFontsRegistered: true };
  if (workerEntry) return new Worker(workerEntry.file, { argv: [...workerEntry.args], resourceLimits, workerData });
  const source = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts')).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); }).then((worker) => worker.startWorker())`, { eval: true, resourceLimits, workerData });
}

/**
 * What loads canvas in this thread (see the top of this file) and registers the
 * theme's fonts with it for the workers, which register none (core/canvas-fonts.ts).
 * Synchronous, so that it runs while the workers start (~50 ms of the ~150 they take)
 * and ends before this thread can send any of them a brief: a worker draws, and makes
 * its Pango, only for a brief, so its Pango finds the fonts. The workers build with
 * the project's theme as it is when they start (run/worker.ts), so it is read again
 * here: --watch starts a pool after an edit of it.
 */
async function canvasPreparation(): Promise<() => void> {
  const [{ registerThemeFonts }, { loadTheme }] = await Promise.all([import('../core/canvas-fonts.ts'), import('../core/theme.ts')]);
  return () => {
    const canvas = createRequire(import.meta.url)('canvas') as typeof import('canvas');
    registerThemeFonts(loadTheme(), canvas.registerFont);
  };
}

const liveWorkers = new Set<Worker>();
/** Stops the workers of a run that is being interrupted. */
export function stopWorkers(): void {
  for (const worker of liveWorkers) void worker.terminate();
}

export async function runPool(requests: readonly JobRequest[], size: number, record: (outcome: Outcome) => void): Promise<void> {
  const prepareCanvas = await canvasPreparation();
  const queue = [...requests];
  // One worker: takes jobs until the queue is empty. A worker that dies mid-job (an
  // uncaught exception, process.exit, V8's heap limit) fails that brief and is
  // replaced; one that dies before it is ready fails what is left (it would die
  // again), so the run always ends and always writes its manifest. A crash in native
  // code (canvas, librsvg) ends the whole process, threads and all: every brief
  // published by then is whole and in the manifest, and the next build takes the
  // lock over as stale.
  const worker = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const thread = startThread();
      liveWorkers.add(thread);
      let ready = false;
      let current: JobRequest | undefined;
      let errorNote = '';
      const next = () => {
        current = queue.shift();
        thread.postMessage((current ?? { stop: true }) satisfies WorkerRequest);
      };
      thread.on('message', (message: WorkerMessage) => {
        if ('ready' in message) {
          ready = true;
          return next();
        }
        // The worker gets its next brief before this one is published: publishing
        // (written and synced to disk) would otherwise leave it idle.
        const done = current!;
        current = undefined;
        next();
        // Structured clone brings a Buffer back as a plain Uint8Array.
        if (message.ok) {
          const { result } = message;
          const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
          record({ dir: done.dir, result: { ...result, artifacts: result.artifacts.map((a) => ({ ...a, bytes: bytes(a.bytes) })), extra: result.extra.map((f) => ({ ...f, bytes: bytes(f.bytes) })) } });
        } else record({ dir: done.dir, error: message.error, output: message.output });
      });
      // An exception nothing in the worker caught; 'exit' follows. Its stack goes into
      // the brief's error, which the CLI prints whole (its manifest record keeps the first line).
      thread.on('error', (error: unknown) => (errorNote = error instanceof Error ? (error.stack ?? error.message) : String(error)));
      thread.on('exit', (code) => {
        liveWorkers.delete(thread);
        const why = `a worker stopped (exit ${code})${errorNote ? `: ${errorNote}` : ''}`;
        if (current) record({ dir: current.dir, error: why });
        if (!ready) {
          for (const request of queue.splice(0)) record({ dir: request.dir, error: `${why} before it could build` });
          return resolve();
        }
        if (current && queue.length > 0) return void worker().then(resolve);
        resolve();
      });
    });
  try {
    const workers = Array.from({ length: size }, worker);
    try {
      prepareCanvas();
    } catch (error) {
      // No worker could draw (canvas did not load, a font of the theme cannot be named):
      // each brief fails with the reason, the workers stop, and the run still writes its manifest.
      const why = `the workers could not be prepared: ${error instanceof Error ? error.message : String(error)}`;
      for (const request of queue.splice(0)) record({ dir: request.dir, error: why });
      stopWorkers();
    }
    await Promise.all(workers);
  } finally {
    workerEntry?.afterWorkers?.();
  }
}

// A pool of worker processes for a batch: each worker (run/worker.ts) loads fonts,
// templates and Chart.js once, then builds one brief after another. Processes, not
// threads: canvas crashes the process when a thread that rendered charts exits.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobRequest, JobResult } from './job.ts';

export type WorkerMessage = { ready: true } | { ok: true; result: JobResult } | { ok: false; error: string; output: boolean };
/** A brief's outcome: its result, or the error that stopped it (`output`: the output folder's fault, not a bug). */
export type Outcome = { dir: string; result?: JobResult; error?: string; output?: boolean };

/** How to start a worker process: a module (or the launcher) with its arguments and node's. */
export interface WorkerEntry {
  readonly file: string;
  readonly args: readonly string[];
  readonly execArgv: readonly string[];
}

let workerEntry: WorkerEntry | undefined;

/** pipeline/launch.mjs starts its workers through itself, so that they load the same bundle and code cache. */
export function setWorkerEntry(entry: WorkerEntry): void {
  workerEntry = entry;
}

/** The worker: as the launcher said, else worker.ts next to this module under tsx (the tests, `node --import tsx pipeline/run/cli.ts`). */
function workerModule(): WorkerEntry {
  return workerEntry ?? { file: path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts'), args: [], execArgv: ['--import', 'tsx'] };
}

/**
 * A worker's environment: the CLI's, with glibc's mmap threshold fixed at its
 * default 128 kB (unless the user set one). Left dynamic, glibc raises it to the size
 * of each large block freed (up to 32 MB): after the first PDF buffers, canvases and
 * zlib windows were freed, later ones came from the main heap, which fragments and
 * never shrinks. Fixed, they are mapped and unmapped on their own: 100 synthetic
 * briefs, --jobs 2, peak RSS of the tree 810 → 700 MB, the same CPU.
 */
function workerEnv(): NodeJS.ProcessEnv {
  return 'MALLOC_MMAP_THRESHOLD_' in process.env ? process.env : { ...process.env, MALLOC_MMAP_THRESHOLD_: '131072' };
}

const livePools = new Set<ChildProcess>();
/** Stops the workers of a run that is being interrupted. */
export function stopWorkers(signal: NodeJS.Signals): void {
  for (const child of livePools) child.kill(signal);
}

export async function runPool(requests: readonly JobRequest[], size: number, record: (outcome: Outcome) => void): Promise<void> {
  const { file, args, execArgv } = workerModule();
  const queue = [...requests];
  // One worker: takes jobs until the queue is empty. A worker that dies mid-job fails
  // that brief and is replaced; one that dies before it is ready fails what is left
  // (it would die again), so the run always ends and always writes its manifest.
  const worker = (): Promise<void> =>
    new Promise<void>((resolve) => {
      // 'advanced': the artifacts come back as bytes, not as JSON arrays of numbers.
      const child = fork(file, [...args], { execArgv: [...execArgv], env: workerEnv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
      livePools.add(child);
      let ready = false;
      let current: JobRequest | undefined;
      let stderrNote = '';
      const next = () => {
        current = queue.shift();
        if (current) child.send(current);
        else child.disconnect();
      };
      child.on('message', (message: WorkerMessage) => {
        if ('ready' in message) {
          ready = true;
          return next();
        }
        // The worker gets its next brief before this one is published: publishing
        // (written and synced to disk, some 40 ms) would otherwise leave it idle.
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
      child.on('error', (error) => (stderrNote = error.message));
      child.on('exit', (code, signal) => {
        livePools.delete(child);
        const why = `a worker process stopped (${signal ?? `exit ${code}`})${stderrNote ? `: ${stderrNote}` : ''}`;
        if (current) record({ dir: current.dir, error: why });
        if (!ready) {
          for (const request of queue.splice(0)) record({ dir: request.dir, error: `${why} before it could build` });
          return resolve();
        }
        if (current && queue.length > 0) return void worker().then(resolve);
        resolve();
      });
    });
  await Promise.all(Array.from({ length: size }, worker));
}

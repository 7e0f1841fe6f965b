// A batch worker: a worker thread of the CLI's process (run/pool.ts says why a thread
// and not a process) that loads fonts, templates and Chart.js once, then builds the
// briefs the pool sends it, one at a time, and sends back the bytes: it never writes
// into the output folder (the CLI's thread, holding the lock, publishes). Started by
// pipeline/launch.mjs (`--briefpress-worker`) from the bundle, or from this source
// under tsx (run/pool.ts).
import { parentPort } from 'node:worker_threads';
import { describeError } from './batch.ts';
import type { WorkerMessage, WorkerRequest } from './pool.ts';
import { createContext } from './build.ts';
import { runJob } from './job.ts';

export interface WorkerHooks {
  /** Called once the first brief is built (the launcher writes its code cache then). */
  readonly onFirstJob?: () => void;
}

export function startWorker(hooks: WorkerHooks = {}): void {
  const port = parentPort;
  if (!port) throw new Error('a briefpress worker runs as a worker thread of the CLI (run/pool.ts)');
  const context = createContext();
  let firstJob = hooks.onFirstJob;
  const send = (message: WorkerMessage) => port.postMessage(message);

  port.on('message', (request: WorkerRequest) => {
    // The queue is empty: this thread ends (the process and its other threads go on).
    if ('stop' in request) return process.exit(0);
    runJob(request, context).then(
      (result) => {
        send({ ok: true, result });
        firstJob?.();
        firstJob = undefined;
      },
      (error: unknown) => send({ ok: false, ...describeError(error) }),
    );
  });
  send({ ready: true });
}

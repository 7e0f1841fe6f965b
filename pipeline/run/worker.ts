// A batch worker: a child process (not a worker thread: canvas crashes the
// process when a thread that rendered charts exits) that loads fonts, templates
// and Chart.js once, then builds the briefs the CLI sends it, one at a time, and
// sends back the bytes: it never writes into the output folder (the CLI, holding
// the lock, publishes). Started by pipeline/launch.mjs (`--briefpress-worker`) from
// the bundle, or as this file under tsx.
import { describeError } from './batch.ts';
import type { WorkerMessage } from './pool.ts';
import { createContext } from './build.ts';
import { ignoreClosedOutput } from './cli.ts';
import { isEntryPoint } from './entry.ts';
import { runJob, type JobRequest } from './job.ts';

export interface WorkerHooks {
  /** Called once the first brief is built (the launcher writes its code cache then). */
  readonly onFirstJob?: () => void;
}

export function startWorker(hooks: WorkerHooks = {}): void {
  // The CLI is gone (finished, or killed with kill -9): its work is void, stop now.
  process.on('disconnect', () => process.exit(0));

  const context = createContext();
  let firstJob = hooks.onFirstJob;

  process.on('message', (request: JobRequest) => {
    const send = (message: WorkerMessage) => {
      if (process.connected) process.send?.(message);
      else process.exit(0);
    };
    runJob(request, context).then(
      (result) => {
        send({ ok: true, result });
        firstJob?.();
        firstJob = undefined;
      },
      (error: unknown) => send({ ok: false, ...describeError(error) }),
    );
  });
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  process.on('SIGXFSZ', () => {});
  ignoreClosedOutput();
  process.send?.({ ready: true } satisfies WorkerMessage);
}

if (isEntryPoint(import.meta.url)) startWorker();

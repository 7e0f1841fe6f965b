// A batch worker: a child process (not a worker thread: canvas crashes the
// process when a thread that rendered charts exits) that loads fonts, templates
// and Chart.js once, then builds the briefs the CLI sends it, one at a time.
import { describeError } from './batch.ts';
import type { WorkerMessage } from './pool.ts';
import { createContext } from './build.ts';
import { ignoreClosedOutput } from './cli.ts';
import { runJob, type JobRequest } from './job.ts';

const context = createContext();

process.on('message', (request: JobRequest) => {
  const send = (message: WorkerMessage) => process.send?.(message);
  runJob(request, context).then(
    (result) => send({ ok: true, result }),
    (error: unknown) => send({ ok: false, ...describeError(error) }),
  );
});
// Files are written synchronously and whole; on a signal, stop between them.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
process.on('SIGXFSZ', () => {});
ignoreClosedOutput();
process.send?.({ ready: true } satisfies WorkerMessage);

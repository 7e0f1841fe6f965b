// The batch's worker as `--jobs` starts it: a worker thread running
// pipeline/launch.mjs --briefpress-worker (the bundle and its code cache), alone in a
// process of this script's, so that the bench reads its CPU and memory from /proc.
// Messages are relayed between the bench (IPC) and the thread; this script's own
// thread only relays. Usage: fork(this, [launcher, young generation in MB]), the
// size pipeline/run/pool.ts gives its workers. Unlike the pool, this thread does not
// register the theme's fonts: given no workerData, the worker registers them itself,
// as the only thread here that draws (pipeline/core/canvas-fonts.ts).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const [launcher, youngGenerationMb] = process.argv.slice(2);
// As pipeline/run/pool.ts does: canvas stays loaded until the process ends, or the thread's exit would crash it.
createRequire(launcher)('canvas');
const worker = new Worker(launcher, { argv: ['--briefpress-worker'], resourceLimits: { maxYoungGenerationSizeMb: Number(youngGenerationMb) } });
worker.on('message', (message) => process.send(message));
worker.on('error', (error) => process.stderr.write(`${error.stack ?? error}\n`));
worker.on('exit', (code) => process.exit(code));
process.on('message', (request) => worker.postMessage(request));
process.on('disconnect', () => worker.postMessage({ stop: true }));

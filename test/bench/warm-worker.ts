// A batch worker's steady state, measured inside one process the way
// pipeline/run/worker.ts builds: one context (fonts, templates, Chart.js), then
// runJob per brief, every format and the thumbnail. Publishing stays out, as it
// does in a worker (the CLI's process publishes). Prints one JSON line.
//
//   node --expose-gc --import tsx test/bench/warm-worker.ts cpu DATA_DIR
//     builds every brief of DATA_DIR/briefs once to warm up, then again, and
//     reports the CPU time (user + sys, all threads) of each brief of the second pass;
//   node --expose-gc --import tsx test/bench/warm-worker.ts rss DATA_DIR BUILDS MARKS
//     builds the briefs round and round, BUILDS in all, and reports the resident
//     memory after a full garbage collection at MARKS evenly spaced points (0 included).
import fs from 'node:fs';
import path from 'node:path';
import { FORMATS } from '../../pipeline/output/manifest.ts';
import { createContext } from '../../pipeline/run/build.ts';
import { buildEnvironment, environmentHash } from '../../pipeline/run/cache.ts';
import { runJob, type JobRequest } from '../../pipeline/run/job.ts';

const [mode, dataDir, buildsArg, marksArg] = process.argv.slice(2);
if ((mode !== 'cpu' && mode !== 'rss') || !dataDir) throw new Error('usage: warm-worker.ts cpu DATA_DIR | rss DATA_DIR BUILDS MARKS');
const briefsDir = path.join(dataDir, 'briefs');
const environment = buildEnvironment(environmentHash(), new Set(FORMATS), false);
const requests: JobRequest[] = fs
  .readdirSync(briefsDir)
  .sort()
  .map((id) => ({ dir: path.join(briefsDir, id), formats: FORMATS, allowOverflow: false, environment }));
const context = createContext();

async function build(request: JobRequest): Promise<void> {
  const { entry, messages } = await runJob(request, context);
  if (entry.status !== 'built') throw new Error(`${entry.id} not built: ${messages.join('\n')}`);
}

const gc = (globalThis as { gc?: () => void }).gc;
const rssMb = () => {
  gc?.();
  return Math.round(process.memoryUsage().rss / 2 ** 20);
};

if (mode === 'cpu') {
  for (const request of requests) await build(request);
  const perBrief: number[] = [];
  for (const request of requests) {
    const before = process.cpuUsage();
    await build(request);
    const used = process.cpuUsage(before);
    perBrief.push((used.user + used.system) / 1000);
  }
  process.stdout.write(JSON.stringify({ perBriefMs: perBrief }) + '\n');
} else {
  const builds = Number(buildsArg);
  const marks = Number(marksArg);
  const every = builds / (marks - 1);
  const rss = [rssMb()];
  for (let i = 1; i <= builds; i++) {
    await build(requests[(i - 1) % requests.length]!);
    if (i % every === 0) rss.push(rssMb());
  }
  process.stdout.write(JSON.stringify({ rssMb: rss }) + '\n');
}

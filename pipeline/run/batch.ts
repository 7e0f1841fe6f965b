// A run over many briefs: decide which to rebuild (the input-hash cache), build
// them in this process or in a pool of worker processes, show progress, and
// return the manifest entries. Publishing happens where each brief is built;
// the manifest is written once, by the caller, from these entries.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { briefInputHash, environmentHash, reusable } from './cache.ts';
import type { BuildContext } from './build.ts';
import type { JobRequest, JobResult } from './job.ts';
import type { Format, Manifest, ManifestEntry } from '../output/publish.ts';

export interface BatchOptions {
  readonly outDir: string;
  readonly formats: ReadonlySet<Format>;
  readonly allowOverflow: boolean;
  /** Worker processes; 1 builds in this process. */
  readonly jobs: number;
  /** Rebuild even when the inputs did not change. */
  readonly force: boolean;
  readonly previous: Manifest | undefined;
  readonly log: (line: string) => void;
  /** A terminal gets a progress bar; a log (CI) gets plain lines. */
  readonly tty: boolean;
}

export interface BatchResult {
  readonly entries: readonly ManifestEntry[];
  readonly internalErrors: number;
  /** Briefs whose files could not be written (disk full, permissions). */
  readonly outputErrors: number;
}

/** An error of the output folder (the user's to fix) or an internal one (a bug), with what to print. */
export function describeError(error: unknown): { error: string; output: boolean } {
  const output = (error as { code?: string }).code === 'OUTPUT';
  return { output, error: output ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

export const defaultJobs = (): number => Math.max(1, os.availableParallelism?.() ?? os.cpus().length);

export async function runBatch(briefDirs: readonly string[], options: BatchOptions, inProcess: () => Promise<BuildContext>): Promise<BatchResult> {
  const environment = environmentHash();
  const previous = new Map(options.previous?.briefs.map((e) => [e.id, e]) ?? []);
  const progress = new Progress(briefDirs.length, options.tty, options.log);
  const entries: ManifestEntry[] = [];
  const requests: JobRequest[] = [];
  for (const dir of briefDirs) {
    const inputHash = briefInputHash(dir, environment, options.formats, options.allowOverflow);
    const kept = options.force ? undefined : reusable(previous.get(path.basename(dir)), inputHash, options.outDir);
    if (kept) {
      entries.push({ ...kept, status: 'reused' });
      progress.done(kept.id, 'reused', 0);
    } else {
      requests.push({ dir, outDir: options.outDir, formats: [...options.formats], allowOverflow: options.allowOverflow, inputHash });
    }
  }
  let internalErrors = 0;
  let outputErrors = 0;
  const record = (outcome: Outcome) => {
    if (outcome.result) {
      const { result } = outcome;
      for (const line of result.messages) options.log(line);
      entries.push(result.entry);
      progress.done(result.entry.id, result.entry.status, result.ms, result.entry.artifacts);
    } else {
      if (outcome.output) outputErrors++;
      else internalErrors++;
      const id = path.basename(outcome.dir);
      const message = outcome.output ? `briefpress: ${outcome.error}` : `${id}: internal error: ${outcome.error}`;
      options.log(message);
      // Files that could not be written leave the earlier ones in place: so does their record.
      const earlier = outcome.output ? previous.get(id) : undefined;
      entries.push(earlier ?? { id, status: 'failed', artifacts: [], errors: [message.split('\n')[0]!] });
      progress.done(id, 'failed', 0);
    }
  };

  const workers = Math.min(options.jobs, requests.length);
  if (workers <= 1) {
    if (requests.length > 0) {
      const { runJob } = await import('./job.ts');
      const context = await inProcess();
      const verbose = requests.length === 1;
      for (const request of requests) {
        try {
          record({ dir: request.dir, result: await runJob(request, context, verbose ? (id, t) => options.log(`${id} ${t.stage} ${t.ms} ms`) : undefined) });
        } catch (error) {
          record({ dir: request.dir, ...describeError(error) });
        }
      }
    }
  } else {
    await runPool(requests, workers, record);
  }
  progress.finish();
  return { entries, internalErrors, outputErrors };
}

/** The worker module next to this one: transpiled JavaScript when run by launch.mjs, TypeScript under tsx. */
function workerModule(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? { file: path.join(path.dirname(here), 'worker.ts'), execArgv: ['--import', 'tsx'] } : { file: path.join(path.dirname(here), 'worker.js'), execArgv: [] };
}

const livePools = new Set<ChildProcess>();
/** Stops the workers of a run that is being interrupted. */
export function stopWorkers(signal: NodeJS.Signals): void {
  for (const child of livePools) child.kill(signal);
}

async function runPool(requests: readonly JobRequest[], size: number, record: (outcome: Outcome) => void): Promise<void> {
  const { file, execArgv } = workerModule();
  const queue = [...requests];
  // One worker: takes jobs until the queue is empty. A worker that dies mid-job fails
  // that brief and is replaced; one that dies before it is ready fails what is left
  // (it would die again), so the run always ends and always writes its manifest.
  const worker = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
        if (message.ok) record({ dir: current!.dir, result: message.result });
        else record({ dir: current!.dir, error: message.error, output: message.output });
        current = undefined;
        next();
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

export type WorkerMessage = { ready: true } | { ok: true; result: JobResult } | { ok: false; error: string; output: boolean };
type Outcome = { dir: string; result?: JobResult; error?: string; output?: boolean };

class Progress {
  private finished = 0;
  private failed = 0;
  private reused = 0;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly tty: boolean,
    private readonly log: (line: string) => void,
  ) {}

  done(id: string, status: ManifestEntry['status'], ms: number, artifacts: ManifestEntry['artifacts'] = []): void {
    this.finished++;
    if (status === 'failed') this.failed++;
    if (status === 'reused') this.reused++;
    if (this.tty) {
      const width = 24;
      const filled = Math.round((this.finished / this.total) * width);
      const elapsed = ((performance.now() - this.started) / 1000).toFixed(1);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.finished}/${this.total} briefs, ${this.reused} reused, ${this.failed} failed, ${elapsed} s`);
    } else if (status === 'built') {
      this.log(`${id} built ${artifacts.map((a) => `${a.path} (${a.bytes} bytes)`).join(', ')} in ${Math.round(ms)} ms`);
    } else if (status === 'reused') {
      this.log(`${id} reused (inputs unchanged)`);
    }
  }

  finish(): void {
    if (this.tty) process.stderr.write('\n');
    const seconds = ((performance.now() - this.started) / 1000).toFixed(2);
    this.log(`${this.total} brief${this.total === 1 ? '' : 's'}: ${this.total - this.failed - this.reused} built, ${this.reused} reused, ${this.failed} failed in ${seconds} s`);
  }
}

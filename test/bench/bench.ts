// `npm run bench [-- --long]`: figures, not pass/fail, each beside its target
// (issue 14's, and the layout stage's from issue 12). Every timing is of whole
// processes (process start to files written), as a user or CI experiences them,
// except the warm worker's, which is measured inside one. Prints a markdown table;
// test/bench/RESULTS.md holds the ones committed from the project's machine.
import { fork, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../pipeline/core/paths.ts';
import { SETTLE_MS, WARM_UP_BUILDS } from '../../pipeline/run/watch.ts';
import { WORKER_YOUNG_GENERATION_MB } from '../../pipeline/run/pool.ts';
import { FORMATS } from '../../pipeline/output/manifest.ts';
import { buildEnvironment, environmentHash } from '../../pipeline/run/cache.ts';
import { installedCopy, sampleDir } from '../helpers.ts';
import { writeSyntheticBriefs } from './synthetic.ts';
import { writeBaselineInputs } from './baseline.ts';

const launcher = path.join(projectRoot, 'pipeline', 'launch.mjs');
const benchDir = path.join(projectRoot, 'test', 'bench');
/** The layout stage of IF10199 before total fit (commit e820300, first-fit breaking), median of 11 cold runs on the project's machine. */
const FIRST_FIT_LAYOUT_MS = 248;
/** Issue 14's targets. */
const TARGET = {
  coldWallS: 0.9,
  coldCpuS: 1.2,
  singleRssMb: 150,
  batch100Jobs2S: 6,
  twoWorkerRssMb: 400,
  warmBriefCpuMs: 100,
  warmNothingChangedS: 0.3,
  watchRebuildMs: 150,
  typstRatio: 1.0,
  chromiumRatio: 0.5,
} as const;
const long = process.argv.includes('--long');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'briefpress-bench-'));
const rows: Array<[string, string, string]> = [];
const row = (what: string, value: string, note = '') => {
  rows.push([what, value, note]);
  process.stderr.write(`${what}: ${value} ${note}\n`);
};
/** "target ≤ 0.9 s: met", for the note column. */
const target = (value: number, limit: number, unit: string, shown = String(limit)) => `target ≤ ${shown}${unit}: ${value <= limit ? 'met' : 'missed'}`;

interface Measured {
  seconds: number;
  /** User + system CPU of the command and every process it waited for; undefined when /proc could not say. */
  cpuSeconds: number | undefined;
  peakRssMb: number;
  stderr: string;
  code: number | null;
}

/** Resident memory of a process and its descendants, in kB, read from /proc (no helper process to skew timings). */
function treeRssKb(pid: number): number {
  let total = 0;
  try {
    total += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    total += childrenRssKb(pid);
  } catch {
    // the process ended between reads
  }
  return total;
}

function childrenRssKb(pid: number): number {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .reduce((sum, child) => sum + treeRssKb(Number(child)), 0);
  } catch {
    return 0;
  }
}

/** Proportional set size of a process and its descendants, in kB: a page shared by n of them counts 1/n in each (/proc/PID/smaps_rollup). */
function treePssKb(pid: number): number {
  let total = 0;
  try {
    total += Number(/^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    for (const child of children) total += treePssKb(Number(child));
  } catch {
    // the process ended between reads, or the kernel has no smaps_rollup
  }
  return total;
}

/**
 * A build's peak PSS, in a run of its own: reading smaps walks each process's page
 * tables (about a millisecond for a worker), too slow to do every 25 ms in a run that is timed.
 */
function peakPssMb(args: string[]): Promise<number | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [launcher, ...args], { cwd: projectRoot, stdio: 'ignore' });
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treePssKb(child.pid!))), 100);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve(code === 0 && peak > 0 ? peak / 1024 : undefined);
    });
  });
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * Node reports no CPU time of a child's own children, so each command runs under a
 * shell that, once the command has ended and been waited for, copies its own
 * /proc/PID/stat to a file: cutime and cstime there are the CPU of every process it
 * waited for (the command, and whatever the command waited for: a batch's workers).
 */
const CPU_WRAPPER = 'stat=$1; shift; "$@"; status=$?; cat /proc/$$/stat > "$stat"; exit $status';

function childCpuSeconds(statFile: string): number | undefined {
  try {
    // Fields after the command name, which sits in parentheses and may hold spaces: cutime and cstime are fields 16 and 17 of stat(5).
    const text = fs.readFileSync(statFile, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / clockTicks;
  } catch {
    return undefined;
  }
}

let measured = 0;
/** Runs a command, sampling the summed RSS of its process tree every 25 ms. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measured> {
  const statFile = path.join(work, `stat-${measured++}`);
  return new Promise((resolve) => {
    const start = performance.now();
    const shell = spawn('sh', ['-c', CPU_WRAPPER, 'sh', statFile, command, ...args], { cwd: projectRoot, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    shell.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    // The shell's own few hundred kB are left out: its children are the command.
    const timer = setInterval(() => (peak = Math.max(peak, childrenRssKb(shell.pid!))), 25);
    shell.on('close', (code) => {
      clearInterval(timer);
      resolve({ seconds: (performance.now() - start) / 1000, cpuSeconds: childCpuSeconds(statFile), peakRssMb: peak / 1024, stderr, code });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (s: number) => `${s.toFixed(2)} s`;
const cpuOf = (ms: Measured[]) => (ms.every((m) => m.cpuSeconds !== undefined) ? median(ms.map((m) => m.cpuSeconds!)) : undefined);
const cpuText = (s: number | undefined) => (s === undefined ? 'CPU not measured (/proc unreadable)' : `CPU ${fmt(s)}`);

/** A run of the launcher (this project's, or a copy's), which must succeed. */
async function build(args: string[], script = launcher): Promise<Measured> {
  const m = await measure(process.execPath, [script, ...args]);
  if (m.code !== 0) throw new Error(`build failed (${m.code}): ${m.stderr.slice(-2000)}`);
  return m;
}

/** A run of `node test/bench/warm-worker.ts`, its JSON line parsed. */
function warmWorker(args: string[]): unknown {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(projectRoot, 'test', 'bench', 'warm-worker.ts'), ...args], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) throw new Error(`warm-worker.ts ${args[0]} failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

/** Lines a long-running process writes on stderr, and a bounded wait for the next one that matches. */
class StderrLines {
  private text = '';
  private waiting: Array<() => void> = [];
  constructor(stream: NodeJS.ReadableStream) {
    stream.on('data', (d: Buffer) => {
      this.text += d.toString();
      for (const wake of this.waiting.splice(0)) wake();
    });
  }
  get length(): number {
    return this.text.length;
  }
  /** The first match of `pattern` in what was written after `from`; rejects after `timeoutMs`. */
  async next(pattern: RegExp, from: number, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.text.slice(from));
      if (match) return match;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${pattern}; its stderr ends: ${this.text.slice(-500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

/**
 * `--watch` as an author lives it: the sample in a data folder of its own, a word of
 * a paragraph changed and saved, and the time from the save to the rebuild's
 * "built" line. Returns each edit's wall time and the build's own time it prints.
 */
async function watchRebuilds(edits: number, firstSaveAfterMs: number): Promise<{ wallMs: number[]; buildMs: number[] }> {
  const data = path.join(work, `watch-data-${firstSaveAfterMs}`);
  const briefDir = path.join(data, 'briefs', 'IF10199');
  fs.cpSync(sampleDir, briefDir, { recursive: true });
  const yamlFile = path.join(briefDir, 'brief.yaml');
  const original = fs.readFileSync(yamlFile, 'utf8');
  // Two words of one length, so that the brief keeps its lines and its budget whichever is in.
  const [from, to] = ['a significant partner', 'a substantial partner'];
  if (!original.includes(from)) throw new Error(`the sample no longer says "${from}": choose another word to edit`);
  const watcher = spawn(process.execPath, [launcher, 'IF10199', '--data', data, '--out', path.join(work, `watch-out-${firstSaveAfterMs}`), '--watch', '--format', 'pdf,pptx,html'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = new StderrLines(watcher.stderr);
  const exited = new Promise<void>((resolve) => watcher.on('close', () => resolve()));
  try {
    // The folders are watched once the first build is done.
    await lines.next(/^watching /m, 0, 180_000);
    await new Promise((resolve) => setTimeout(resolve, firstSaveAfterMs));
    const wallMs: number[] = [];
    const buildMs: number[] = [];
    for (let i = 0; i < edits; i++) {
      const mark = lines.length;
      const start = performance.now();
      fs.writeFileSync(yamlFile, i % 2 === 0 ? original.replace(from, to) : original);
      const built = await lines.next(/^IF10199 built .* in (\d+) ms$/m, mark, 60_000);
      wallMs.push(performance.now() - start);
      buildMs.push(Number(built[1]));
      // The run ends with the manifest and the catalog; the next edit waits for it.
      await lines.next(/^1 brief: /m, mark, 60_000);
    }
    return { wallMs, buildMs };
  } finally {
    watcher.kill('SIGINT');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 15_000))]);
    if (!stopped) watcher.kill('SIGKILL');
  }
}

/**
 * The batch's own worker, as `--jobs` starts it (a worker thread running
 * pipeline/launch.mjs --briefpress-worker: the bundle and its code cache, no tsx), in
 * a process of its own (worker-thread.mjs), driven the way pipeline/run/pool.ts drives
 * it: every format and the thumbnail. CPU per brief of the second pass over `data`
 * (utime + stime of that process, every thread, from /proc), and its resident memory
 * after each `every` briefs over `builds` builds, with no forced collection: the
 * memory a batch's worker really holds, with a node of its own.
 */
async function launcherWorker(data: string, builds: number, every: number): Promise<{ cpuPerBriefMs: number; rssMb: number[] }> {
  const dirs = fs.readdirSync(path.join(data, 'briefs')).sort().map((id) => path.join(data, 'briefs', id));
  const child = fork(path.join(benchDir, 'worker-thread.mjs'), [launcher, String(WORKER_YOUNG_GENERATION_MB)], { cwd: projectRoot, serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  const cpuMs = () => {
    const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
  };
  const rss = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
  const messages: unknown[] = [];
  let wake: (() => void) | undefined;
  child.on('message', (m) => {
    messages.push(m);
    wake?.();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const next = async (): Promise<unknown> => {
    const deadline = Date.now() + 120_000;
    while (messages.length === 0) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the worker stopped or stalled: ${stderr.slice(-1000)}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1000);
      });
    }
    return messages.shift();
  };
  try {
    await next(); // ready
    const environment = buildEnvironment(environmentHash(), new Set(FORMATS), false);
    const build = async (dir: string) => {
      child.send({ dir, formats: FORMATS, allowOverflow: false, environment });
      const reply = (await next()) as { ok: boolean; error?: string };
      if (!reply.ok) throw new Error(`worker failed on ${dir}: ${reply.error}`);
    };
    for (const dir of dirs) await build(dir);
    const before = cpuMs();
    for (const dir of dirs) await build(dir);
    const cpuPerBriefMs = (cpuMs() - before) / dirs.length;
    const rssMb = [rss()];
    for (let built = 2 * dirs.length; built < builds; ) {
      for (let i = 0; i < every && built < builds; i++, built++) await build(dirs[built % dirs.length]!);
      rssMb.push(rss());
    }
    return { cpuPerBriefMs, rssMb };
  } finally {
    child.disconnect();
    await exited;
  }
}

/** RSS of one worker process along `builds` builds of the synthetic briefs, at five points. */
function workerRss(data: string, builds: number): string {
  const { rssMb } = warmWorker(['rss', data, String(builds), '5']) as { rssMb: number[] };
  return `${rssMb.join(' / ')} MB`;
}

const flatNote = (value: string) => {
  const marks = value.match(/\d+/g)!.map(Number);
  return `target: flat; ${marks[4]! - marks[1]! >= 0 ? '+' : ''}${marks[4]! - marks[1]!} MB from the second figure to the last`;
};

interface BaselineRun {
  seconds: number;
  cpuSeconds: number | undefined;
  peakRssMb: number;
}

/** One run of a baseline: its PDF maker, then pandoc's deck from the same Markdown, timed together. */
async function baselineRun(pdf: () => Promise<Measured>, markdown: string, deck: string): Promise<BaselineRun> {
  const made = await pdf();
  const slides = await measure('pandoc', [markdown, '-o', deck]);
  if (made.code !== 0 || slides.code !== 0) throw new Error(`baseline failed: ${made.stderr.slice(-500)} ${slides.stderr.slice(-500)}`);
  return {
    seconds: made.seconds + slides.seconds,
    cpuSeconds: made.cpuSeconds === undefined || slides.cpuSeconds === undefined ? undefined : made.cpuSeconds + slides.cpuSeconds,
    peakRssMb: Math.max(made.peakRssMb, slides.peakRssMb),
  };
}

const summary = (runs: BaselineRun[]): BaselineRun => ({
  seconds: median(runs.map((r) => r.seconds)),
  cpuSeconds: runs.every((r) => r.cpuSeconds !== undefined) ? median(runs.map((r) => r.cpuSeconds!)) : undefined,
  peakRssMb: median(runs.map((r) => r.peakRssMb)),
});

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  // Warm the transpile cache and the OS file cache once, as any second run would find them.
  await build(['IF10199', '--out', path.join(work, 'warmup'), '--force']);

  // The same sample without this project: a PDF by Typst or by Chromium's print-to-PDF, the deck by pandoc.
  const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
  const chromium = ['chromium', 'chromium-browser'].find(has);
  const pandoc = has('pandoc');
  let typstCompiler = true;
  try {
    await import('@myriaddreamin/typst-ts-node-compiler');
  } catch {
    typstCompiler = false;
  }
  const inputs = await writeBaselineInputs(path.join(work, 'baseline'));
  const baselineFile = (name: string) => path.join(work, 'baseline', name);
  const typst = (i: number) => {
    const { main, fontConfig, fontDirs } = inputs.typst;
    const script = path.join(projectRoot, 'test', 'bench', 'typst-pdf.mjs');
    return measure(process.execPath, [script, main, baselineFile(`typst-${i}.pdf`), ...fontDirs], { ...process.env, FONTCONFIG_FILE: fontConfig });
  };
  const chrome = (browser: string, i: number) =>
    measure(browser, [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${path.join(work, `chrome-${i}`)}`,
      `--print-to-pdf=${baselineFile(`chromium-${i}.pdf`)}`,
      '--no-pdf-header-footer',
      `file://${inputs.html}`,
    ]);

  // Cold single brief: a new process each time, the sample brief; the issue's targets are for PDF + PPTX. Each
  // round also runs the baselines, so that a busy spell of a shared machine weighs on both sides of the ratios.
  const singles: Measured[] = [];
  const typstRuns: BaselineRun[] = [];
  const chromiumRuns: BaselineRun[] = [];
  for (let i = 0; i < 5; i++) {
    singles.push(await build(['IF10199', '--out', path.join(work, `single-${i}`), '--force', '--jobs', '1', '--format', 'pdf,pptx']));
    if (typstCompiler && pandoc) typstRuns.push(await baselineRun(() => typst(i), inputs.markdown, baselineFile(`typst-deck-${i}.pptx`)));
    if (chromium && pandoc) chromiumRuns.push(await baselineRun(() => chrome(chromium, i), inputs.markdown, baselineFile(`chromium-deck-${i}.pptx`)));
  }
  const cold = median(singles.map((m) => m.seconds));
  const coldCpu = cpuOf(singles);
  const coldRss = median(singles.map((m) => m.peakRssMb));
  row('cold single brief (IF10199, --format pdf,pptx), wall, median of 5', fmt(cold), target(cold, TARGET.coldWallS, ' s'));
  row('  CPU, user + sys of the process and its children', coldCpu === undefined ? 'not measured' : fmt(coldCpu), coldCpu === undefined ? '/proc unreadable' : target(coldCpu, TARGET.coldCpuS, ' s'));
  row('  peak RSS', `${coldRss.toFixed(0)} MB`, target(coldRss, TARGET.singleRssMb, ' MB'));
  const stagesOf = (runs: Measured[]) => {
    const stages = new Map<string, number[]>();
    for (const m of runs) {
      for (const match of m.stderr.matchAll(/^IF10199 (\S+) ([\d.]+) ms$/gm)) stages.set(match[1]!, [...(stages.get(match[1]!) ?? []), Number(match[2])]);
    }
    return stages;
  };
  const stages = stagesOf(singles);
  for (const [stage, times] of stages) {
    // The layout stage's budget (issue 12): total-fit breaking may cost at most a fifth more than the first-fit breaking it replaced.
    const note = stage === 'layout' ? `${target(median(times), Math.round(FIRST_FIT_LAYOUT_MS * 1.2), ' ms')} (1.2 × first fit's ${FIRST_FIT_LAYOUT_MS} ms, issue 12)` : '';
    row(`  stage ${stage}`, `${median(times).toFixed(0)} ms`, note);
  }
  const ratioRow = (name: string, base: BaselineRun, limit: number, limitNote: string) => {
    const cpuRatio = coldCpu !== undefined && base.cpuSeconds !== undefined ? `; CPU ${(coldCpu / base.cpuSeconds).toFixed(2)}×` : '';
    row(`  our cold single brief (PDF + PPTX) ÷ ${name}, wall`, `${(cold / base.seconds).toFixed(2)}×`, `${limitNote}${target(cold / base.seconds, limit, '×', limit.toFixed(1))}${cpuRatio}`);
  };
  if (typstRuns.length > 0) {
    const base = summary(typstRuns);
    row('baseline: Typst (npm compiler, a new node process) PDF + pandoc PPTX, wall, median of 5', fmt(base.seconds), `${cpuText(base.cpuSeconds)}, peak RSS ${base.peakRssMb.toFixed(0)} MB`);
    ratioRow('Typst + pandoc', base, TARGET.typstRatio, 'stretch ');
  } else {
    const missing = [...(typstCompiler ? [] : ['npm ci (the devDependency @myriaddreamin/typst-ts-node-compiler)']), ...(pandoc ? [] : ['apt-get install pandoc'])];
    row('baseline: Typst + pandoc', 'not run', missing.join('; '));
    row('  our cold single brief ÷ Typst + pandoc', 'not run', 'no baseline');
  }
  if (chromiumRuns.length > 0) {
    const base = summary(chromiumRuns);
    row('baseline: Chromium print-to-PDF + pandoc PPTX, wall, median of 5', fmt(base.seconds), `${cpuText(base.cpuSeconds)}, peak RSS ${base.peakRssMb.toFixed(0)} MB`);
    ratioRow('Chromium + pandoc', base, TARGET.chromiumRatio, '');
  } else {
    row('baseline: Chromium + pandoc', 'not run', [...(chromium ? [] : ['apt-get install chromium']), ...(pandoc ? [] : ['apt-get install pandoc'])].join('; '));
    row('  our cold single brief ÷ Chromium + pandoc', 'not run', 'no baseline');
  }
  const defaults: Measured[] = [];
  for (let i = 0; i < 5; i++) defaults.push(await build(['IF10199', '--out', path.join(work, `default-${i}`), '--force', '--jobs', '1']));
  row(
    'cold single brief (IF10199, default build: PDF + PPTX + HTML), wall, median of 5',
    fmt(median(defaults.map((m) => m.seconds))),
    `${cpuText(cpuOf(defaults))}, peak RSS ${median(defaults.map((m) => m.peakRssMb)).toFixed(0)} MB; no target of its own (issue 14's are for PDF + PPTX)`,
  );
  for (const [stage, times] of stagesOf(defaults)) if (!stages.has(stage)) row(`  stage ${stage} (default build only)`, `${median(times).toFixed(0)} ms`);

  // Batches of synthetic briefs, every format (the default build).
  const data = path.join(work, 'synthetic');
  writeSyntheticBriefs(data, 100);
  const subset = (count: number) => {
    const dir = path.join(work, `synthetic${count}`);
    fs.mkdirSync(path.join(dir, 'briefs'), { recursive: true });
    for (const id of fs.readdirSync(path.join(data, 'briefs')).sort().slice(0, count)) fs.cpSync(path.join(data, 'briefs', id), path.join(dir, 'briefs', id), { recursive: true });
    return dir;
  };
  const data10 = subset(10);
  for (const [label, dir] of [['10', data10], ['100', data]] as const) {
    for (const jobs of [1, 2]) {
      const args = ['--data', dir, '--out', path.join(work, `batch-${label}-${jobs}`), '--force', '--jobs', String(jobs)];
      // The row with a time target runs three times: this machine's speed drifts by
      // 10-15% within an hour, and one run could land either side of the target.
      const targeted = label === '100' && jobs === 2;
      const runs: Measured[] = [];
      for (let i = 0; i < (targeted ? 3 : 1); i++) runs.push(await build(args));
      const seconds = median(runs.map((m) => m.seconds));
      // Peak memory is the largest of the runs, not their median: a peak is what the machine must have.
      const peakRssMb = Math.max(...runs.map((m) => m.peakRssMb));
      const wallTarget = targeted ? `${target(seconds, TARGET.batch100Jobs2S, ' s')}; runs ${runs.map((m) => m.seconds.toFixed(2)).join(', ')} s; ` : '';
      const rssTarget = jobs === 2 ? ` (${target(peakRssMb, TARGET.twoWorkerRssMb, ' MB')})` : '';
      const what = targeted ? `batch of ${label} briefs, --jobs ${jobs}, median of 3 (peak RSS: the largest)` : `batch of ${label} briefs, --jobs ${jobs}`;
      row(what, fmt(seconds), `${wallTarget}${cpuText(cpuOf(runs))}, peak RSS ${peakRssMb.toFixed(0)} MB${rssTarget}`);
    }
  }
  // The batch is one process (its workers are threads): RSS counts in full the pages it shares with other
  // processes (the node binary, libraries), PSS shares them out. No target of its own (issue 14's is RSS).
  const pss = await peakPssMb(['--data', data, '--out', path.join(work, 'batch-100-2-pss'), '--force', '--jobs', '2']);
  row('  the same batch of 100, --jobs 2: peak PSS (a run of its own, sampled every 100 ms)', pss === undefined ? 'not measured' : `${pss.toFixed(0)} MB`, 'no target of its own: RSS counts in full each page the process shares with others (the node binary, libraries), PSS divides it among them');
  // What a CI job runs every time: npm ci empties node_modules, and with it the build's caches. A copy of
  // the project whose node_modules links every package but has no cache: npm's postinstall, then the batch.
  const installedLauncher = path.join(installedCopy(path.join(work, 'installed')), 'pipeline', 'launch.mjs');
  const prepared = await build(['--briefpress-prepare'], installedLauncher);
  const first = await build(['--data', data, '--out', path.join(work, 'batch-100-2-installed'), '--force', '--jobs', '2'], installedLauncher);
  row(
    'batch of 100 briefs, --jobs 2, right after an install (no build cache; the postinstall first)',
    fmt(first.seconds),
    `${cpuText(first.cpuSeconds)}, peak RSS ${first.peakRssMb.toFixed(0)} MB (${target(first.peakRssMb, TARGET.twoWorkerRssMb, ' MB')}); the postinstall ${fmt(prepared.seconds)}, ${prepared.peakRssMb.toFixed(0)} MB; no time target of its own (it also writes the workers' code cache)`,
  );
  const warm = await build(['--data', data, '--out', path.join(work, 'batch-100-2'), '--jobs', '2']);
  row('warm rebuild of 100 briefs, nothing changed', fmt(warm.seconds), `${target(warm.seconds, TARGET.warmNothingChangedS, ' s')}; ${warm.stderr.match(/\d+ built, \d+ reused/)?.[0] ?? ''}`);

  // A warm worker: the second pass over 20 synthetic briefs in one process.
  const { perBriefMs } = warmWorker(['cpu', subset(20)]) as { perBriefMs: number[] };
  row(
    'warm worker, CPU per brief (20 synthetic briefs, all formats and the thumbnail, second pass), median / mean',
    `${median(perBriefMs).toFixed(0)} / ${mean(perBriefMs).toFixed(0)} ms`,
    target(median(perBriefMs), TARGET.warmBriefCpuMs, ' ms'),
  );

  // The same, in the batch's own worker (a thread running the bundle, no tsx, alone in a process), and its memory as a batch holds it.
  const real = await launcherWorker(subset(20), 100, 20);
  row(
    "the launcher's worker thread (as --jobs starts it, in a process of its own), CPU per brief (20 synthetic briefs, all formats and the thumbnail, second pass)",
    `${real.cpuPerBriefMs.toFixed(0)} ms`,
    target(real.cpuPerBriefMs, TARGET.warmBriefCpuMs, ' ms'),
  );
  const grew = real.rssMb[real.rssMb.length - 1]! - real.rssMb[0]!;
  row('  its RSS after 40 / 60 / 80 / 100 briefs, no forced collection', `${real.rssMb.join(' / ')} MB`, `target: flat; ${grew >= 0 ? '+' : ''}${grew} MB from the first figure to the last (a batch's two workers and its CLI: ${TARGET.twoWorkerRssMb} MB)`);

  // --watch: a word of the sample changed, fifteen times, the first save two seconds
  // after the watcher says it is watching (an author's first edit takes longer). Then a
  // save at once, in the middle of the watcher's warm-up builds, whose code is still cold.
  try {
    const { wallMs, buildMs } = await watchRebuilds(15, 2000);
    const [first, later] = [wallMs.slice(0, 5), wallMs.slice(10)];
    row(
      '--watch: save of brief.yaml to its rebuild\'s "built" line (IF10199, all formats), median of the first 5 saves, the first 2 s after the start',
      `${median(first).toFixed(0)} ms`,
      `${target(median(first), TARGET.watchRebuildMs, ' ms')}; of which the build ${median(buildMs.slice(0, 5)).toFixed(0)} ms and the watcher's settle wait ${SETTLE_MS} ms (${WARM_UP_BUILDS} warm-up builds ran while it waited)`,
    );
    const atOnce = await watchRebuilds(1, 0);
    row(
      '  a first save the moment the watcher starts (warm-up stopped at its next stage)',
      `${atOnce.wallMs[0]!.toFixed(0)} ms`,
      `no target; of which the build ${atOnce.buildMs[0]!} ms, in code not yet warm`,
    );
    row(
      '  the same, median of saves 11 to 15 (the watcher warmed by ten rebuilds)',
      `${median(later).toFixed(0)} ms`,
      `${target(median(later), TARGET.watchRebuildMs, ' ms')}; of which the build ${median(buildMs.slice(10)).toFixed(0)} ms`,
    );
  } catch (error) {
    row('--watch rebuild after an edit', 'failed', (error as Error).message.split('\n')[0]!);
  }

  // Memory of one worker process over many briefs.
  const short = workerRss(data, 100);
  row('RSS of one worker after 0 / 25 / 50 / 75 / 100 briefs (synthetic, all formats)', short, flatNote(short));
  if (long) {
    const thousand = workerRss(data, 1000);
    row('RSS of one worker after 0 / 250 / 500 / 750 / 1,000 briefs (synthetic, all formats)', thousand, flatNote(thousand));
  } else {
    row('RSS of one worker after 0 / 250 / 500 / 750 / 1,000 briefs', 'not run (npm run bench -- --long)', 'target: flat');
  }

  // How the justified text is set, on the samples and on the synthetic briefs (npm run typeset-report has the details).
  const { typesetReports } = await import('../../pipeline/run/typeset-report.ts');
  const sampleDirs = fs.readdirSync(path.join(projectRoot, 'data', 'briefs')).sort().map((id) => path.join(projectRoot, 'data', 'briefs', id));
  const syntheticDirs = fs.readdirSync(path.join(data10, 'briefs')).sort().map((id) => path.join(data10, 'briefs', id));
  for (const [label, dirs] of [['samples', sampleDirs], ['10 synthetic briefs', syntheticDirs]] as const) {
    const reports = await typesetReports(dirs);
    for (const breaker of ['totalFit', 'firstFit'] as const) {
      const figures = reports.map((r) => r[breaker].figures);
      const sum = (pick: (f: (typeof figures)[number]) => number) => figures.reduce((n, f) => n + pick(f), 0);
      const worstOver15 = Math.max(...figures.map((f) => f.over15 / Math.max(1, f.justified)));
      const name = breaker === 'totalFit' ? 'total fit' : 'first fit (before)';
      row(
        `typesetting, ${label}, ${name}: ragged lines / lines with spaces > 2× / worst brief's share > 1.5× / widest, narrowest space / most hyphens in a row`,
        `${sum((f) => f.ragged)} / ${sum((f) => f.over2)} / ${(worstOver15 * 100).toFixed(1)}% / ${Math.max(...figures.map((f) => f.maxSpace)).toFixed(2)}×, ${Math.min(...figures.map((f) => f.minSpace)).toFixed(2)}× / ${Math.max(...figures.map((f) => f.maxConsecutiveHyphens))}`,
        breaker === 'totalFit' ? 'targets 0 / 0 / ≤ 1% / ≤ 2×, ≥ 0.8× / ≤ 2' : '',
      );
    }
  }

  // Memory over 1,000 chart renders in one process.
  const charts = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(projectRoot, 'test', 'bench', 'chart-memory.ts')], { cwd: projectRoot, encoding: 'utf8' });
  row('RSS after 0 / 250 / 500 / 750 / 1,000 chart renders', charts.stdout.trim(), 'target: flat');

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const load = `1-minute load average ${loadBefore.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end`;
  const table = ['| measurement | result | note |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  process.stdout.write(`Machine: ${machine}; ${load}.\n\n${table}\n`);
  fs.rmSync(work, { recursive: true, force: true });
}

await main();

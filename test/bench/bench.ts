// `npm run bench`: figures, not pass/fail. Every timing is of whole processes
// (process start to files written), as a user or CI experiences them. Prints a
// markdown table; test/bench/RESULTS.md holds the one committed from the
// project's machine.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../pipeline/core/paths.ts';
import { writeSyntheticBriefs } from './synthetic.ts';
import { writeBaselineInputs } from './baseline.ts';

const launcher = path.join(projectRoot, 'pipeline', 'launch.mjs');
/** The layout stage of IF10199 before total fit (commit e820300, first-fit breaking), median of 11 cold runs on the project's machine. */
const FIRST_FIT_LAYOUT_MS = 248;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'briefpress-bench-'));
const rows: Array<[string, string, string]> = [];
const row = (what: string, value: string, note = '') => {
  rows.push([what, value, note]);
  process.stderr.write(`${what}: ${value} ${note}\n`);
};

interface Measured {
  seconds: number;
  peakRssMb: number;
  stderr: string;
  code: number | null;
}

/** Resident memory of a process and its descendants, in kB, read from /proc (no helper process to skew timings). */
function treeRssKb(pid: number): number {
  let total = 0;
  try {
    total += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    for (const child of fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) total += treeRssKb(Number(child));
  } catch {
    // the process ended between reads
  }
  return total;
}

/** Runs a command, sampling the summed RSS of its process tree every 25 ms. */
function measure(command: string, args: string[]): Promise<Measured> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: projectRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid!))), 25);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ seconds: (performance.now() - start) / 1000, peakRssMb: peak / 1024, stderr, code });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (s: number) => `${s.toFixed(2)} s`;

async function build(args: string[]): Promise<Measured> {
  const m = await measure(process.execPath, [launcher, ...args]);
  if (m.code !== 0) throw new Error(`build failed (${m.code}): ${m.stderr.slice(-2000)}`);
  return m;
}

async function main(): Promise<void> {
  // Warm the transpile cache and the OS file cache once, as any second run would find them.
  await build(['IF10199', '--out', path.join(work, 'warmup'), '--force']);

  // Cold single brief: a new process, both artifacts, the sample brief.
  const singles: Measured[] = [];
  for (let i = 0; i < 5; i++) singles.push(await build(['IF10199', '--out', path.join(work, `single-${i}`), '--force', '--jobs', '1']));
  const cold = median(singles.map((m) => m.seconds));
  row('cold single brief (IF10199, PDF + PPTX), median of 5', fmt(cold), `peak RSS ${median(singles.map((m) => m.peakRssMb)).toFixed(0)} MB`);
  const stages = new Map<string, number[]>();
  for (const m of singles) {
    for (const match of m.stderr.matchAll(/^IF10199 (\S+) ([\d.]+) ms$/gm)) stages.set(match[1]!, [...(stages.get(match[1]!) ?? []), Number(match[2])]);
  }
  for (const [stage, times] of stages) {
    // The layout stage's budget: total-fit breaking may cost at most a fifth more than the first-fit breaking it replaced.
    const note = stage === 'layout' ? `target ≤ ${Math.round(FIRST_FIT_LAYOUT_MS * 1.2)} ms (1.2 × first fit's ${FIRST_FIT_LAYOUT_MS} ms)` : '';
    row(`  stage ${stage}`, `${median(times).toFixed(0)} ms`, note);
  }

  // Batches of synthetic briefs.
  const data = path.join(work, 'synthetic');
  writeSyntheticBriefs(data, 100);
  const data10 = path.join(work, 'synthetic10');
  fs.mkdirSync(path.join(data10, 'briefs'), { recursive: true });
  for (const id of fs.readdirSync(path.join(data, 'briefs')).sort().slice(0, 10)) fs.cpSync(path.join(data, 'briefs', id), path.join(data10, 'briefs', id), { recursive: true });
  for (const [label, dir] of [['10', data10], ['100', data]] as const) {
    for (const jobs of [1, 2]) {
      const m = await build(['--data', dir, '--out', path.join(work, `batch-${label}-${jobs}`), '--force', '--jobs', String(jobs)]);
      row(`batch of ${label} briefs, --jobs ${jobs}`, fmt(m.seconds), `peak RSS ${m.peakRssMb.toFixed(0)} MB`);
    }
  }
  const warm = await build(['--data', data, '--out', path.join(work, 'batch-100-2'), '--jobs', '2']);
  row('warm rebuild of 100 briefs, nothing changed', fmt(warm.seconds), warm.stderr.match(/\d+ built, \d+ reused/)?.[0] ?? '');

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
  row('RSS after 0 / 250 / 500 / 750 / 1,000 chart renders', charts.stdout.trim());

  // The same sample without this project: HTML printed by headless Chromium, the deck by pandoc.
  const chromium = ['chromium', 'chromium-browser'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
  const pandoc = spawnSync('sh', ['-c', 'command -v pandoc']).status === 0;
  if (chromium && pandoc) {
    const { html, markdown } = await writeBaselineInputs(path.join(work, 'baseline'));
    const theirs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const pdf = await measure(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${path.join(work, `chrome-${i}`)}`, `--print-to-pdf=${path.join(work, 'baseline', `brief-${i}.pdf`)}`, '--no-pdf-header-footer', `file://${html}`]);
      const deck = await measure('pandoc', [markdown, '-o', path.join(work, 'baseline', `deck-${i}.pptx`)]);
      if (pdf.code !== 0 || deck.code !== 0) throw new Error(`baseline failed: ${pdf.stderr.slice(-500)} ${deck.stderr.slice(-500)}`);
      theirs.push((performance.now() - start) / 1000);
    }
    const base = median(theirs);
    row('baseline: Chromium print-to-PDF + pandoc PPTX, median of 5', fmt(base));
    row('our cold single brief ÷ baseline', (cold / base).toFixed(2), 'target ≤ 0.5');
  } else {
    row('baseline: Chromium + pandoc', 'not run', 'apt-get install chromium pandoc');
  }

  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const table = ['| measurement | result | note |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  process.stdout.write(`Machine: ${machine}\n\n${table}\n`);
  fs.rmSync(work, { recursive: true, force: true });
}

await main();

// `npm run build:brief -- [ID ...] [--data DIR] [--out DIR] [--format pdf,pptx]`
// The only module that prints and chooses exit codes: 0 built, 1 invalid input
// or output problem, 2 usage error, 3 internal error.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BriefpressError, ErrorCode, exitCodeFor, formatDiagnostic } from '../core/diagnostics.ts';
import { defaultJobs, stopWorkers } from './batch.ts';
import { shardOf } from './cache.ts';
import type { Format } from '../output/publish.ts';
import { projectRoot } from '../core/paths.ts';
import { ID_PATTERN, ID_RULE } from '../core/text.ts';

const USAGE = `Usage: npm run build:brief -- [ID ...] [options]

Builds each brief (data/briefs/<ID>/brief.yaml) into <ID>.pdf and <ID>.pptx,
and records them in manifest.json. With no ID, builds every brief.

Options:
  --data DIR         folder laid out like data/ (briefs in DIR/briefs/<ID>/)  [data]
  --out DIR          output folder, created when missing                     [out]
  --format LIST      pdf, pptx or pdf,pptx                                   [pdf,pptx]
  --allow-overflow   build a brief longer than its series' page budget, with a warning
  -j, --jobs N       worker processes for a batch                            [cores]
  --force            rebuild briefs whose inputs did not change
  --shard I/N        build only the I-th of N stable slices of the briefs (CI matrix)
  --watch            rebuild a brief when its files, the templates or the theme change
  -h, --help         show this help

Exit codes: 0 built; 1 invalid input or unwritable output; 2 usage error; 3 internal error.`;

interface CliOptions {
  readonly ids: readonly string[];
  readonly dataDir: string;
  readonly outDir: string;
  readonly formats: ReadonlySet<Format>;
  readonly allowOverflow: boolean;
  readonly jobs: number;
  readonly force: boolean;
  /** Build only the briefs of shard `index` of `count` (1-based). */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly watch: boolean;
}

function usageError(message: string): BriefpressError {
  return new BriefpressError(ErrorCode.usage, `${message}\n\n${USAGE}`);
}

export function parseCli(argv: readonly string[]): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        data: { type: 'string', default: 'data' },
        out: { type: 'string', default: 'out' },
        format: { type: 'string', default: 'pdf,pptx' },
        'allow-overflow': { type: 'boolean', default: false },
        jobs: { type: 'string', short: 'j' },
        force: { type: 'boolean', default: false },
        shard: { type: 'string' },
        watch: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  if (parsed.values.help) return 'help';
  const formats = new Set<Format>();
  for (const f of parsed.values.format.split(',').map((s) => s.trim().toLowerCase())) {
    if (f !== 'pdf' && f !== 'pptx') throw usageError(`--format: unknown format "${f}"; expected pdf, pptx or pdf,pptx`);
    formats.add(f);
  }
  for (const id of parsed.positionals) {
    if (!ID_PATTERN.test(id)) throw usageError(`"${id}" is not a brief id (${ID_RULE})`);
  }
  let jobs = defaultJobs();
  if (parsed.values.jobs !== undefined) {
    jobs = Number(parsed.values.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw usageError(`--jobs: expected a whole number from 1 to 64, got "${parsed.values.jobs}"`);
  }
  let shard: CliOptions['shard'];
  if (parsed.values.shard !== undefined) {
    const match = /^(\d+)\/(\d+)$/.exec(parsed.values.shard);
    const index = Number(match?.[1]);
    const count = Number(match?.[2]);
    if (!match || count < 1 || index < 1 || index > count) throw usageError(`--shard: expected I/N with 1 ≤ I ≤ N, e.g. 2/4; got "${parsed.values.shard}"`);
    shard = { index, count };
  }
  return {
    ids: parsed.positionals,
    dataDir: parsed.values.data,
    outDir: parsed.values.out,
    formats,
    allowOverflow: parsed.values['allow-overflow'],
    jobs,
    force: parsed.values.force,
    ...(shard ? { shard } : {}),
    watch: parsed.values.watch,
  };
}

export function findBriefs(dataDir: string, ids: readonly string[]): string[] {
  const briefsDir = path.join(dataDir, 'briefs');
  let available: string[];
  try {
    available = fs
      .readdirSync(briefsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(briefsDir, e.name, 'brief.yaml')))
      .map((e) => e.name)
      .sort();
  } catch {
    throw usageError(`no briefs folder at ${briefsDir} (--data names a folder that holds briefs/<ID>/brief.yaml)`);
  }
  if (ids.length === 0) {
    if (available.length === 0) throw usageError(`no briefs in ${briefsDir}`);
    return available.map((id) => path.join(briefsDir, id));
  }
  const missing = ids.filter((id) => !available.includes(id));
  if (missing.length > 0) throw usageError(`no brief ${missing.join(', ')} in ${briefsDir} (found: ${available.join(', ') || 'none'})`);
  return ids.map((id) => path.join(briefsDir, id));
}

function generator(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return `briefpress ${pkg.version}`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const log = (line: string) => process.stderr.write(line + '\n');
  try {
    const options = parseCli(argv);
    if (options === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    const briefDirs = findBriefs(options.dataDir, options.ids).filter((dir) => !options.shard || shardOf(path.basename(dir), options.shard.count) === options.shard.index - 1);
    // Loaded after argument checks so that --help and usage errors answer at once.
    const publish = await import('../output/publish.ts');
    publish.ensureOutputDir(options.outDir);
    const lockTimeout = Number(process.env['BRIEFPRESS_LOCK_TIMEOUT_MS'] ?? 120_000);
    if (!Number.isFinite(lockTimeout) || lockTimeout < 0) throw usageError(`BRIEFPRESS_LOCK_TIMEOUT_MS must be a number of milliseconds, got "${process.env['BRIEFPRESS_LOCK_TIMEOUT_MS']}"`);
    const release = await publish.lockOutputDir(options.outDir, lockTimeout, (holder) =>
      log(`waiting for another build (process ${holder}) to finish writing to ${options.outDir}`),
    );
    releaseLock = release;
    try {
      const code = await buildOnce(options, briefDirs, options.force, log);
      if (!options.watch) return code;
      const { watchBriefs } = await import('./watch.ts');
      return await watchBriefs(options, (dirs) => buildOnce(options, dirs, true, log), log);
    } finally {
      release();
      releaseLock = undefined;
    }
  } catch (error) {
    if (error instanceof BriefpressError) {
      log(`briefpress: ${error.message}`);
      for (const d of error.diagnostics) log(formatDiagnostic(d));
      return exitCodeFor[error.code];
    }
    log(`briefpress: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return exitCodeFor.INTERNAL;
  }
}

/** Loaded once per process, so that --watch rebuilds start warm. */
let context: import('./build.ts').BuildContext | undefined;

/** One pass over the briefs: build what changed, write the manifest, pick the exit code. */
async function buildOnce(options: CliOptions, briefDirs: readonly string[], force: boolean, log: (line: string) => void): Promise<number> {
  const [{ runBatch }, publish] = await Promise.all([import('./batch.ts'), import('../output/publish.ts')]);
  const result = await runBatch(
    briefDirs,
    {
      outDir: options.outDir,
      formats: options.formats,
      allowOverflow: options.allowOverflow,
      jobs: options.jobs,
      force,
      previous: publish.readManifest(options.outDir),
      log,
      tty: process.stderr.isTTY === true && briefDirs.length > 1,
    },
    async () => (context ??= (await import('./build.ts')).createContext()),
  );
  publish.writeManifest(options.outDir, generator(), result.entries);
  if (result.internalErrors > 0) return exitCodeFor.INTERNAL;
  return result.outputErrors > 0 || result.entries.some((e) => e.status === 'failed') ? exitCodeFor.INVALID_INPUT : 0;
}

let releaseLock: (() => void) | undefined;

/**
 * Ctrl-C or a CI cancel: every file is written whole (temp file + rename, all
 * synchronous, so a signal is handled between files, never inside one), so all
 * there is to undo is the lock. Exit 128 + the signal number, as shells report it.
 */
export function installSignalHandlers(): void {
  const stop = (signal: 'SIGINT' | 'SIGTERM', code: number) => () => {
    process.stderr.write(`briefpress: ${signal}: stopped; files already written are complete, nothing half-written\n`);
    stopWorkers(signal);
    releaseLock?.();
    process.exit(code);
  };
  process.once('SIGINT', stop('SIGINT', 130));
  process.once('SIGTERM', stop('SIGTERM', 143));
  // Past a file-size limit (ulimit -f) the kernel sends SIGXFSZ, which would kill the
  // process mid-write; with a listener the write fails with EFBIG and is cleaned up.
  process.on('SIGXFSZ', () => {});
}

// `node --import tsx pipeline/run/cli.ts` also works (the tests and npm run build:brief use pipeline/launch.mjs).
if (process.argv[1]?.endsWith('/pipeline/run/cli.ts')) {
  installSignalHandlers();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

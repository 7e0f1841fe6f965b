// `npm run build:brief -- [ID ...] [--data DIR] [--out DIR] [--format pdf,pptx,html]`
// The only module that prints and chooses exit codes: 0 built, 1 invalid input
// or output problem, 2 usage error, 3 internal error.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BriefpressError, ErrorCode, exitCodeFor } from '../core/diagnostics.ts';
import { defaultJobs } from './batch.ts';
import { stopWorkers } from './pool.ts';
import { discoverBriefs, type Selection } from './discover.ts';
import { FORMATS, type Format } from '../output/manifest.ts';
import { projectRoot } from '../core/paths.ts';
import { ID_PATTERN, ID_RULE } from '../core/text.ts';

const USAGE = `Usage: npm run build:brief -- [ID ...] [options]

Builds each brief (data/briefs/<ID>/brief.yaml) into <ID>.pdf, <ID>.pptx and
<ID>.html (the web edition), and records them in manifest.json. With no ID, builds every brief.

Options:
  --data DIR         folder laid out like data/ (briefs in DIR/briefs/<ID>/)  [data]
  --out DIR          output folder, created when missing                     [out]
  --format LIST      any of pdf, pptx, html, comma-separated            [pdf,pptx,html]
  --allow-overflow   build a brief longer than its series' page budget, with a warning
  -j, --jobs N       worker threads for a batch                              [cores]
  --force            rebuild briefs whose inputs did not change
  --shard I/N        build only the I-th of N stable slices of the briefs (CI matrix)
  --watch            rebuild a brief when its files, the templates or the theme change
  --catalog          build nothing: write <out>/index.html again from <out>/manifest.json
  --merge DIR        (repeatable) build nothing: copy the files recorded in DIR/manifest.json
                     (another shard's --out) into --out, merge the manifests, write one catalog
  -h, --help         show this help

Every run also writes index.html, the catalog of the briefs in manifest.json.

Exit codes: 0 built; 1 invalid input or unwritable output; 2 usage error; 3 internal error.`;

interface CliOptions extends Selection {
  readonly outDir: string;
  readonly formats: ReadonlySet<Format>;
  readonly allowOverflow: boolean;
  readonly jobs: number;
  readonly force: boolean;
  readonly watch: boolean;
  /** Only the catalog (--catalog), after merging these output folders into outDir (--merge). */
  readonly catalogOnly: boolean;
  readonly merge: readonly string[];
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
        format: { type: 'string', default: FORMATS.join(',') },
        'allow-overflow': { type: 'boolean', default: false },
        jobs: { type: 'string', short: 'j' },
        force: { type: 'boolean', default: false },
        shard: { type: 'string' },
        watch: { type: 'boolean', default: false },
        catalog: { type: 'boolean', default: false },
        merge: { type: 'string', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw usageError((error as Error).message);
  }
  if (parsed.values.help) return 'help';
  const formats = new Set<Format>();
  for (const f of parsed.values.format.split(',').map((s) => s.trim().toLowerCase())) {
    const format = FORMATS.find((known) => known === f);
    if (!format) throw usageError(`--format: unknown format "${f}"; expected any of ${FORMATS.join(', ')}, comma-separated`);
    formats.add(format);
  }
  // An id given twice is built once, in the order first given.
  const ids = [...new Set(parsed.positionals)];
  for (const id of ids) {
    if (!ID_PATTERN.test(id)) throw usageError(`"${id}" is not a brief id (${ID_RULE})`);
  }
  let jobs = defaultJobs();
  if (parsed.values.jobs !== undefined) {
    // Number() would take 1e1, 0x2 and " 2": only plain decimal digits are a count.
    jobs = /^[1-9]\d*$/.test(parsed.values.jobs) ? Number(parsed.values.jobs) : NaN;
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
  const merge = parsed.values.merge;
  const catalogOnly = parsed.values.catalog || merge.length > 0;
  if (catalogOnly && (ids.length > 0 || shard || parsed.values.watch || parsed.values.force)) {
    throw usageError(`${merge.length > 0 ? '--merge' : '--catalog'} builds nothing: it takes --out (and --merge) only, not brief ids, --shard, --watch or --force`);
  }
  return {
    ids,
    dataDir: parsed.values.data,
    outDir: parsed.values.out,
    formats,
    allowOverflow: parsed.values['allow-overflow'],
    jobs,
    force: parsed.values.force,
    ...(shard ? { shard } : {}),
    watch: parsed.values.watch,
    catalogOnly,
    merge,
  };
}

/**
 * An output folder inside a brief's folder would be read back as the brief's input (and --watch would rebuild forever).
 * Compared both as written and as real paths: a symbolic link to the brief folder (as --out, or as --data) leads
 * there all the same.
 */
function refuseOutInsideBrief(options: CliOptions): void {
  const briefs = path.resolve(options.dataDir, 'briefs');
  const out = path.resolve(options.outDir);
  for (const [root, target] of [
    [briefs, out],
    [realPath(briefs), realPath(out)],
  ] as const) {
    const rel = path.relative(root, target);
    const [first] = rel.split(path.sep);
    if (rel !== '' && first !== '..' && !path.isAbsolute(rel)) {
      throw usageError(`--out ${options.outDir} is inside the brief folder ${path.join(options.dataDir, 'briefs', first!)}; choose a folder outside ${path.join(options.dataDir, 'briefs')}`);
    }
  }
}

/**
 * The real path of `file`, links resolved, whether it exists or not: an --out not made yet is the real path
 * of its nearest existing folder with the rest appended (a dangling link is followed to where it points,
 * since the folder would be made there).
 */
function realPath(file: string, depth = 0): string {
  const absolute = path.resolve(file);
  try {
    return fs.realpathSync(absolute);
  } catch (error) {
    // A loop of links, or a path through a file: the build reports that itself; here the path as written.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || depth > 40) return absolute;
  }
  const parent = path.dirname(absolute);
  if (parent === absolute) return absolute;
  const link = fs.lstatSync(absolute, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) return realPath(path.resolve(parent, fs.readlinkSync(absolute)), depth + 1);
  return path.join(realPath(parent, depth), path.basename(absolute));
}

function generator(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return `briefpress ${pkg.version}`;
}

/** Where the CLI writes: the process's streams, or a test's buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: CliIo = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) };

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const log = (line: string) => io.stderr(line + '\n');
  try {
    const options = parseCli(argv);
    if (options === 'help') {
      io.stdout(USAGE + '\n');
      return 0;
    }
    if (options.catalogOnly) return await catalogOnly(options, log);
    const briefDirs = discoverBriefs(options);
    refuseOutInsideBrief(options);
    // Loaded after argument checks so that --help and usage errors answer at once.
    const [{ ensureOutputDir, removeStaleTemps }, { lockOutputDir, removeStaleLockFiles }] = await Promise.all([import('../output/atomic.ts'), import('../output/lock.ts')]);
    ensureOutputDir(options.outDir);
    const release = await lockOutputDir(options.outDir, lockTimeout(), (holder) => log(`waiting for another build (process ${holder}) to finish writing to ${options.outDir}`));
    releaseLock = release;
    try {
      removeStaleTemps(options.outDir);
      removeStaleLockFiles(options.outDir);
      const code = await buildOnce(options, briefDirs, options.force, log, io === processIo);
      // Publishing is synchronous: a signal that arrived during it is still queued, and
      // if the process ended now it would never be handled (exit 0 instead of 130/143).
      // One turn of the event loop lets its handler run.
      await new Promise((resolve) => setImmediate(resolve));
      if (!options.watch) return code;
      const { watchBriefs } = await import('./watch.ts');
      const first = briefDirs[0];
      const warmUp = first === undefined ? {} : { warmUp: (cancelled: () => boolean) => warmUpBuild(options, first, cancelled) };
      return await watchBriefs({ ...options, ...warmUp }, (dirs) => buildOnce(options, dirs, true, log, io === processIo), log);
    } finally {
      release();
      releaseLock = undefined;
    }
  } catch (error) {
    if (error instanceof BriefpressError) {
      log(`briefpress: ${error.message}`);
      return exitCodeFor[error.code];
    }
    log(`briefpress: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return exitCodeFor.INTERNAL;
  }
}

/** Kept for the process, so that --watch rebuilds start warm; made again when the templates or the theme change. */
let contexts: import('./build.ts').ContextCache | undefined;
const currentContext = async () => (contexts ??= new (await import('./build.ts')).ContextCache()).current();

/** What stops a warm-up build between two stages. */
const WARM_UP_CANCELLED = new Error('warm-up cancelled');

/**
 * A build of `dir` in memory whose result is thrown away: --watch runs a few while it
 * waits for the first edit, so that the edit's rebuild finds V8's code warm (watch.ts).
 * It publishes nothing and records nothing; `cancelled` stops it at the next stage.
 */
async function warmUpBuild(options: CliOptions, dir: string, cancelled: () => boolean): Promise<boolean> {
  const [{ runJob }, context] = await Promise.all([import('./job.ts'), currentContext()]);
  const request = { dir, formats: [...options.formats], allowOverflow: options.allowOverflow, environment: '' };
  try {
    // A turn of the event loop before each stage, so that an edit's file event is seen (and the build stops) between stages.
    const result = await runJob(request, context, undefined, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      if (cancelled()) throw WARM_UP_CANCELLED;
    });
    // A brief that does not build warms only its loading and validation: not worth building again.
    return result.entry.status === 'built';
  } catch (error) {
    if (error !== WARM_UP_CANCELLED) throw error;
    return false;
  }
}

/** One pass over the briefs: build what changed, write the manifest, pick the exit code. */
async function buildOnce(options: CliOptions, briefDirs: readonly string[], force: boolean, log: (line: string) => void, onTerminal: boolean): Promise<number> {
  // The catalog's module is loaded now, not after the manifest: with no await between them, a signal cannot land
  // after the manifest is written and before the catalog that lists it is.
  const [{ runBatch }, manifest, { writeCatalog }] = await Promise.all([import('./batch.ts'), import('../output/manifest.ts'), import('../catalog/catalog.ts')]);
  // A folder where manifest.json goes would fail every publish: say so once, before building.
  const manifestFile = path.join(options.outDir, manifest.MANIFEST_NAME);
  if (fs.statSync(manifestFile, { throwIfNoEntry: false })?.isDirectory()) {
    throw new BriefpressError(ErrorCode.output, `cannot write ${manifestFile}: a folder of that name is in the way; the previous files are unchanged`);
  }
  const result = await runBatch(
    briefDirs,
    {
      outDir: options.outDir,
      generator: generator(),
      formats: options.formats,
      allowOverflow: options.allowOverflow,
      jobs: options.jobs,
      force,
      previous: manifest.readManifest(options.outDir),
      log,
      tty: onTerminal && process.stderr.isTTY === true && briefDirs.length > 1,
    },
    currentContext,
  );
  let written: import('../output/manifest.ts').Manifest;
  try {
    written = manifest.writeManifest(options.outDir, generator(), result.entries);
  } catch (error) {
    // Each built brief was published with its record already; only the run's closing write failed. Say exactly that.
    if (!(error instanceof BriefpressError)) throw error;
    const built = result.entries.filter((e) => e.status === 'built').length;
    const reason = error.message.replace(/; the previous files are unchanged$/, '');
    throw new BriefpressError(
      ErrorCode.output,
      `${reason}; the ${built} brief${built === 1 ? '' : 's'} built in this run ${built === 1 ? 'is' : 'are'} published and recorded in it, the records of the ${result.entries.length - built} reused or failed ${result.entries.length - built === 1 ? 'is' : 'are'} not`,
      { cause: error },
    );
  }
  // The catalog comes from the manifest as written, so it lists every brief of the folder, not only this run's.
  writeCatalog(options.outDir, written);
  if (result.internalErrors > 0) return exitCodeFor.INTERNAL;
  return result.outputErrors > 0 || result.entries.some((e) => e.status === 'failed') ? exitCodeFor.INVALID_INPUT : 0;
}

/** How long to wait for another build's lock on the output folder. */
function lockTimeout(): number {
  // Set to nothing (a CI variable left empty) is unset: Number('') is 0, which would give up at once.
  const text = process.env['BRIEFPRESS_LOCK_TIMEOUT_MS']?.trim();
  const ms = text ? Number(text) : 120_000;
  if (!Number.isFinite(ms) || ms < 0) throw usageError(`BRIEFPRESS_LOCK_TIMEOUT_MS must be a number of milliseconds, got "${process.env['BRIEFPRESS_LOCK_TIMEOUT_MS']}"`);
  return ms;
}

/** --catalog and --merge: no build; the output folder's lock is held as for one, since both write there. */
async function catalogOnly(options: CliOptions, log: (line: string) => void): Promise<number> {
  for (const dir of options.merge) {
    if (path.resolve(dir) === path.resolve(options.outDir)) throw usageError(`--merge ${dir} is the --out folder itself`);
  }
  const [{ ensureOutputDir, removeStaleTemps }, { lockOutputDir }, { readManifest }, { writeCatalog }, { mergeOutputs }] = await Promise.all([
    import('../output/atomic.ts'),
    import('../output/lock.ts'),
    import('../output/manifest.ts'),
    import('../catalog/catalog.ts'),
    import('../catalog/merge.ts'),
  ]);
  ensureOutputDir(options.outDir);
  const release = await lockOutputDir(options.outDir, lockTimeout(), (holder) => log(`waiting for another build (process ${holder}) to finish writing to ${options.outDir}`));
  releaseLock = release;
  try {
    removeStaleTemps(options.outDir);
    let manifest = readManifest(options.outDir);
    let problems: readonly string[] = [];
    if (options.merge.length > 0) {
      const merged = mergeOutputs(options.outDir, options.merge, generator());
      manifest = merged.manifest;
      problems = merged.problems;
      for (const line of problems) log(`briefpress: ${line}`);
      log(`merged ${options.merge.length} folder${options.merge.length === 1 ? '' : 's'} into ${options.outDir}: ${manifest.briefs.length} briefs, ${merged.copied} files copied`);
    }
    if (!manifest) throw new BriefpressError(ErrorCode.output, `no readable ${path.join(options.outDir, 'manifest.json')}: build into ${options.outDir} first`);
    const file = writeCatalog(options.outDir, manifest);
    log(`wrote ${file} (${manifest.briefs.length} brief${manifest.briefs.length === 1 ? '' : 's'})`);
    // A failed brief is the build's to report (its exit code); the catalog shows it, and writing that is a success.
    return problems.length > 0 ? exitCodeFor.INVALID_INPUT : 0;
  } finally {
    release();
    releaseLock = undefined;
  }
}

let releaseLock: (() => void) | undefined;

/**
 * Ctrl-C or a CI cancel: every file is written whole (temp file + rename, all
 * synchronous, so a signal is handled between files, never inside one), so all
 * there is to undo is the lock. Exit 128 + the signal number, as shells report it.
 */
export function installSignalHandlers(): void {
  const stop = (signal: 'SIGINT' | 'SIGTERM', code: number) => () => {
    // The lock first: nothing after it (a write to a closed stderr) may keep it held.
    releaseLock?.();
    stopWorkers();
    process.stderr.write(`briefpress: ${signal}: stopped; files already written are complete, nothing half-written\n`);
    process.exit(code);
  };
  process.once('SIGINT', stop('SIGINT', 130));
  process.once('SIGTERM', stop('SIGTERM', 143));
  // Past a file-size limit (ulimit -f) the kernel sends SIGXFSZ, which would kill the
  // process mid-write; with a listener the write fails with EFBIG and is cleaned up.
  process.on('SIGXFSZ', () => {});
  ignoreClosedOutput();
}

/**
 * A reader that goes away (`npm run build:brief 2>&1 | head -1`) closes the pipe; the
 * build carries on, writes its files and its manifest and releases its lock, rather
 * than dying of an EPIPE halfway.
 */
function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
}

// `node --import tsx pipeline/run/cli.ts` also works (the tests and npm run build:brief use pipeline/launch.mjs).
if (process.argv[1]?.endsWith('/pipeline/run/cli.ts')) {
  installSignalHandlers();
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

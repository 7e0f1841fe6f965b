// Entry point of `npm run build:brief`, and of the batch's worker threads.
//
// Node 20 cannot run TypeScript, and a loader hook (tsx) costs over half a second
// per run in module resolution alone. Loading the transpiled files one by one as ES
// modules still cost a cold run some 300 ms: resolving and compiling about two
// hundred modules, ours and our dependencies', none of which V8 can cache as ES
// modules in Node 20. So the pipeline and its pure-JavaScript dependencies are
// bundled by esbuild into one CommonJS file under node_modules/.cache/briefpress/,
// made again only when a source or the locked dependencies change, and compiled
// with a V8 code cache (vm.Script cachedData) written after the first run that
// built a brief, so that it holds the functions a build calls, not just the top
// level. No type-checking here: `npm test` does that.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, threadId, Worker, workerData } from 'node:worker_threads';

const launcher = fileURLToPath(import.meta.url);
const sourceDir = path.dirname(launcher);
const projectRoot = path.join(sourceDir, '..');
const bundleDir = path.join(projectRoot, 'node_modules', '.cache', 'briefpress', 'bundle');
const bundleFile = path.join(bundleDir, 'briefpress.cjs');
/**
 * The code cache of one bundle, on one Node version. V8 rejects a cache made by another
 * V8 version or with other flags, but checks a cache against the source by its length
 * only: so the name carries the bundle's key, and a process still running an older
 * bundle writes its cache under that bundle's name, never under the new one's.
 */
const codeCacheFile = (key) => path.join(bundleDir, `briefpress-${key.slice(0, 16)}-${process.version}-${process.arch}-${isWorker ? 'worker' : optimising ? 'opt' : 'noopt'}.v8cache`);
/** The argument a batch worker is started with (pipeline/run/pool.ts runs this file as a worker thread). */
const WORKER_ARGUMENT = '--briefpress-worker';
/**
 * The argument of npm's postinstall script (package.json): make the caches a first
 * build would otherwise make in every batch worker at once (pipeline/run/prepare.ts).
 */
const PREPARE_ARGUMENT = '--briefpress-prepare';
const isPreparing = process.argv[2] === PREPARE_ARGUMENT;
/** The argument of the thread that makes the bundle for the CLI (see bundleInThread). */
const BUNDLER_ARGUMENT = '--briefpress-bundle';
const isBundler = process.argv[2] === BUNDLER_ARGUMENT;

/**
 * V8's optimising compiler (TurboFan) pays for itself in a thread that builds brief
 * after brief: a batch worker, --watch. A run of the CLI builds one brief, or hands
 * its briefs to workers, and there it cost half a second of CPU on background
 * threads for code that finished before its optimised version was ready (a cold
 * brief: 1.26 s CPU and 0.84 s wall with it, 0.78 s and 0.74 s without). So the CLI
 * runs without it, and pipeline/run/batch.ts turns it back on when one process is to
 * build several briefs itself (--jobs 1). Set before the bundle compiles, since V8
 * keys a code cache by its flags: each mode has its own cache file.
 */
const isWorker = process.argv[2] === WORKER_ARGUMENT;
const optimising = isWorker || process.argv.includes('--watch');
// The bundling thread leaves V8's flags as its CLI set them: they are the process's.
if (!optimising && !isBundler) v8.setFlagsFromString('--no-opt');
/** The V8 flags a worker sets below, which --watch takes back after a pool (see the end of this file). */
const workerFlags = [];
function setWorkerFlag(flag) {
  workerFlags.push(flag);
  if (isWorker) v8.setFlagsFromString(flag);
}
// A worker is a thread of the CLI's process (pipeline/run/pool.ts), and V8's flags are
// the process's: the CLI turned the optimising compiler off for all of it.
setWorkerFlag('--opt');
/**
 * A worker's old generation grows to at most 2.25 times what the last full
 * collection left, not V8's four: each brief promotes some 5-15 MB that dies with
 * it, on a live heap of ~35 MB, so the old space held several briefs' garbage
 * (~120 MB) before each collection. As a worker process, 100 synthetic briefs: peak
 * RSS 330 -> 280 MB at factor 3, CPU per brief +4%. As threads with a small young
 * generation (run/pool.ts), factor 2.75 rather than 3: a batch of 100 with two
 * workers 371-389 -> 356-364 MB, one worker's CPU over 60 briefs 6660 -> 6687 ms
 * (three alternating runs each). Factor 2.25 once the workers compiled less (see
 * core/totalfit.ts's atoms): 364-385 -> 330-353 MB, 5.37 -> 5.43 s (five alternating
 * runs each), spending a little of the time won on the memory target's margin;
 * factor 2.5 gave 360-374 MB. Read by V8 at each collection, so it can be set
 * here; workers have their own code cache file, as the flags differ from --watch's.
 * It is the process's flag: the CLI's thread has it too while the pool runs (under
 * --watch it takes V8's own value back after, below).
 */
setWorkerFlag('--heap-growing-percent=125');
/**
 * A worker's young generation is small (run/pool.ts), so it is collected often, and
 * each of those collections is short: on the worker's own thread it costs less than
 * handing it out to V8's background threads, which on a machine whose cores are
 * busy with the briefs wait for a core. 100 synthetic briefs, --jobs 2, with a
 * 12 MB young generation: 6.95 / 6.68 / 6.98 -> 6.53 / 6.31 / 6.39 s (alternating
 * runs, a slow hour of the machine's): as fast as with V8's own young generation and
 * parallel collections (6.82 / 6.35 / 6.51 s). The process's flag: the CLI's thread
 * has it too.
 */
setWorkerFlag('--no-parallel-scavenge');
/**
 * A function is optimised after it has run ~16 times longer than V8's default asks
 * (its interrupt budget, 67,584). With the default, a worker spent a third of its
 * first twenty briefs' CPU optimising code, and re-optimising code that deoptimised,
 * for functions that were not hot enough to repay it. One worker over 100 synthetic
 * briefs: 15.5-15.9 -> 12.9-13.1 s of CPU (steady 133 -> 118 ms a brief; budgets
 * of 2x: 13.6-13.8 s, 8x: 13.1-13.4 s, 32x: 13.4-13.6 s, 64x: 13.9-14.2 s); 100
 * briefs with --jobs 2: 9.5 -> 7.7-7.9 s. Workers only: there the cores are busy
 * with briefs, so V8's background compiles cost wall time. --watch (first saves the
 * same, later ones ~10 ms slower) and a --jobs 1 batch (less CPU, the same wall
 * time: its compiles run on the idle core) keep V8's default.
 */
const WORKER_INTERRUPT_BUDGET = 1_056_000;
setWorkerFlag(`--interrupt-budget=${WORKER_INTERRUPT_BUDGET}`);

/**
 * V8's own value of each of `flags` ("--name=value", "--name" or "--no-name"), as
 * `node --v8-options` gives it: it differs from one Node version to another. Read only
 * when needed (a --watch that ran a pool), once.
 */
let v8DefaultText;
function v8Defaults(flags) {
  v8DefaultText ??= spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout ?? '';
  return flags.flatMap((flag) => {
    const bare = flag.replace(/^--(no-)?/, '').replace(/=.*$/, '');
    const match = new RegExp(`^\\s+--${bare} [^\\n]*\\n\\s+type: \\S+\\s+default: (\\S+)`, 'm').exec(v8DefaultText);
    return match ? [match[1]] : [];
  });
}

/** The one name the bundle's dynamic imports go through; see bundle(). */
const IMPORT_FUNCTION = '__briefpressImport';

// Kept out of the bundle: native addons, subset-font (it reads its WebAssembly beside
// it), and esbuild itself.
const EXTERNAL = ['canvas', 'subset-font', 'esbuild'];

/**
 * tiny-inflate, a JavaScript inflate that fontkit's Unicode tables (unicode-properties,
 * unicode-trie) and linebreak's decompress themselves with when they load: ~45 ms of
 * every start. Node's zlib gives the same bytes in a millisecond. Same contract: fill
 * `dest`, and return it, or a copy of the part filled when the data was shorter.
 */
const NATIVE_INFLATE = `const zlib = require('node:zlib');
module.exports = function inflate(source, dest) {
  const out = zlib.inflateRawSync(source);
  dest.set(out.length > dest.length ? out.subarray(0, dest.length) : out);
  return out.length < dest.length ? dest.slice(0, out.length) : dest;
};`;
const nativeInflate = {
  name: 'native-inflate',
  setup(build) {
    build.onResolve({ filter: /^tiny-inflate$/ }, () => ({ path: 'tiny-inflate', namespace: 'briefpress' }));
    build.onLoad({ filter: /^tiny-inflate$/, namespace: 'briefpress' }, () => ({ contents: NATIVE_INFLATE, loader: 'js' }));
  },
};

/**
 * @noble/ciphers' AES, which pdfkit imports for encrypted PDFs (briefpress writes
 * none), builds its lookup tables as it loads: ~10 ms of every cold start, in V8's
 * interpreter. In the bundle it loads when pdfkit first calls it, which is never.
 */
const LAZY_AES = `let aes;
const load = () => (aes ??= require('@noble/ciphers/aes'));
exports.cbc = (...args) => load().cbc(...args);
exports.ecb = (...args) => load().ecb(...args);`;
const lazyAes = {
  name: 'lazy-aes',
  setup(build) {
    // The stand-in's own require of the module resolves as usual (undefined: esbuild's resolver), from pdfkit's folder.
    build.onResolve({ filter: /^@noble\/ciphers\/aes$/ }, (args) => (args.namespace === 'briefpress-lazy' ? undefined : { path: 'aes', namespace: 'briefpress-lazy', pluginData: args.resolveDir }));
    build.onLoad({ filter: /.*/, namespace: 'briefpress-lazy' }, (args) => ({ contents: LAZY_AES, loader: 'js', resolveDir: args.pluginData }));
  },
};

/**
 * brotli's decoder, which fontkit imports for WOFF2 fonts (the theme's are TrueType),
 * builds its 122 kB dictionary from an array literal as it loads: ~14 ms of a cold
 * start and ~1 MB of every process's heap, for a function briefpress never calls.
 * In the bundle it loads on its first call. Same contract: decompress(buffer, size).
 */
const LAZY_BROTLI = `let decompress;
module.exports = (...args) => (decompress ??= require('brotli/decompress.js'))(...args);`;
const lazyBrotli = {
  name: 'lazy-brotli',
  setup(build) {
    build.onResolve({ filter: /^brotli\/decompress\.js$/ }, (args) => (args.namespace === 'briefpress-lazy-brotli' ? undefined : { path: 'brotli', namespace: 'briefpress-lazy-brotli', pluginData: args.resolveDir }));
    build.onLoad({ filter: /.*/, namespace: 'briefpress-lazy-brotli' }, (args) => ({ contents: LAZY_BROTLI, loader: 'js', resolveDir: args.pluginData }));
  },
};

/** Every TypeScript source below the pipeline folder, as paths relative to it, in a stable order. */
function sources(dir = sourceDir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sources(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.relative(sourceDir, full)] : [];
    });
}

/**
 * What the bundle is made of: this launcher, every source and the locked dependency
 * tree. A content hash, not modification times: switching branches can make a
 * source older than the bundle made from its other version.
 */
function bundleKey() {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(launcher));
  for (const file of sources()) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(sourceDir, file)));
  for (const lock of ['package-lock.json', 'package.json']) {
    try {
      hash.update(`\0${lock}\0`).update(fs.readFileSync(path.join(projectRoot, lock)));
    } catch {
      // a checkout without a lock file: package.json alone names the dependencies
    }
  }
  return hash.digest('hex');
}

/** Writes through a temporary name: a process that reads the file meanwhile sees the old one or the new one, never half of one. */
function writeAtomically(file, data) {
  // The thread's id too: the batch's workers are threads of one process, and each writes its code cache.
  const temp = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** The bundle's first and last lines: a file cut short (a full disk, a copy stopped halfway) lacks the last. */
const stampLine = (key) => `// briefpress bundle ${key}\n`;
const trailer = (key) => `\n// end of briefpress bundle ${key}\n`;

/**
 * The bundle in ASCII, so that V8 holds it as a one-byte string (a single character
 * beyond ASCII makes the whole source two bytes a character). esbuild escapes strings
 * but leaves regular expressions as written, so every other character is escaped
 * here, as UTF-16 units: the same in a string, and in a regular expression with or
 * without the u flag. A character escaped by a backslash already loses that backslash.
 */
function asciiOnly(code) {
  return code.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, unit) => `${slashes.length % 2 === 1 ? slashes.slice(1) : slashes}\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function bundle(key) {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    stdin: {
      // The worker's module (and with it the whole pipeline) loads only in a worker:
      // the CLI loads each stage when it needs it, and a run that reuses every brief
      // needs none of them.
      contents: [
        "export { main, installSignalHandlers } from './run/cli.ts';",
        "export { setWorkerEntry } from './run/pool.ts';",
        "export { briefsBuilt } from './run/built.ts';",
        "export const prepareCaches = () => import('./run/prepare.ts').then((prepare) => prepare.prepareCaches());",
        "export const startWorker = (hooks) => import('./run/worker.ts').then((worker) => worker.startWorker(hooks));",
      ].join('\n'),
      resolveDir: sourceDir,
      sourcefile: 'launch-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    plugins: [nativeInflate, lazyAes, lazyBrotli],
    // The sources find the project and their packages from their own address; in
    // the bundle that is the bundle's, which lies inside the project too.
    define: { 'import.meta.url': '__briefpressModuleUrl' },
    banner: { js: `${stampLine(key)}const __briefpressModuleUrl = require('node:url').pathToFileURL(__filename).href;` },
    // No comments or indentation: less source for V8 to read and hash on every start.
    // Names stay, for stack traces that say where.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  // esbuild's service process would otherwise live as long as this one, beside its workers.
  await esbuild.stop();
  // A dynamic import() compiled by vm.Script has no module loader to call (Node 20
  // has no stable hook for one), so each import() of an external package goes
  // through a function this launcher passes in, whose own import() works.
  const code = asciiOnly(result.outputFiles[0].text.replace(/(?<![\w$.`])import\(/g, `${IMPORT_FUNCTION}(`)) + trailer(key);
  try {
    fs.mkdirSync(bundleDir, { recursive: true });
    // Code caches of the bundle this one replaces are useless now.
    for (const name of fs.readdirSync(bundleDir)) if (name.endsWith('.v8cache')) fs.rmSync(path.join(bundleDir, name), { force: true });
    writeAtomically(bundleFile, code);
  } catch {
    // A read-only install: this run uses the bundle it made in memory, and the next makes it again.
  }
  return code;
}

function readBundle() {
  try {
    // ASCII (see asciiOnly), so read as Latin-1: no UTF-8 decoding.
    return fs.readFileSync(bundleFile, 'latin1');
  } catch {
    return '';
  }
}

/**
 * The bundle, made in a thread of its own that hands back the code and ends. Made in
 * the CLI's thread, its intermediate copies (esbuild's output, the rewritten and
 * escaped texts: ~30 MB) stayed in a heap that seldom collects, for the whole run:
 * the first batch of 100 briefs after a checkout or an edit peaked at 407-413 MB,
 * the next at 346-349 MB. The thread's start costs the runs that bundle ~70 ms.
 */
function bundleInThread(key) {
  return new Promise((resolve, reject) => {
    const thread = new Worker(launcher, { argv: [BUNDLER_ARGUMENT], workerData: { key } });
    thread.once('message', resolve);
    thread.once('error', reject);
    // After the message this changes nothing: a promise settles once.
    thread.once('exit', (exitCode) => reject(new Error(`the bundling thread stopped (exit ${exitCode}) without a bundle`)));
  });
}

async function loadBundle() {
  const key = bundleKey();
  // Read whole, then checked: another process may replace the file at any moment.
  let code = readBundle();
  // A batch worker bundles itself only when the bundle it finds is not its sources' (a read-only install,
  // or sources changed since the CLI started); its heap lives on for briefs anyway.
  if (!code.startsWith(stampLine(key)) || !code.endsWith(trailer(key))) code = isWorker ? await bundle(key) : await bundleInThread(key);
  let cachedData;
  try {
    cachedData = fs.readFileSync(codeCacheFile(key));
  } catch {
    // no code cache yet: compile, and write one after this run's first brief
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, ${IMPORT_FUNCTION}) {${code}\n})`, {
    filename: bundleFile,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} };
  // This file lies in the same project as the bundle, so a package resolves from here as it would from there.
  script.runInThisContext()(module.exports, createRequire(bundleFile), module, bundleFile, bundleDir, (specifier) => import(specifier));
  const needsCache = !cachedData || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    /** Writes the code cache, when it had none that V8 took; called once a brief is built, so that it holds the functions a build compiled, not only the top level. */
    saveCodeCache() {
      if (!needsCache) return;
      try {
        writeAtomically(codeCacheFile(key), script.createCachedData());
      } catch {
        // a read-only install: every run compiles, as before
      }
    },
  };
}

if (isBundler) {
  parentPort.postMessage(await bundle(workerData.key));
  process.exit(0);
} else if (isPreparing) {
  // An install never fails for it: what it could not make, the first build makes.
  const notPrepared = (error) => {
    // The first two lines: an esbuild failure names its file, line and column on the second.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n').filter(Boolean).slice(0, 2).join(' ');
    process.stderr.write(`briefpress: the build's caches were not prepared (${reason}); the first build will make them\n`);
    process.exit(0);
  };
  process.on('uncaughtException', notPrepared);
  process.on('unhandledRejection', notPrepared);
  try {
    await (await loadBundle()).exports.prepareCaches();
  } catch (error) {
    notPrepared(error);
  }
} else if (isWorker) {
  const { exports: pipeline, saveCodeCache } = await loadBundle();
  await pipeline.startWorker({ onFirstJob: saveCodeCache });
} else {
  const { exports: pipeline, saveCodeCache } = await loadBundle();
  // The workers' flags (above) are the process's. A batch run ends with its pool, but
  // --watch goes on to rebuild a brief in this thread: when a pool is done there, it
  // takes V8's own values back.
  const afterWorkers = process.argv.includes('--watch') ? () => v8Defaults(workerFlags).forEach((flag) => v8.setFlagsFromString(flag)) : undefined;
  pipeline.setWorkerEntry({ file: launcher, args: [WORKER_ARGUMENT], ...(afterWorkers ? { afterWorkers } : {}) });
  pipeline.installSignalHandlers();
  process.exitCode = await pipeline.main(process.argv.slice(2));
  // Only after a run that built one brief here: one that built none compiled little,
  // and one that built several turned the optimising compiler back on, which changes
  // the flags this mode's cache is keyed by.
  if (pipeline.briefsBuilt() === 1) saveCodeCache();
}

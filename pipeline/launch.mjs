// Entry point of `npm run build:brief`. Node 20 cannot run TypeScript, and a
// loader hook (tsx) costs over half a second per run in module resolution alone.
// So each pipeline/**/*.ts file is transpiled by esbuild once, when its content changed, into
// the same place under node_modules/.cache/briefpress/, and the build then runs as plain JavaScript.
// No type-checking here: `npm test` does that.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const sourceDir = path.dirname(fileURLToPath(import.meta.url));
const cacheDir = path.join(sourceDir, '..', 'node_modules', '.cache', 'briefpress', 'pipeline');

function rewriteImports(code) {
  // Sources import each other as './x.ts'; the transpiled files are './x.js'.
  return code.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)\.ts(['"])/g, '$1$2.js$3');
}

function readHead(file, length) {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(length);
      return buffer.toString('utf8', 0, fs.readSync(fd, buffer, 0, length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** Every TypeScript source below the pipeline folder, as paths relative to it. */
function sources(dir = sourceDir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.relative(sourceDir, full)] : [];
  });
}

async function transpileChanged() {
  let esbuild;
  for (const file of sources()) {
    const source = path.join(sourceDir, file);
    const target = path.join(cacheDir, file.replace(/\.ts$/, '.js'));
    const text = fs.readFileSync(source, 'utf8');
    // A content hash, not a modification time: switching branches can make a source older than its cached copy.
    const stamp = `// briefpress source ${crypto.createHash('sha1').update(text).digest('hex')}\n`;
    if (readHead(target, stamp.length) === stamp) continue;
    esbuild ??= await import('esbuild');
    const { code } = esbuild.transformSync(text, {
      loader: 'ts',
      format: 'esm',
      target: 'node20',
      sourcefile: source,
      sourcemap: 'inline',
    });
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temp, stamp + rewriteImports(code));
    fs.renameSync(temp, target);
  }
}

await transpileChanged();
const { main, installSignalHandlers } = await import(pathToFileURL(path.join(cacheDir, 'run', 'cli.js')).href);
installSignalHandlers();
process.exitCode = await main(process.argv.slice(2));

// Stage 6: the only code that writes into the output folder. Each file is
// written to a temporary file in the same folder, flushed to disk and renamed
// over the old one, so a reader (or a crash) sees either the previous file or
// the new one, never half of one. The manifest is written the same way, last.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';

export type Format = 'pdf' | 'pptx';

export interface Artifact {
  readonly format: Format;
  readonly bytes: Buffer;
  /** Pages of a PDF or slides of a deck. */
  readonly count: number;
}

export interface ManifestArtifact {
  readonly path: string;
  readonly format: Format;
  readonly bytes: number;
  readonly sha256: string;
  readonly pages?: number;
  readonly slides?: number;
}

export interface ManifestEntry {
  readonly id: string;
  readonly version?: number;
  readonly updated?: string;
  /** built: written by this run; reused: inputs unchanged, files kept from an earlier run; failed: not built. */
  readonly status: 'built' | 'reused' | 'failed';
  /** Hash of everything the artifacts depend on (pipeline/cache.ts). */
  readonly inputHash?: string;
  readonly artifacts: readonly ManifestArtifact[];
  readonly errors?: readonly string[];
  /** How full each column of each body page is (0–1), page by page. */
  readonly columnFill?: ReadonlyArray<readonly number[]>;
}

export interface Manifest {
  readonly generator: string;
  readonly briefs: readonly ManifestEntry[];
}

export const MANIFEST_NAME = 'manifest.json';

export function ensureOutputDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new BriefpressError(ErrorCode.output, `cannot create the output folder ${dir}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  }
  if (!fs.statSync(dir).isDirectory()) throw new BriefpressError(ErrorCode.output, `the output path ${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (cause) {
    throw new BriefpressError(ErrorCode.output, `the output folder ${dir} is not writable`, { cause });
  }
}

/** Writes `bytes` to `file` atomically; on any failure the temp file is removed and the old file is untouched. */
export function writeAtomic(file: string, bytes: Uint8Array | string): void {
  writeAllAtomic([{ file, bytes }]);
}

/**
 * Writes several files so that either all are replaced or none is: every temp
 * file is written and flushed first, and only then renamed over its target.
 */
export function writeAllAtomic(files: ReadonlyArray<{ file: string; bytes: Uint8Array | string }>): void {
  // A rename can still fail after another succeeded; refuse the known cause (a folder
  // where a file goes) before any file is replaced.
  for (const { file } of files) {
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
      throw new BriefpressError(ErrorCode.output, `cannot write ${file}: a folder of that name is in the way; the previous files are unchanged`);
    }
  }
  const staged: Array<{ temp: string; file: string }> = [];
  try {
    for (const { file, bytes } of files) staged.push({ temp: stage(file, bytes), file });
  } catch (cause) {
    for (const { temp } of staged) fs.rmSync(temp, { force: true });
    throw cause;
  }
  const replaced: string[] = [];
  for (const { temp, file } of staged) {
    try {
      fs.renameSync(temp, file);
      replaced.push(file);
    } catch (cause) {
      for (const s of staged) fs.rmSync(s.temp, { force: true });
      const error = outputError(file, cause);
      throw replaced.length === 0 ? error : new BriefpressError(ErrorCode.output, `${error.message.replace(/; the previous files are unchanged$/, '')}; already replaced: ${replaced.join(', ')}`, { cause });
    }
  }
  for (const dir of new Set(staged.map((s) => path.dirname(s.file)))) syncDir(dir);
}

function stage(file: string, bytes: Uint8Array | string): string {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    return temp;
  } catch (cause) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw outputError(file, cause);
  }
}

function outputError(file: string, cause: unknown): BriefpressError {
  const code = (cause as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EFBIG'
        ? 'the file size limit was reached'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : (code ?? String(cause));
  return new BriefpressError(ErrorCode.output, `cannot write ${file}: ${reason}; the previous files are unchanged`, { cause });
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems refuse to fsync a directory; the rename is still atomic there.
  }
}

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function artifactFileName(id: string, format: Format): string {
  return `${id}.${format}`;
}

/** Writes a brief's artifacts, all or none, and returns their manifest records. */
export function publishArtifacts(outDir: string, id: string, artifacts: readonly Artifact[]): ManifestArtifact[] {
  writeAllAtomic(artifacts.map((a) => ({ file: path.join(outDir, artifactFileName(id, a.format)), bytes: a.bytes })));
  return artifacts.map((artifact) => {
    const name = artifactFileName(id, artifact.format);
    return {
      path: name,
      format: artifact.format,
      bytes: artifact.bytes.length,
      sha256: sha256(artifact.bytes),
      ...(artifact.format === 'pdf' ? { pages: artifact.count } : { slides: artifact.count }),
    };
  });
}

export function readManifest(outDir: string): Manifest | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST_NAME), 'utf8')) as Manifest;
    return Array.isArray(parsed.briefs) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Merges this run's entries into the existing manifest (a build of one brief keeps the others' records). */
export function writeManifest(outDir: string, generator: string, entries: readonly ManifestEntry[]): Manifest {
  const previous = readManifest(outDir)?.briefs ?? [];
  const byId = new Map(previous.map((e) => [e.id, e]));
  for (const entry of entries) byId.set(entry.id, entry);
  const manifest: Manifest = { generator, briefs: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)) };
  writeAtomic(path.join(outDir, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

export const LOCK_NAME = '.briefpress.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the output folder's lock so that two builds never write into one folder
 * at once: waits up to `timeoutMs` for a running build to finish, takes over a
 * lock whose process is gone, and returns the function that releases it.
 */
export async function lockOutputDir(outDir: string, timeoutMs: number, onWait: (holder: number) => void): Promise<() => void> {
  const file = path.join(outDir, LOCK_NAME);
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    try {
      // Written whole under a private name, then linked into place: a reader never sees an empty lock.
      const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
      fs.writeFileSync(temp, `${process.pid}\n`, { mode: 0o644 });
      try {
        fs.linkSync(temp, file);
      } finally {
        fs.rmSync(temp, { force: true });
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new BriefpressError(ErrorCode.output, `cannot lock the output folder ${outDir}: ${(error as NodeJS.ErrnoException).code ?? error}`, { cause: error });
      }
    }
    let content: string;
    try {
      content = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // released between our attempt and this read: try again
    }
    const holder = Number.parseInt(content.trim(), 10);
    if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
      fs.rmSync(file, { force: true }); // left by a build that is gone
      continue;
    }
    if (Date.now() >= deadline) {
      throw new BriefpressError(
        ErrorCode.output,
        `another build (process ${holder}) is writing to ${outDir} (${path.join(outDir, LOCK_NAME)}); try again when it has finished`,
      );
    }
    if (!told) onWait(holder);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Stage 6, writing: the only code that writes into the output folder. Each file
// is written to a temporary file in the same folder, flushed to disk and renamed
// over the old one, so a reader (or a crash) sees either the previous file or the
// new one, never half of one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';

/**
 * Why a folder cannot be written, in words: a mkdir under a read-only mount reports
 * ENOENT, so the nearest folder that exists is asked as well.
 */
function unwritableReason(dir: string, cause: unknown): string {
  let code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    let existing = path.resolve(dir);
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
    try {
      fs.accessSync(existing, fs.constants.W_OK);
    } catch (error) {
      code = (error as NodeJS.ErrnoException).code;
    }
    dir = existing;
  }
  return reasonIn(dir, code ?? String(cause));
}

/** An error code met in the folder `dir`, in words. */
export function reasonIn(dir: string, code: string): string {
  if (code === 'EACCES' || code === 'EPERM') return `permission denied in ${dir}`;
  return `${dir} ${folderProblem(code)}`;
}

/** What an error code says of a folder, as the rest of a sentence that names it. */
export function folderProblem(code: string): string {
  if (code === 'EROFS') return 'is on a read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return 'is not writable: permission denied';
  // /proc and the like exist and look writable to root, yet refuse every new file.
  if (code === 'ENOENT') return 'does not accept new files (a virtual file system such as /proc?)';
  return `cannot be written: ${code}`;
}

/**
 * Creates the output folder and its missing parents one by one. Not mkdir's
 * recursive mode: under /proc it loops for ever (mkdir says ENOENT, the parent
 * exists, try again), with no await for a signal to get in.
 */
export function ensureOutputDir(dir: string): void {
  // A path under a file (out.txt/sub) says ENOTDIR: it does not exist either.
  const statOf = (p: string): fs.Stats | undefined => {
    try {
      return fs.statSync(p, { throwIfNoEntry: false });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw new BriefpressError(ErrorCode.output, `cannot create the output folder ${dir}: ${unwritableReason(p, error)}`, { cause: error });
    }
  };
  const resolved = path.resolve(dir);
  const missing: string[] = [];
  let existing = resolved;
  let stat = statOf(existing);
  while (!stat && path.dirname(existing) !== existing) {
    missing.unshift(existing);
    existing = path.dirname(existing);
    stat = statOf(existing);
  }
  if (stat && !stat.isDirectory()) {
    throw new BriefpressError(ErrorCode.output, `the output path ${dir} is not a folder${existing === resolved ? '' : `: ${existing} is a file`}`);
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) continue; // made by another build meanwhile
      throw new BriefpressError(ErrorCode.output, `cannot create the output folder ${dir}: ${unwritableReason(folder, cause)}`, { cause });
    }
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (cause) {
    throw new BriefpressError(ErrorCode.output, `the output folder ${dir} is not writable: ${unwritableReason(dir, cause)}`, { cause });
  }
}

/** Names of the temp files stage() makes: `.<name>.<pid>.<8 hex>.tmp`. */
const TEMP_PATTERN = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/**
 * Removes the temp files a build killed mid-publish (kill -9) left. Only the holder
 * of the folder's lock stages files, so when the caller holds it, any such file is
 * a leftover.
 */
export function removeStaleTemps(dir: string): void {
  for (const name of fs.readdirSync(dir)) if (TEMP_PATTERN.test(name)) fs.rmSync(path.join(dir, name), { force: true });
}

/** Writes `bytes` to `file` atomically; on any failure the temp file is removed and the old file is untouched. */
export function writeAtomic(file: string, bytes: Uint8Array | string): void {
  writeAllAtomic([{ file, bytes }]);
}

/**
 * writeAtomic, unless `file` already holds exactly `bytes`: then there is nothing
 * to replace and nothing to flush, since every file written here was flushed
 * before it was renamed into place. Each flush waits for the disk (two of them,
 * the file's and its folder's, on every write): the manifest that publishBrief
 * has just written with a single brief's record, and a catalog that did not
 * change, would cost them again for the same bytes. Returns whether it wrote.
 */
export function writeAtomicIfChanged(file: string, bytes: Uint8Array | string): boolean {
  let current: Buffer;
  try {
    current = fs.readFileSync(file);
  } catch {
    writeAtomic(file, bytes);
    return true;
  }
  if (current.equals(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)) return false;
  writeAtomic(file, bytes);
  return true;
}

export type Rename = (from: string, to: string) => void;

/**
 * Writes several files so that either all are replaced or none is: every temp
 * file is written and flushed first; then each existing target is hard-linked to a
 * backup name beside it, and only then are the temps renamed over the targets. A
 * rename can still fail after others succeeded (an immutable file, an I/O error);
 * the targets already replaced are then put back from their backups (a target that
 * did not exist is removed), so the folder is as before and the manifest, renamed
 * last, still matches it.
 */
export function writeAllAtomic(
  files: ReadonlyArray<{ file: string; bytes: Uint8Array | string }>,
  /** The rename step; tests replace it to make a rename fail after others succeeded. */
  rename: Rename = fs.renameSync,
): void {
  // Refuse the known cause of a failed rename (a folder where a file goes) before
  // anything is staged: the message can then name it.
  for (const { file } of files) {
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
      throw new BriefpressError(ErrorCode.output, `cannot write ${file}: a folder of that name is in the way; the previous files are unchanged`);
    }
  }
  const staged: Array<{ temp: string; file: string; backup?: string }> = [];
  const cleanUp = () => {
    for (const { temp, backup } of staged) {
      fs.rmSync(temp, { force: true });
      if (backup) fs.rmSync(backup, { force: true });
    }
  };
  try {
    for (const { file, bytes } of files) staged.push({ temp: stage(file, bytes), file });
    // One file needs no backup: its single rename either happens or does not.
    if (staged.length > 1) for (const entry of staged) entry.backup = backup(entry.file);
  } catch (cause) {
    cleanUp();
    throw cause;
  }
  const replaced: Array<{ file: string; backup?: string }> = [];
  for (const { temp, file, backup } of staged) {
    try {
      rename(temp, file);
      replaced.push({ file, ...(backup ? { backup } : {}) });
    } catch (cause) {
      const notRestored = restore(replaced, rename);
      cleanUp();
      const error = outputError(file, cause);
      if (replaced.length === 0) throw error;
      const reason = error.message.replace(/; the previous files are unchanged$/, '');
      throw new BriefpressError(
        ErrorCode.output,
        notRestored.length === 0 ? `${reason}; nothing replaced, the previous files are unchanged` : `${reason}; could not put back the previous ${notRestored.join(', ')}`,
        { cause },
      );
    }
  }
  for (const dir of new Set(staged.map((s) => path.dirname(s.file)))) syncDir(dir);
  for (const { backup } of staged) if (backup) fs.rmSync(backup, { force: true });
}

/**
 * Keeps the current `file` under a backup name in its folder (undefined when there
 * is no such file). A hard link costs nothing; where links are refused (an
 * immutable file, a file system without them) the file is copied.
 */
function backup(file: string): string | undefined {
  if (!fs.lstatSync(file, { throwIfNoEntry: false })) return undefined;
  // Named like a temp file, so that removeStaleTemps clears one a killed build left.
  const name = path.join(path.dirname(file), `.${path.basename(file)}.bak.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.linkSync(file, name);
  } catch {
    try {
      fs.copyFileSync(file, name, fs.constants.COPYFILE_EXCL);
    } catch (cause) {
      fs.rmSync(name, { force: true });
      throw outputError(file, cause);
    }
  }
  return name;
}

/** Undoes the renames of `replaced`, last first; returns the files it could not put back. */
function restore(replaced: ReadonlyArray<{ file: string; backup?: string }>, rename: Rename): string[] {
  const failed: string[] = [];
  for (const { file, backup } of [...replaced].reverse()) {
    try {
      if (backup) rename(backup, file);
      else fs.rmSync(file, { force: true });
    } catch {
      failed.push(file);
    }
  }
  return failed;
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


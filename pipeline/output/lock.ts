// Two builds never write into one output folder at once: the second waits for the
// first, and a lock left by a process that is gone is taken over.
//
// Every lock file is created with link() (fails if the name exists), so only one
// process can create it. A stale lock is only ever removed under a guard file named
// after that lock's content (its random token), itself created with link(): of many
// processes that find the same stale lock, exactly one removes it, and only after
// re-reading that it still holds the dead holder's token. A lock records the
// holder's process start time and boot id besides its PID, so a PID reused by an
// unrelated process (PID 1 in a container, a recycled PID) does not keep it alive.
//
// Lock files are read without following links, without blocking and up to a few
// KiB only: a folder, a link (dangling, or to /dev/zero) or a FIFO at the lock's
// path is refused by name, never spun on, read without end or waited on in open().
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import { folderProblem } from './atomic.ts';

export const LOCK_NAME = '.briefpress.lock';

/** Who holds a lock: enough to tell the holder from a later process given its PID. */
export interface ProcessIdentity {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks after boot); absent where there is no /proc. */
  readonly start?: string;
  readonly boot?: string;
}

function readOr(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const bootId = readOr('/proc/sys/kernel/random/boot_id')?.trim();

function startTime(pid: number): string | undefined {
  const stat = readOr(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

export function processIdentity(pid: number): ProcessIdentity {
  const start = startTime(pid);
  return { pid, ...(start ? { start } : {}), ...(bootId ? { boot: bootId } : {}) };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Holder = ProcessIdentity & { readonly token?: string };

function parseHolder(content: string): Holder | undefined {
  const text = content.trim();
  // A lock of an earlier version holds the PID alone.
  if (/^\d+$/.test(text)) return { pid: Number(text) };
  try {
    const parsed = JSON.parse(text) as Holder;
    return Number.isInteger(parsed.pid) && parsed.pid > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote `content` (at `written`, ms) is still running. */
function holderAlive(holder: Holder | undefined, written: number): boolean {
  if (!holder || !pidExists(holder.pid)) return false;
  if (holder.boot && bootId && holder.boot !== bootId) return false;
  const now = startTime(holder.pid);
  if (holder.start) return now === undefined || now === holder.start;
  // A PID-only lock: a process that started after the lock was written is not its writer.
  const uptime = Number(readOr('/proc/uptime')?.split(' ')[0]);
  const ticks = Number(now);
  if (!Number.isFinite(uptime) || !Number.isFinite(ticks)) return true;
  const startedAt = Date.now() - uptime * 1000 + (ticks / 100) * 1000; // USER_HZ is 100 on Linux
  return startedAt <= written + 1000;
}

/** A lock file holds one line of JSON; anything larger was not written by a build. */
const LOCK_MAX_BYTES = 4096;

const kindOf = (stat: fs.Stats): string =>
  stat.isDirectory()
    ? 'a folder'
    : stat.isSymbolicLink()
      ? 'a symbolic link'
      : stat.isFIFO()
        ? 'a FIFO (named pipe)'
        : stat.isSocket()
          ? 'a socket'
          : stat.isCharacterDevice() || stat.isBlockDevice()
            ? 'a device'
            : 'not a regular file';

function notALockFile(file: string, what: string): BriefpressError {
  return new BriefpressError(ErrorCode.output, `${file} is ${what}, not a lock file: remove it`);
}

/**
 * The content of the lock file `file`, or undefined when there is none. Throws an
 * output error when something else stands there: lstat first, then open with
 * O_NOFOLLOW | O_NONBLOCK (a link or FIFO swapped in after the lstat fails the open
 * or is caught by fstat) and read at most LOCK_MAX_BYTES.
 */
function readLock(file: string): string | undefined {
  const stat = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isFile()) throw notALockFile(file, kindOf(stat));
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined; // released between the lstat and the open
    if (code === 'ELOOP') throw notALockFile(file, 'a symbolic link');
    throw new BriefpressError(ErrorCode.output, `cannot read the lock file ${file}: ${code ?? String(error)}`, { cause: error });
  }
  try {
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) throw notALockFile(file, kindOf(opened));
    if (opened.size > LOCK_MAX_BYTES) throw notALockFile(file, `${opened.size} bytes`);
    const buffer = Buffer.alloc(LOCK_MAX_BYTES + 1);
    const length = fs.readSync(fd, buffer, 0, buffer.length, 0);
    if (length > LOCK_MAX_BYTES) throw notALockFile(file, `more than ${LOCK_MAX_BYTES} bytes`);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** readLock for the paths that must not throw (release on exit): anything odd is not ours. */
function readLockOr(file: string): string | undefined {
  try {
    return readLock(file);
  } catch {
    return undefined;
  }
}

/** Creates `file` holding `content` unless it exists; never shows a reader a half-written lock. */
function createExclusive(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temp, content, { mode: 0o644 });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function newRecord(): { token: string; content: string } {
  const token = crypto.randomBytes(12).toString('hex');
  return { token, content: JSON.stringify({ ...processIdentity(process.pid), token }) + '\n' };
}

/** Removes `file` only while it still holds `content`. */
function removeIfStill(file: string, content: string): void {
  if (readLockOr(file) === content) fs.rmSync(file, { force: true });
}

/**
 * Removes the lock `file` that held `content` (a dead holder's), unless another
 * process does so first or the lock has changed meanwhile. `depth` bounds the guards
 * of guards needed only when a process died while removing a stale lock itself.
 */
function removeStale(file: string, content: string, depth = 0): void {
  if (depth > 4) return;
  const guard = `${file}.${crypto.createHash('sha256').update(content).digest('hex').slice(0, 16)}.takeover`;
  const mine = newRecord();
  if (!createExclusive(guard, mine.content)) {
    const other = readLock(guard);
    if (other === undefined) return; // finished meanwhile: look again
    const written = fs.statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (!holderAlive(parseHolder(other), written)) removeStale(guard, other, depth + 1);
    return;
  }
  try {
    removeIfStill(file, content);
  } finally {
    removeIfStill(guard, mine.content);
  }
}

/**
 * Removes the lock's own leftovers (a temp lock or a takeover guard of a process
 * killed while taking the lock). Processes waiting for the lock make them too, for
 * a moment: only those older than a minute are removed.
 */
export function removeStaleLockFiles(outDir: string): void {
  const pattern = new RegExp(`^${LOCK_NAME.replace(/\./g, '\\.')}\\.(\\d+\\.[0-9a-f]{8}|[0-9a-f]{16}\\.takeover)$`);
  for (const name of fs.readdirSync(outDir)) {
    if (!pattern.test(name)) continue;
    const file = path.join(outDir, name);
    if ((fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity) < Date.now() - 60_000) fs.rmSync(file, { force: true });
  }
}

/** The lock held by this process. */
export interface OutputLock {
  /** Removes the lock if it is still this process's own; safe to call twice. */
  readonly release: () => void;
  /** Whether the lock file still holds this process's token. */
  readonly held: () => boolean;
}

/**
 * Takes the output folder's lock so that two builds never write into one folder
 * at once: waits up to `timeoutMs` for a running build to finish, takes over a
 * lock whose process is gone, and returns the function that releases it. The
 * lock is also released when the process exits by any path but SIGKILL.
 */
export async function lockOutputDir(outDir: string, timeoutMs: number, onWait: (holder: number) => void): Promise<() => void> {
  return (await takeOutputLock(outDir, timeoutMs, onWait)).release;
}

export async function takeOutputLock(outDir: string, timeoutMs: number, onWait: (holder: number) => void): Promise<OutputLock> {
  const file = path.join(outDir, LOCK_NAME);
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (let attempt = 0; ; attempt++) {
    // Every attempt after the first waits on the event loop, whatever the path below
    // took: a loop that never yields would let neither the deadline nor SIGINT/SIGTERM in.
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * attempt) * (0.5 + Math.random() * 0.5)));
    const mine = newRecord();
    let created: boolean;
    try {
      created = createExclusive(file, mine.content);
    } catch (error) {
      // The first file made in the folder: where a folder that passed the checks still refuses files (/proc, /sys).
      const code = (error as NodeJS.ErrnoException).code;
      throw new BriefpressError(ErrorCode.output, `the output folder ${outDir} ${code ? folderProblem(code) : `cannot be locked: ${String(error)}`}`, { cause: error });
    }
    if (created) {
      const held = () => readLockOr(file) === mine.content;
      const release = () => {
        process.removeListener('exit', release);
        if (held()) fs.rmSync(file, { force: true });
      };
      // Registered in the same synchronous step as the lock is taken: no exit path (a
      // signal, process.exit, an uncaught error) can leave it behind.
      process.on('exit', release);
      return { release, held };
    }
    const content = readLock(file);
    let holder: Holder | undefined;
    if (content !== undefined) {
      holder = parseHolder(content);
      const written = fs.lstatSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (!holderAlive(holder, written)) {
        removeStale(file, content);
        continue;
      }
      if (!told) onWait(holder!.pid);
      told = true;
    }
    if (Date.now() >= deadline) {
      throw new BriefpressError(ErrorCode.output, `another build${holder ? ` (process ${holder.pid})` : ''} is writing to ${outDir} (${file}); try again when it has finished`);
    }
  }
}

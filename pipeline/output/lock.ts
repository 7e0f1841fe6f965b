// Two builds never write into one output folder at once: the second waits for the
// first, and a lock left by a process that is gone is taken over.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';

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

// The build's own cache under node_modules/.cache/briefpress/ (the parsed theme, the
// fonts' shape tables, the web edition's faces): a file there is written whole or not
// at all, and one that cannot be written is never an error, since the build only
// takes longer without it. Keys name the versions of the packages that make a file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `data` through a temporary name of its own (another process, or another
 * thread of this one, may write the same file), so a reader sees the old file or the
 * new one. Returns whether it was written; a read-only install leaves nothing behind.
 */
export function writeCacheFile(file: string, data: string | Uint8Array): boolean {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
    return true;
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // Nothing was written.
    }
    return false;
  }
}

/**
 * The version of package `name`, from the nearest package.json above `file` (a file
 * of the package, or its package.json) that names it: a package may not export its
 * package.json, and one may hold others without a name (dist/package.json).
 */
export function packageVersion(file: string, name: string): string | undefined {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const json = path.join(dir, 'package.json');
    if (!fs.existsSync(json)) continue;
    const read = JSON.parse(fs.readFileSync(json, 'utf8')) as { name?: string; version?: string };
    if (read.name === name) return read.version;
  }
  return undefined;
}

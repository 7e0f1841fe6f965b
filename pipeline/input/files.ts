// Reading a brief's files safely: only regular files, opened without following a
// last link and without blocking (a FIFO would wait for a writer forever, and a
// synchronous wait starves the signal handlers), checked on the opened descriptor
// (what was checked is what is read), and read with a byte cap that holds whatever
// the size on disk says (/dev/zero says 0). The text is UTF-8 or refused.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { DiagnosticCode } from '../core/diagnostics.ts';

export type ReadOutcome =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly code: DiagnosticCode; readonly message: string; readonly hint?: string };

/** What a non-regular file is, in words a writer knows. */
export function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

export const notRegularHint = 'replace it with a regular file: briefpress reads only regular files';

// O_NONBLOCK and O_NOFOLLOW are absent on Windows, where FIFOs and such links do not arise the same way.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);
const CHUNK = 64 * 1024;

/** The bytes of the regular file `file` (named `name` in messages), at most `cap` of them. */
export function readRegularFile(file: string, name: string, cap: number): ReadOutcome {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, code: DiagnosticCode.fileNotFound, message: `file "${name}" not found` };
    // O_NOFOLLOW on a link: the file was replaced by a link after it was resolved.
    if (code === 'ELOOP') return { ok: false, code: DiagnosticCode.notAFile, message: `${name} is a symbolic link, not a regular file`, hint: notRegularHint };
    if (code === 'EACCES' || code === 'EPERM') return { ok: false, code: DiagnosticCode.unreadable, message: `${name} cannot be read (permission denied)`, hint: 'make it readable' };
    return { ok: false, code: DiagnosticCode.unreadable, message: `${name} cannot be read (${code ?? (error as Error).message})` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, code: DiagnosticCode.notAFile, message: `${name} is ${kindOf(stat)}, not a regular file`, hint: notRegularHint };
    if (stat.size > cap) return tooLarge(stat.size, cap);
    const chunks: Buffer[] = [];
    let total = 0;
    // Read past the size stat gave: the file may grow meanwhile, and the cap holds regardless.
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = fs.readSync(fd, chunk, 0, CHUNK, null);
      if (n === 0) break;
      total += n;
      if (total > cap) return tooLarge(total, cap, true);
      chunks.push(chunk.subarray(0, n));
    }
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { ok: false, code: DiagnosticCode.notAFile, message: `${name} is a folder, not a regular file`, hint: notRegularHint };
    return { ok: false, code: DiagnosticCode.unreadable, message: `${name} cannot be read (${code ?? (error as Error).message})` };
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(size: number, cap: number, growing = false): ReadOutcome {
  return { ok: false, code: DiagnosticCode.fileTooLarge, message: growing ? `file is over ${cap} bytes (read so far: ${size}); the limit is ${cap}` : `file is ${size} bytes; the limit is ${cap}` };
}

export type Decoded = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly line: number; readonly column: number; readonly message: string; readonly hint: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text of `bytes`, or where its first byte that is not UTF-8 is (line and column, 1-based, in characters). */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    const column = [...utf8.decode(bytes.subarray(lineStart, at))].length + 1;
    const byte = bytes[at]!.toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      line,
      column,
      message: `byte 0x${byte} is not UTF-8: the file is in another encoding (Latin-1 or Windows-1252, perhaps)`,
      hint: 'save it as UTF-8',
    };
  }
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence; -1 when there is none. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    const second = b[i + 1]!;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((c === 0xe0 && second < 0xa0) || (c === 0xed && second > 0x9f) || (c === 0xf0 && second < 0x90) || (c === 0xf4 && second > 0x8f)) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * What a build read, by the path the brief names each file with: the SHA-256 of
 * its bytes, or `missing` for a file it looked for and did not find, or
 * `unreadable`. The cache key is made from this record (pipeline/run/cache.ts).
 */
export class InputRecord {
  private readonly digests = new Map<string, string>();

  read(name: string, bytes: Uint8Array): void {
    this.digests.set(name, digestOf(bytes));
  }

  missing(name: string): void {
    this.digests.set(name, MISSING);
  }

  unreadable(name: string): void {
    this.digests.set(name, UNREADABLE);
  }

  /** Sorted by name, so that the key does not depend on the order of reading. */
  get entries(): Readonly<Record<string, string>> {
    return Object.fromEntries([...this.digests].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

export const MISSING = 'missing';
export const UNREADABLE = 'unreadable';

export function digestOf(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

// A zip writer for the packages this project makes (the deck, and the workbooks
// inside its charts): entries in the order given, one fixed timestamp, no folder
// entries, no data descriptors, no extra fields, so the same entries always give the
// same bytes. Deflate is Node's own zlib (the same one pdfkit compresses the PDF
// with) rather than JSZip's JavaScript port of it, which cost a deck some 25 ms;
// parts that are compressed already (pictures, workbooks) are stored as they are,
// where deflating them again only spends time.
import zlib from 'node:zlib';
import { RecentlyUsed } from './recent.ts';

export interface ZipEntry {
  readonly name: string;
  readonly data: Uint8Array | string;
}

/** Already compressed: deflating them again saves nothing. */
const STORED = /\.(png|jpe?g|gif|xlsx|docx|pptx|zip|woff2?)$/i;
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
const STORE = 0;
/** Version 2.0: deflate, no zip64. */
const VERSION = 20;
/** "Made by" UNIX, so that readers take the external attributes as permissions. */
const MADE_BY_UNIX = (3 << 8) | VERSION;
/** A regular file, rw-r--r--. */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;

/** MS-DOS time and date fields of a date, read in UTC so that the bytes do not depend on the machine's time zone. */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

interface EntryFields {
  readonly method: number;
  readonly time: number;
  readonly date: number;
  readonly crc: number;
  readonly stored: number;
  readonly size: number;
  readonly name: number;
}

/** The fields a local header and its central directory record share, in the same order, from "version needed" to the name's length. */
function writeEntryFields(buffer: Buffer, at: number, f: EntryFields): void {
  buffer.writeUInt16LE(VERSION, at);
  buffer.writeUInt16LE(UTF8_NAMES, at + 2);
  buffer.writeUInt16LE(f.method, at + 4);
  buffer.writeUInt16LE(f.time, at + 6);
  buffer.writeUInt16LE(f.date, at + 8);
  buffer.writeUInt32LE(f.crc, at + 10);
  buffer.writeUInt32LE(f.stored, at + 14);
  buffer.writeUInt32LE(f.size, at + 18);
  buffer.writeUInt16LE(f.name, at + 22);
}

interface Packed {
  readonly body: Uint8Array;
  readonly crc: number;
  readonly size: number;
}

/**
 * Parts deflated before, by their text: every deck repeats its theme, slide master
 * and layouts, presentation properties and its charts' workbook parts byte for byte
 * (~90 of a deck's ~210 kB of XML, ~2 ms of deflate). Found by a short fingerprint
 * of the text (its length, head and tail), then compared whole: a map keyed by the
 * whole text hashed every part, which cost a third of what it saved. Least recently
 * used first; small parts at the default level only, so it holds at most ~4 MB.
 */
const packedByPrint = new RecentlyUsed<string, { readonly text: string; readonly packed: Packed }>(128);
const PACKED_UP_TO = 16 * 1024;
const DEFAULT_LEVEL = 6;
const PRINT_ENDS = 48;

function pack(data: Uint8Array | string, stored: boolean, level: number): Packed {
  const print = typeof data === 'string' && !stored && level === DEFAULT_LEVEL && data.length <= PACKED_UP_TO ? `${data.length}:${data.slice(0, PRINT_ENDS)}${data.slice(-PRINT_ENDS)}` : undefined;
  if (print !== undefined) {
    const known = packedByPrint.get(print);
    if (known?.text === data) return known.packed;
  }
  const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const body = stored ? raw : zlib.deflateRawSync(raw, { level });
  const packed = { body: print === undefined ? body : keptCopy(body), crc: zlib.crc32(raw), size: raw.length };
  if (print !== undefined) packedByPrint.set(print, { text: data as string, packed });
  return packed;
}

/**
 * zlib's output as a memo keeps it: zlib hands back a view into its 16 kB output
 * chunk, which a kept view would keep whole; a copy is the output's own size.
 */
export function keptCopy(output: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(output);
}

export function writeZip(entries: readonly ZipEntry[], date: Date, level = DEFAULT_LEVEL): Buffer {
  const stamp = dosDateTime(date);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const stored = STORED.test(entry.name);
    const { body, crc, size } = pack(entry.data, stored, level);
    const method = stored ? STORE : DEFLATE;

    const fields = { method, time: stamp.time, date: stamp.date, crc, stored: body.length, size, name: name.length };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, fields);
    // extra field: none
    parts.push(local, name, Buffer.from(body.buffer, body.byteOffset, body.byteLength));

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    writeEntryFields(header, 6, fields);
    // extra field, comment, disk number, internal attributes: none
    header.writeUInt32LE(FILE_ATTRIBUTES, 38);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);

    offset += local.length + name.length + body.length;
  }
  // Past these a zip needs the zip64 records, which no deck or workbook comes near.
  if (entries.length > 0xffff || offset > 0xffffffff) throw new Error(`a zip of ${entries.length} entries and ${offset} bytes needs zip64, which this writer does not write`);
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

// The font subsets embedded in the PDF, written here for TrueType fonts with the
// bytes fontkit's TTFSubset writes. pdfkit asks fontkit for the subset of each
// font a brief uses; fontkit decodes every glyph's outline to learn whether it is a
// composite, and writes the tables through its generic structure encoder: ~6 ms of
// a warm brief, ~40 ms of a cold one. Here each glyph's bytes are copied from the
// glyf table as they stand (a composite's component ids renumbered, as fontkit
// does), and the tables are laid out in fontkit's order with its directory. The
// tables fontkit re-encodes unchanged (head, hhea, maxp, cvt, prep, fpgm) are the
// font's own bytes with the counts the subset changes; test/subset.test.ts holds
// the result to fontkit's, byte for byte, for every font of the theme.
import type * as fontkit from 'fontkit';

/** What this module reads of fontkit's objects: internals, checked before use. */
interface TrueTypeFont {
  readonly type: string;
  readonly directory: { readonly tables: Record<string, { readonly offset: number; readonly length: number } | undefined> };
  readonly stream: { readonly buffer: Uint8Array };
  readonly loca: { readonly version: number; readonly offsets: readonly number[] };
  readonly _variationProcessor?: unknown;
  getGlyph(id: number): { readonly advanceWidth: number; _getMetrics(): { readonly leftBearing: number } };
  createSubset(): Subset;
}

interface Subset {
  readonly glyphs: number[];
  includeGlyph(glyph: number): number;
  encode(): Uint8Array;
}

/** Composite glyph flags (OpenType glyf table). */
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** The tables of a subset, in the order fontkit writes them. */
const TABLE_ORDER = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const;
/** Tables copied from the font: written only when the font has them, as fontkit does. */
const OPTIONAL = new Set(['cvt ', 'prep', 'fpgm']);

/**
 * Makes `font.createSubset()` give subsets whose encode() is this module's, for a
 * TrueType font without variations; any other font keeps fontkit's.
 */
export function installFastSubset(font: fontkit.Font): void {
  const ttf = font as unknown as TrueTypeFont;
  const { tables } = ttf.directory;
  // A plain TrueType file only (not WOFF, whose tables are compressed), without variations.
  if (ttf.type !== 'TTF' || tables['CFF '] || tables['CFF2'] || ttf._variationProcessor) return;
  if (!['head', 'hhea', 'maxp', 'loca', 'glyf', 'hmtx'].every((tag) => tables[tag])) return;
  // Tables fontkit would not copy as they stand: an empty one (which it leaves out) or a cvt of odd length (which it pads).
  if ([...OPTIONAL].some((tag) => tables[tag] !== undefined && (tables[tag]!.length === 0 || (tag === 'cvt ' && tables[tag]!.length % 2 !== 0)))) return;
  const create = ttf.createSubset.bind(ttf);
  (ttf as { createSubset: () => Subset }).createSubset = () => {
    const subset = create();
    subset.encode = () => encodeSubset(ttf, subset);
    return subset;
  };
}

/** The subset's font file: fontkit's TTFSubset.encode, without decoding outlines or going through restructure. */
export function encodeSubset(font: TrueTypeFont, subset: Subset): Uint8Array {
  const fileBytes = font.stream.buffer;
  const file = new DataView(fileBytes.buffer, fileBytes.byteOffset, fileBytes.byteLength);
  const tableOf = (tag: string) => font.directory.tables[tag]!;
  const glyfStart = tableOf('glyf').offset;
  const { offsets } = font.loca;

  // Each glyph's bytes, as fontkit's _addGlyph takes them (the glyph list grows as composites add their parts).
  const glyphs: Uint8Array[] = [];
  const advances: number[] = [];
  const bearings: number[] = [];
  let glyfLength = 0;
  for (let i = 0; i < subset.glyphs.length; i++) {
    const id = subset.glyphs[i]!;
    const start = glyfStart + offsets[id]!;
    let bytes = fileBytes.subarray(start, glyfStart + offsets[id + 1]!);
    if (bytes.length >= 10 && file.getInt16(start) < 0) {
      // A composite: its parts go into the subset too, and it names them by their new ids.
      // A copy: the font's bytes are a Node Buffer, whose slice() is a view of them.
      bytes = new Uint8Array(bytes);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let at = 10;
      let flags = MORE_COMPONENTS;
      while (flags & MORE_COMPONENTS) {
        flags = view.getUint16(at);
        view.setUint16(at + 2, subset.includeGlyph(view.getUint16(at + 2)));
        at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
        if (flags & WE_HAVE_A_SCALE) at += 2;
        else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
        else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
      }
    }
    const glyph = font.getGlyph(id);
    glyphs.push(bytes);
    advances.push(glyph.advanceWidth);
    bearings.push(glyph._getMetrics().leftBearing);
    glyfLength += bytes.length;
  }
  const count = glyphs.length;
  const shortOffsets = font.loca.version === 0;

  const lengths: Record<string, number> = {
    head: tableOf('head').length,
    hhea: tableOf('hhea').length,
    loca: (count + 1) * (shortOffsets ? 2 : 4),
    maxp: tableOf('maxp').length,
    glyf: glyfLength,
    hmtx: count * 4,
  };
  for (const tag of OPTIONAL) if (font.directory.tables[tag]) lengths[tag] = tableOf(tag).length;
  const written = TABLE_ORDER.filter((tag) => lengths[tag] !== undefined);

  const numTables = written.length;
  const exponent = Math.floor(Math.log(numTables) / Math.LN2);
  const searchRange = 2 ** exponent * 16;
  let size = 12 + 16 * numTables;
  for (const tag of written) size += lengths[tag]!;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  // The offset table: fontkit writes the tag 'true'.
  out.set([0x74, 0x72, 0x75, 0x65], 0);
  view.setUint16(4, numTables);
  view.setUint16(6, searchRange);
  view.setUint16(8, exponent);
  view.setUint16(10, numTables * 16 - searchRange);
  let at = 12 + 16 * numTables;
  written.forEach((tag, index) => {
    const entry = 12 + 16 * index;
    for (let c = 0; c < 4; c++) out[entry + c] = tag.charCodeAt(c);
    // Checksum 0, as fontkit leaves it: PDF readers do not check it.
    view.setUint32(entry + 8, at);
    view.setUint32(entry + 12, lengths[tag]!);
    at = writeTable(tag, at);
  });
  return out;

  function copyTable(tag: string, to: number): number {
    const { offset, length } = tableOf(tag);
    out.set(fileBytes.subarray(offset, offset + length), to);
    return to + length;
  }

  function writeTable(tag: string, to: number): number {
    switch (tag) {
      case 'maxp': {
        const end = copyTable(tag, to);
        view.setUint16(to + 4, count);
        return end;
      }
      case 'hhea': {
        const end = copyTable(tag, to);
        view.setUint16(to + 34, count);
        return end;
      }
      case 'head': {
        const end = copyTable(tag, to);
        view.setInt16(to + 50, font.loca.version);
        return end;
      }
      case 'loca': {
        let offset = 0;
        for (let i = 0; i <= count; i++) {
          if (shortOffsets) view.setUint16(to + i * 2, offset >>> 1);
          else view.setUint32(to + i * 4, offset);
          offset += i < count ? glyphs[i]!.length : 0;
        }
        return to + lengths['loca']!;
      }
      case 'glyf':
        for (const bytes of glyphs) {
          out.set(bytes, to);
          to += bytes.length;
        }
        return to;
      case 'hmtx':
        for (let i = 0; i < count; i++, to += 4) {
          view.setUint16(to, advances[i]!);
          view.setInt16(to + 2, bearings[i]!);
        }
        return to;
      default:
        return copyTable(tag, to);
    }
  }
}

// Shaping of simple Latin runs without fontkit's OpenType machinery, with exactly
// fontkit's result. Most of a brief's words are letters, digits and punctuation
// that no substitution touches and that only pair kerning moves; for those, fontkit
// still decodes the GSUB and GPOS lookups (lazily, on first layout, in every
// process) and runs every lookup over every word. A per-font table answers them
// instead: code point → glyph, advance widths, and the pair adjustments fontkit's
// kerning lookups give, worked out once from the font and kept on disk under the
// hash of the font's bytes.
//
// A run takes this path only when it provably shapes as fontkit shapes it with its
// default features: every character is in the table (Latin or Common script, mapped
// by cmap, not a mark, not default-ignorable, not U+2044, and its glyph is not where
// any substitution or any positioning other than pair kerning that fontkit's default
// plan applies could fire); a run left to right (Latin and Common are). Anything
// else (CJK, right-to-left, combining marks, a font with AAT tables or variations)
// is laid out by fontkit as before.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as fontkit from 'fontkit';
import { packageVersion, writeCacheFile } from './cache-files.ts';
import { cacheDir } from './paths.ts';

/** Raise when what the table holds or means changes: files of an older format then miss and are rebuilt. */
const FORMAT = 1;

// ---------------------------------------------------------------------------
// fontkit's decoded OpenType tables, as far as this module reads them. fontkit's
// type declarations describe its public API only; these are the shapes its
// restructure decoders produce (fontkit 2.x, src/tables/opentype.js, GPOS.js, GSUB.js).

type Coverage = { version: 1; glyphs: number[] } | { version: 2; rangeRecords: Array<{ start: number; end: number; startCoverageIndex: number }> };
type ClassDef = { version: 1; startGlyph: number; classValueArray: number[] } | { version: 2; classRangeRecord: Array<{ start: number; end: number; class: number }> };
/** A restructure LazyArray (decoded item by item) or a plain array: fontkit's decoders give either. */
type List<T> = { readonly length: number; get(index: number): T | undefined } | readonly T[];
interface ValueRecord {
  xPlacement?: number;
  yPlacement?: number;
  xAdvance?: number;
  yAdvance?: number;
}
interface LookupFlags {
  markAttachmentType: number;
  flags: { rightToLeft: boolean; ignoreBaseGlyphs: boolean; ignoreLigatures: boolean; ignoreMarks: boolean; useMarkFilteringSet: boolean };
}
/** A lookup subtable: which fields exist depends on the lookup's type and the subtable's format (`version`). */
interface Subtable {
  version: number;
  // Extension (GSUB 7, GPOS 9)
  lookupType?: number;
  extension?: Subtable;
  coverage?: Coverage;
  // GSUB 4
  ligatureSets?: List<Array<{ glyph: number; components: number[] }>>;
  // GPOS 2
  pairSets?: List<Array<{ secondGlyph: number; value1?: ValueRecord; value2?: ValueRecord }>>;
  classDef1?: ClassDef;
  classDef2?: ClassDef;
  classRecords?: List<List<{ value1?: ValueRecord; value2?: ValueRecord }>>;
  // GPOS 4, 5, 6
  markCoverage?: Coverage;
  mark1Coverage?: Coverage;
  // Context (GSUB 5, GPOS 7)
  ruleSets?: List<Array<{ input: number[] }> | null>;
  classDef?: ClassDef;
  classSet?: List<Array<{ classes: number[] }> | null>;
  coverages?: Coverage[];
  // Chaining context (GSUB 6, GPOS 8)
  chainRuleSets?: List<Array<{ backtrack: number[]; input: number[]; lookahead: number[] }> | null>;
  backtrackClassDef?: ClassDef;
  inputClassDef?: ClassDef;
  lookaheadClassDef?: ClassDef;
  chainClassSet?: List<Array<{ backtrack: number[]; input: number[]; lookahead: number[] }> | null>;
  backtrackCoverage?: Coverage[];
  inputCoverage?: Coverage[];
  lookaheadCoverage?: Coverage[];
}
interface Lookup {
  lookupType: number;
  flags: LookupFlags;
  subTables: Subtable[];
}
interface LayoutTable {
  scriptList?: Array<{ tag: string; script: { defaultLangSys: { featureIndexes: number[] } | null } }> | null;
  featureList: Array<{ tag: string; feature: { lookupListIndexes: number[] } }>;
  lookupList: List<Lookup>;
}
interface KernSubtable {
  version: number;
  format: number;
  coverage: { horizontal?: boolean; crossStream?: boolean; override?: boolean; vertical?: boolean; variation?: boolean };
  subtable: { pairs?: Array<{ left: number; right: number; value: number }> };
}
interface Decoded {
  readonly directory: { readonly tables: Readonly<Record<string, unknown>> };
  readonly GSUB?: LayoutTable;
  readonly GPOS?: LayoutTable;
  readonly GDEF?: { glyphClassDef?: ClassDef | null };
  readonly kern?: { tables: KernSubtable[] };
  readonly hmtx: { metrics: List<{ advance: number }> };
  readonly _cmapProcessor: { lookup(codePoint: number): number };
}

const item = <T>(list: List<T> | null | undefined, index: number): T | undefined =>
  list == null ? undefined : 'get' in list && typeof list.get === 'function' ? list.get(index) : (list as readonly T[])[index];

/** fontkit's OTProcessor.coverageIndex. */
function coverageIndex(coverage: Coverage, glyph: number): number {
  if (coverage.version === 1) return coverage.glyphs.indexOf(glyph);
  for (const range of coverage.rangeRecords) if (range.start <= glyph && glyph <= range.end) return range.startCoverageIndex + glyph - range.start;
  return -1;
}

/** fontkit's OTProcessor.getClassID. */
function classOf(classDef: ClassDef, glyph: number): number {
  if (classDef.version === 1) {
    const i = glyph - classDef.startGlyph;
    return i >= 0 && i < classDef.classValueArray.length ? classDef.classValueArray[i]! : 0;
  }
  for (const range of classDef.classRangeRecord) if (range.start <= glyph && glyph <= range.end) return range.class;
  return 0;
}

/** fontkit's LayoutEngine.isDefaultIgnorable: such characters are drawn as a zero-width space. */
function isDefaultIgnorable(ch: number): boolean {
  switch (ch >> 8) {
    case 0x00:
      return ch === 0x00ad;
    case 0x03:
      return ch === 0x034f;
    case 0x06:
      return ch === 0x061c;
    case 0x17:
      return ch >= 0x17b4 && ch <= 0x17b5;
    case 0x18:
      return ch >= 0x180b && ch <= 0x180e;
    case 0x20:
      return (ch >= 0x200b && ch <= 0x200f) || (ch >= 0x202a && ch <= 0x202e) || (ch >= 0x2060 && ch <= 0x206f);
    case 0xfe:
      return (ch >= 0xfe00 && ch <= 0xfe0f) || ch === 0xfeff;
    case 0xff:
      return ch >= 0xfff0 && ch <= 0xfff8;
    default:
      return false;
  }
}

/**
 * The features fontkit's default shaper (the one for Latin and for the default
 * script) gives every glyph, in its ShapingPlan. frac, numr and dnom are also
 * planned, but only for the digits around a U+2044, which no simple run holds.
 */
const GLOBAL_FEATURES = ['rvrn', 'ltra', 'ltrm', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern'];
/** What fontkit records as a shaped run's features: every feature of the plan. */
const PLAN_FEATURES = ['rvrn', 'ltra', 'ltrm', 'frac', 'numr', 'dnom', 'ccmp', 'locl', 'rlig', 'mark', 'mkmk', 'calt', 'clig', 'liga', 'rclt', 'curs', 'kern'];
/** fontkit's OTProcessor falls back to these scripts when a font lacks the one asked for. */
const DEFAULT_SCRIPTS = ['DFLT', 'dflt', 'latn'];
/**
 * The scripts fontkit detects for a simple run: 'zzzz' (Unknown) when it has no
 * Latin letter (digits, punctuation), 'latn' when it has one. Each selects its own
 * lookups, so each has its own table: index 0 and 1 below.
 */
const CASES = ['zzzz', 'latn'] as const;
const LATIN = 1;
/** Simple in a run of CASES[i]. */
const SIMPLE = [2, 4] as const;

/** The table persisted for one font file. */
export interface ShapeTable {
  readonly unitsPerEm: number;
  readonly numGlyphs: number;
  /** Simple code points (BMP), ascending, with their glyph ids, advances and flags (LATIN, SIMPLE[i]). */
  readonly codePoints: readonly number[];
  readonly glyphs: readonly number[];
  readonly advances: readonly number[];
  readonly flags: readonly number[];
  /**
   * Per case, the adjacent glyph pairs whose positions fontkit adjusts: key
   * first·65536 + second, ascending; eight values per key (x advance, y advance,
   * x placement, y placement of the first glyph, then of the second), in font units.
   */
  readonly pairs: ReadonlyArray<{ readonly keys: readonly number[]; readonly values: readonly number[] }>;
  /** Per case, the features fontkit records on the run (its plan's, and kern when it kerns with the kern table). */
  readonly features: ReadonlyArray<readonly string[]>;
  /** Why characters were left out, per case (for a reader of the cache file). */
  readonly notes: readonly string[];
}

interface Selected {
  /** Feature tag → lookup indices, for the script and default language fontkit would select. */
  readonly features: ReadonlyMap<string, readonly number[]>;
}

/** fontkit's OTProcessor.selectScript for `script` with no language: undefined when the table cannot say (fontkit would keep an earlier selection). */
function selectScript(table: LayoutTable, script: string): Selected | undefined {
  const find = (tags: readonly string[]) => {
    if (table.scriptList == null) return undefined;
    for (const tag of tags) for (const entry of table.scriptList) if (entry.tag === tag) return entry;
    return undefined;
  };
  const entry = find([script]) ?? find(DEFAULT_SCRIPTS);
  if (!entry) return undefined;
  const features = new Map<string, readonly number[]>();
  for (const index of entry.script.defaultLangSys?.featureIndexes ?? []) {
    const record = table.featureList[index];
    if (!record) throw new Error(`feature index ${index} out of range`);
    features.set(record.tag, record.feature.lookupListIndexes);
  }
  return { features };
}

/** The lookups fontkit applies to a simple run, in its order (by index; one listed under two features runs twice). */
function appliedLookups(table: LayoutTable, selected: Selected): Array<{ index: number; lookup: Lookup }> {
  const out: Array<{ index: number; lookup: Lookup }> = [];
  for (const tag of GLOBAL_FEATURES) {
    for (const index of selected.features.get(tag) ?? []) {
      const lookup = item(table.lookupList, index);
      if (!lookup) throw new Error(`lookup index ${index} out of range`);
      out.push({ index, lookup });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A lookup's subtables with extensions unwrapped, each with its real type. */
function subtables(lookup: Lookup, extensionType: number): Array<{ type: number; table: Subtable }> {
  return lookup.subTables.map((table) =>
    lookup.lookupType === extensionType && table.extension ? { type: table.lookupType ?? 0, table: table.extension } : { type: lookup.lookupType, table },
  );
}

function coverageGlyphs(coverage: Coverage | undefined): number[] {
  // fontkit would throw at every glyph: the whole font is left to it (buildShapeTable catches this).
  if (!coverage) throw new Error('a lookup subtable without its coverage');
  if (coverage.version === 1) return coverage.glyphs;
  const out: number[] = [];
  for (const r of coverage.rangeRecords) for (let g = r.start; g <= r.end; g++) out.push(g);
  return out;
}

/** What the trigger analysis knows of the glyphs simple runs may hold. */
interface Candidates {
  readonly glyphs: ReadonlySet<number>;
  /** The classes candidate glyphs have in `classDef` (a class no candidate has can never match in a simple run). */
  classesIn(classDef: ClassDef): ReadonlySet<number>;
}

const intersects = (coverage: Coverage | undefined, candidates: Candidates) => coverageGlyphs(coverage).some((g) => candidates.glyphs.has(g));

/**
 * The candidate glyphs at which a subtable could act in a run made of candidate
 * glyphs only. fontkit tries a lookup at every glyph; a subtable acts only where the
 * current glyph is in its (first) coverage, and a contextual or ligature rule only
 * where each of its other positions can be matched by some candidate glyph. This is
 * a superset: a glyph it names may still never be touched, but one it leaves out
 * never is.
 */
function triggers(table: 'GSUB' | 'GPOS', type: number, sub: Subtable, candidates: Candidates): number[] {
  const inCandidates = (g: number) => candidates.glyphs.has(g);
  const covered = (coverage: Coverage | undefined) => coverageGlyphs(coverage).filter(inCandidates);
  const classesOk = (classes: readonly number[], classDef: ClassDef | undefined) => {
    // Without its class definition, fontkit throws when it tries the rule: count that as acting.
    if (!classDef) return true;
    const inhabited = candidates.classesIn(classDef);
    return classes.every((c) => inhabited.has(c));
  };
  const context = table === 'GSUB' ? 5 : 7;
  const chaining = table === 'GSUB' ? 6 : 8;
  if (table === 'GSUB' && type === 4) {
    return covered(sub.coverage).filter((g) => {
      const set = item(sub.ligatureSets, coverageIndex(sub.coverage!, g));
      return set == null || set.some((ligature) => ligature.components.every(inCandidates));
    });
  }
  if (type === context) {
    if (sub.version === 1) {
      return covered(sub.coverage).filter((g) => {
        const set = item(sub.ruleSets, coverageIndex(sub.coverage!, g));
        // A missing rule set makes fontkit throw: not simple.
        return set == null || set.some((rule) => rule.input.every(inCandidates));
      });
    }
    if (sub.version === 2) {
      return covered(sub.coverage).filter((g) => {
        const set = item(sub.classSet, classOf(sub.classDef!, g));
        return set == null || set.some((rule) => classesOk(rule.classes, sub.classDef));
      });
    }
    const coverages = sub.coverages ?? [];
    if (!coverages.every((c) => intersects(c, candidates))) return [];
    return coverages.length === 0 ? [...candidates.glyphs] : covered(coverages[0]);
  }
  if (type === chaining) {
    if (sub.version === 1) {
      return covered(sub.coverage).filter((g) => {
        const set = item(sub.chainRuleSets, coverageIndex(sub.coverage!, g));
        return set == null || set.some((rule) => [...rule.backtrack, ...rule.input, ...rule.lookahead].every(inCandidates));
      });
    }
    if (sub.version === 2) {
      return covered(sub.coverage).filter((g) => {
        const rules = item(sub.chainClassSet, classOf(sub.inputClassDef!, g));
        // fontkit returns early when there is no rule set for the class.
        return (
          rules != null &&
          rules.some(
            (rule) =>
              classesOk(rule.backtrack, sub.backtrackClassDef) && classesOk(rule.input, sub.inputClassDef) && classesOk(rule.lookahead, sub.lookaheadClassDef),
          )
        );
      });
    }
    const all = [...(sub.backtrackCoverage ?? []), ...(sub.inputCoverage ?? []), ...(sub.lookaheadCoverage ?? [])];
    if (!all.every((c) => intersects(c, candidates))) return [];
    return (sub.inputCoverage ?? []).length === 0 ? [...candidates.glyphs] : covered(sub.inputCoverage![0]);
  }
  if (table === 'GPOS' && (type === 4 || type === 5)) return covered(sub.markCoverage);
  if (table === 'GPOS' && type === 6) return covered(sub.mark1Coverage);
  // Single, multiple and alternate substitution; single adjustment and cursive attachment.
  return covered(sub.coverage);
}

/** fontkit's KernProcessor.getKerning, for the formats this module accepts (checked before). */
function legacyKerning(tables: readonly KernSubtable[], left: number, right: number): number {
  let result = 0;
  for (const table of tables) {
    if (table.coverage.crossStream) continue;
    if (table.version === 0 ? !table.coverage.horizontal : table.coverage.vertical || table.coverage.variation) continue;
    const pairs = table.subtable.pairs ?? [];
    let value = 0;
    // fontkit's binary search, kept as it is: on an unsorted table it misses what fontkit misses.
    let min = 0;
    let max = pairs.length - 1;
    while (min <= max) {
      const mid = (min + max) >> 1;
      const pair = pairs[mid]!;
      const cmp = left - pair.left || right - pair.right;
      if (cmp < 0) max = mid - 1;
      else if (cmp > 0) min = mid + 1;
      else {
        value = pair.value;
        break;
      }
    }
    if (table.coverage.override) result = value;
    else result += value;
  }
  return result;
}

interface UnicodeProperties {
  getScript(codePoint: number): string;
  isMark(codePoint: number): boolean;
}

const requireHere = createRequire(import.meta.url);

/** fontkit's own Unicode data (it detects scripts and marks with it), whatever version it resolves. */
function unicodeProperties(): UnicodeProperties {
  // createRequire's result is untyped; the two functions are unicode-properties' documented API.
  return createRequire(requireHere.resolve('fontkit'))('unicode-properties') as UnicodeProperties;
}

/**
 * Works out the table from fontkit's decoded tables. A font fontkit lays out with
 * other machinery (AAT morx, variations) gets an empty table: every run goes to fontkit.
 */
export function buildShapeTable(font: fontkit.Font): ShapeTable {
  const decoded = font as unknown as Decoded;
  const base = { unitsPerEm: font.unitsPerEm, numGlyphs: font.numGlyphs };
  const empty = (note: string): ShapeTable => ({
    ...base,
    codePoints: [],
    glyphs: [],
    advances: [],
    flags: [],
    pairs: CASES.map(() => ({ keys: [], values: [] })),
    features: CASES.map(() => []),
    notes: CASES.map(() => note),
  });
  try {
    const tables = decoded.directory.tables;
    if (tables['morx']) return empty('AAT morx: fontkit shapes with its AAT engine');
    if (tables['fvar']) return empty('a variable font');

    const unicode = unicodeProperties();
    const glyphClass = decoded.GDEF?.glyphClassDef ?? undefined;
    const glyphCount = font.numGlyphs;
    const candidates: Array<{ cp: number; gid: number; latin: boolean }> = [];
    for (const cp of font.characterSet) {
      if (cp > 0xffff || (cp >= 0xd800 && cp <= 0xdfff) || isDefaultIgnorable(cp) || cp === 0x2044) continue;
      const script = unicode.getScript(cp);
      if ((script !== 'Latin' && script !== 'Common') || unicode.isMark(cp)) continue;
      const gid = decoded._cmapProcessor.lookup(cp);
      if (!gid || gid >= glyphCount) continue;
      // A mark's advance is zeroed after positioning (fontkit's zeroMarkWidths).
      if (glyphClass && classOf(glyphClass, gid) === 3) continue;
      candidates.push({ cp, gid, latin: script === 'Latin' });
    }
    candidates.sort((a, b) => a.cp - b.cp);
    const candidateGlyphs = new Set(candidates.map((c) => c.gid));
    const classCache = new Map<ClassDef, Set<number>>();
    const known: Candidates = {
      glyphs: candidateGlyphs,
      classesIn(classDef) {
        let classes = classCache.get(classDef);
        if (!classes) classCache.set(classDef, (classes = new Set([...candidateGlyphs].map((g) => classOf(classDef, g)))));
        return classes;
      },
    };
    // Without a GDEF class definition, fontkit calls a glyph of one non-mark character a base glyph, never a ligature.
    const isBase = (gid: number) => (glyphClass ? classOf(glyphClass, gid) === 1 : true);
    const isLigature = (gid: number) => (glyphClass ? classOf(glyphClass, gid) === 2 : false);

    const simple = CASES.map(() => new Set<number>());
    const pairs: Array<{ keys: number[]; values: number[] }> = [];
    const features: string[][] = [];
    const notes: string[] = [];
    CASES.forEach((script, c) => {
      const outcome = simpleGlyphs(decoded, script, known, isBase, isLigature);
      notes.push(outcome.note);
      pairs.push(outcome.pairs);
      features.push(outcome.features);
      for (const g of outcome.glyphs) simple[c]!.add(g);
    });

    const hmtx = decoded.hmtx.metrics;
    const last = item(hmtx, hmtx.length - 1);
    // fontkit's Glyph._getTableMetrics: glyphs past the metrics array share the last advance.
    const advance = (gid: number) => (gid < hmtx.length ? item(hmtx, gid)!.advance : last ? last.advance : 0);
    const table = { ...base, codePoints: [] as number[], glyphs: [] as number[], advances: [] as number[], flags: [] as number[], pairs, features, notes };
    for (const { cp, gid, latin } of candidates) {
      let flags = latin ? LATIN : 0;
      // A Latin letter makes its run 'latn'; a Common character may be in a run of either script.
      if (simple[1]!.has(gid)) flags |= SIMPLE[1];
      if (!latin && simple[0]!.has(gid)) flags |= SIMPLE[0];
      if (!(flags & (SIMPLE[0] | SIMPLE[1]))) continue;
      table.codePoints.push(cp);
      table.glyphs.push(gid);
      table.advances.push(advance(gid));
      table.flags.push(flags);
    }
    return table;
  } catch (error) {
    // A table fontkit decodes in a way this module does not expect: leave the font to fontkit.
    return empty(`not analysed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The candidate glyphs that stay simple in runs of `script`, and the pair adjustments among them; no glyphs when fontkit's behaviour for the script cannot be told. */
function simpleGlyphs(
  font: Decoded,
  script: string,
  candidates: Candidates,
  isBase: (gid: number) => boolean,
  isLigature: (gid: number) => boolean,
): { glyphs: number[]; pairs: { keys: number[]; values: number[] }; features: string[]; note: string } {
  const refuse = (note: string) => ({ glyphs: [], pairs: { keys: [], values: [] }, features: [], note });
  const excluded = new Map<number, string>();
  const exclude = (glyphs: Iterable<number>, why: string) => {
    for (const g of glyphs) if (!excluded.has(g)) excluded.set(g, why);
  };

  const gsub = font.GSUB ? selectScript(font.GSUB, script) : undefined;
  const gpos = font.GPOS ? selectScript(font.GPOS, script) : undefined;
  if ((font.GSUB && !gsub) || (font.GPOS && !gpos)) return refuse(`no ${script} or default script in GSUB/GPOS: fontkit would keep an earlier selection`);

  if (font.GSUB && gsub) {
    for (const { index, lookup } of appliedLookups(font.GSUB, gsub)) {
      for (const { type, table } of subtables(lookup, 7)) {
        if (type < 1 || type > 6) return refuse(`GSUB lookup ${index} of type ${type}, which fontkit does not apply`);
        exclude(triggers('GSUB', type, table, candidates), `GSUB lookup ${index} (type ${type})`);
      }
    }
  }

  const pairLookups: Array<{ index: number; lookup: Lookup; subtables: Subtable[] }> = [];
  if (font.GPOS && gpos) {
    for (const { index, lookup } of appliedLookups(font.GPOS, gpos)) {
      const subs = subtables(lookup, 9);
      if (subs.length > 0 && subs.every((s) => s.type === 2)) {
        pairLookups.push({ index, lookup, subtables: subs.map((s) => s.table) });
        continue;
      }
      for (const { type, table } of subs) {
        if (type < 1 || type > 8) return refuse(`GPOS lookup ${index} of type ${type}`);
        // A pair subtable among others of another type (not seen in practice) is left to fontkit.
        exclude(type === 2 ? coverageGlyphs(table.coverage).filter((g) => candidates.glyphs.has(g)) : triggers('GPOS', type, table, candidates), `GPOS lookup ${index} (type ${type})`);
      }
    }
  }
  // A glyph a kerning lookup skips (its flags) would make the next one its pair: not simple.
  for (const { index, lookup } of pairLookups) {
    const { ignoreBaseGlyphs, ignoreLigatures } = lookup.flags.flags;
    exclude(
      [...candidates.glyphs].filter((g) => (ignoreBaseGlyphs && isBase(g)) || (ignoreLigatures && isLigature(g))),
      `skipped by the flags of GPOS lookup ${index}`,
    );
  }

  // fontkit kerns with the kern table when GPOS does not kern this script.
  const legacy = font.kern && !(gpos && gpos.features.has('kern')) ? font.kern.tables : undefined;
  for (const table of legacy ?? []) {
    if (table.coverage.crossStream) continue;
    if (table.version === 0 ? !table.coverage.horizontal : table.version === 1 ? table.coverage.vertical || table.coverage.variation : false) continue;
    if ((table.version !== 0 && table.version !== 1) || table.format !== 0) return refuse(`kern table version ${table.version} format ${table.format}`);
  }

  const glyphs = [...candidates.glyphs].filter((g) => !excluded.has(g)).sort((a, b) => a - b);
  const simple = new Set(glyphs);
  const sums = new Map<number, number[]>();
  const add = (first: number, second: number, value1: ValueRecord | undefined, value2: ValueRecord | undefined) => {
    const v = [value1?.xAdvance, value1?.yAdvance, value1?.xPlacement, value1?.yPlacement, value2?.xAdvance, value2?.yAdvance, value2?.xPlacement, value2?.yPlacement].map((n) => n ?? 0);
    if (v.every((n) => n === 0)) return;
    const key = first * 65536 + second;
    const sum = sums.get(key);
    if (sum) v.forEach((n, i) => (sum[i]! += n));
    else sums.set(key, v);
  };

  // fontkit's GPOS pair adjustment: at each glyph with a next one, the first
  // subtable that matches (format 1: the pair is listed; format 2: the first glyph
  // is covered, whatever the second) adjusts both; every lookup does so in turn.
  for (const { index, subtables: subs } of pairLookups) {
    for (const sub of subs) if (sub.version !== 1 && sub.version !== 2) return refuse(`GPOS lookup ${index}: pair format ${sub.version}`);
    const secondClasses = subs.map((sub) => (sub.version === 2 ? new Map(glyphs.map((g) => [g, classOf(sub.classDef2!, g)])) : undefined));
    for (const first of glyphs) {
      const taken = new Set<number>();
      for (let s = 0; s < subs.length; s++) {
        const sub = subs[s]!;
        const ci = coverageIndex(sub.coverage!, first);
        if (ci === -1) continue;
        if (sub.version === 1) {
          for (const pair of item(sub.pairSets, ci) ?? []) {
            if (!simple.has(pair.secondGlyph) || taken.has(pair.secondGlyph)) continue;
            taken.add(pair.secondGlyph);
            add(first, pair.secondGlyph, pair.value1, pair.value2);
          }
          continue;
        }
        const row = item(sub.classRecords, classOf(sub.classDef1!, first));
        for (const second of glyphs) {
          if (taken.has(second)) continue;
          const record = item(row, secondClasses[s]!.get(second)!);
          if (!record) return refuse(`GPOS lookup ${index}: a class pair fontkit cannot read (it would throw)`);
          add(first, second, record.value1, record.value2);
        }
        break;
      }
    }
  }
  if (legacy) {
    const seen = new Set<number>();
    for (const table of legacy) {
      for (const pair of table.subtable.pairs ?? []) {
        const key = pair.left * 65536 + pair.right;
        if (seen.has(key) || !simple.has(pair.left) || !simple.has(pair.right)) continue;
        seen.add(key);
        add(pair.left, pair.right, { xAdvance: legacyKerning(legacy, pair.left, pair.right) }, undefined);
      }
    }
  }

  const keys = [...sums.keys()].sort((a, b) => a - b);
  const reasons = new Map<string, number>();
  for (const why of excluded.values()) reasons.set(why, (reasons.get(why) ?? 0) + 1);
  const note = `${glyphs.length} simple glyphs, ${keys.length} kerned pairs; left out: ${[...reasons].map(([why, n]) => `${n} by ${why}`).join(', ') || 'none'}`;
  // fontkit's layout engine plans its features only for a font with GSUB or GPOS; kerning with the kern table adds kern.
  const features = font.GSUB || font.GPOS ? PLAN_FEATURES : legacy ? ['kern'] : [];
  return { glyphs, pairs: { keys, values: keys.flatMap((k) => sums.get(k)!) }, features, note };
}

// ---------------------------------------------------------------------------
// Persistence: node_modules/.cache/briefpress/shape-<key>.json, the key a hash of
// the font's bytes, this format and the versions of fontkit and its Unicode data
// (the table records what that fontkit does). The first line of the file is the
// SHA-256 of the rest: a file cut short or damaged is a miss, and is rewritten.

let versions: string | undefined;
function toolVersions(): string {
  if (versions === undefined) {
    const fontkitMain = requireHere.resolve('fontkit');
    versions = `fontkit ${packageVersion(fontkitMain, 'fontkit') ?? ''}, unicode-properties ${packageVersion(createRequire(fontkitMain).resolve('unicode-properties'), 'unicode-properties') ?? ''}`;
  }
  return versions;
}

export function tableFile(bytes: Uint8Array, dir: string): string {
  const key = crypto.createHash('sha256').update(`briefpress shape table ${FORMAT}; ${toolVersions()}\n`).update(bytes).digest('hex').slice(0, 40);
  return path.join(dir, `shape-${key}.json`);
}

const isIntArray = (value: unknown): value is number[] => Array.isArray(value) && value.every((n) => Number.isInteger(n));

function readTable(file: string, font: fontkit.Font): ShapeTable | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const newline = text.indexOf('\n');
  if (newline < 0) return undefined;
  const body = text.slice(newline + 1);
  if (crypto.createHash('sha256').update(body).digest('hex') !== text.slice(0, newline)) return undefined;
  try {
    const t = JSON.parse(body) as Partial<ShapeTable> & { format?: number };
    const n = t.codePoints?.length;
    const ok =
      t.format === FORMAT &&
      t.unitsPerEm === font.unitsPerEm &&
      t.numGlyphs === font.numGlyphs &&
      isIntArray(t.codePoints) &&
      [t.glyphs, t.advances, t.flags].every((a) => isIntArray(a) && a.length === n) &&
      Array.isArray(t.pairs) &&
      t.pairs.length === CASES.length &&
      t.pairs.every((p) => isIntArray(p.keys) && isIntArray(p.values) && p.values.length === p.keys.length * 8) &&
      Array.isArray(t.features) &&
      t.features.length === CASES.length &&
      t.features.every((f) => Array.isArray(f) && f.every((tag) => typeof tag === 'string')) &&
      Array.isArray(t.notes);
    return ok ? (t as ShapeTable) : undefined;
  } catch {
    return undefined;
  }
}

function writeTable(file: string, table: ShapeTable): void {
  const body = JSON.stringify({ format: FORMAT, ...table });
  // A read-only install shapes as well, only working the table out in each process.
  writeCacheFile(file, `${crypto.createHash('sha256').update(body).digest('hex')}\n${body}`);
}

/** The table for the font `bytes` hold, from the cache folder, or worked out and stored there. */
export function loadShapeTable(font: fontkit.Font, bytes: Uint8Array, dir: string = cacheDir): ShapeTable {
  const file = tableFile(bytes, dir);
  const cached = readTable(file, font);
  if (cached) return cached;
  const table = buildShapeTable(font);
  writeTable(file, table);
  return table;
}

// ---------------------------------------------------------------------------
// Layout.

/** A glyph run shaped here: what fontkit's GlyphRun gives (the same glyphs, positions, script, direction and features). */
export class SimpleGlyphRun {
  readonly language = null;
  readonly direction = 'ltr';
  constructor(
    readonly glyphs: fontkit.Glyph[],
    readonly positions: fontkit.GlyphPosition[],
    readonly script: string,
    readonly features: Record<string, boolean>,
  ) {}

  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }

  get advanceHeight(): number {
    let height = 0;
    for (const position of this.positions) height += position.yAdvance;
    return height;
  }

  /** As fontkit's GlyphRun.bbox (BBox.addPoint skips infinite coordinates). */
  get bbox(): fontkit.BBOX {
    const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
    const addPoint = (x: number, y: number) => {
      if (Math.abs(x) !== Infinity) {
        if (x < box.minX) box.minX = x;
        if (x > box.maxX) box.maxX = x;
      }
      if (Math.abs(y) !== Infinity) {
        if (y < box.minY) box.minY = y;
        if (y > box.maxY) box.maxY = y;
      }
    };
    let x = 0;
    let y = 0;
    this.glyphs.forEach((glyph, i) => {
      const p = this.positions[i]!;
      const b = glyph.bbox;
      addPoint(b.minX + x + p.xOffset, b.minY + y + p.yOffset);
      addPoint(b.maxX + x + p.xOffset, b.maxY + y + p.yOffset);
      x += p.xAdvance;
      y += p.yAdvance;
    });
    return { ...box, width: box.maxX - box.minX, height: box.maxY - box.minY };
  }
}

export class FastShaper {
  /** UTF-16 unit → index + 1 into the table's arrays; 0 for a character that is not simple. */
  private readonly slots = new Uint16Array(0x10000);
  private readonly pairs: Array<Map<number, number>>;
  private spaceAsked = false;

  constructor(
    private readonly font: fontkit.Font,
    private readonly table: ShapeTable,
  ) {
    table.codePoints.forEach((cp, i) => (this.slots[cp] = i + 1));
    this.pairs = table.pairs.map((p) => new Map(p.keys.map((key, i) => [key, i * 8])));
  }

  /** Whether the table has any simple character (a font left to fontkit has none). */
  get usable(): boolean {
    return this.table.codePoints.length > 0;
  }

  /**
   * `text` laid out as `font.layout(text)` lays it out, or undefined when it is not
   * a simple run. The glyph objects are fontkit's own, asked for in the order
   * fontkit asks for them: fontkit keeps one object per glyph id with the code
   * points it was first asked for, and pdfkit writes those into the PDF's ToUnicode map.
   */
  layout(text: string): SimpleGlyphRun | undefined {
    const n = text.length;
    // fontkit returns an empty run before building its layout engine; so does this, without decoding GSUB or GPOS.
    if (n === 0) return new SimpleGlyphRun([], [], 'zzzz', {});
    const { slots, table } = this;
    let latin = 0;
    for (let i = 0; i < n; i++) {
      const slot = slots[text.charCodeAt(i)]!;
      if (slot === 0) return undefined;
      latin |= table.flags[slot - 1]! & LATIN;
    }
    const c = latin ? 1 : 0;
    const need = SIMPLE[c];
    for (let i = 0; i < n; i++) if (!(table.flags[slots[text.charCodeAt(i)]! - 1]! & need)) return undefined;

    const glyphs = new Array<fontkit.Glyph>(n);
    const positions = new Array<fontkit.GlyphPosition>(n);
    for (let i = 0; i < n; i++) {
      const cp = text.charCodeAt(i);
      const e = slots[cp]! - 1;
      const glyph = this.font.getGlyph(table.glyphs[e]!, [cp]);
      // fontkit reads the glyph object's first code point (to hide default-ignorables,
      // to find fractions): one first asked for by another character must be simple too.
      const first = glyph.codePoints;
      if (first.length !== 1 || first[0]! > 0xffff || slots[first[0]!] === 0) return undefined;
      glyphs[i] = glyph;
      positions[i] = { xAdvance: table.advances[e]!, yAdvance: 0, xOffset: 0, yOffset: 0 };
    }
    // fontkit's hideDefaultIgnorables asks for the space glyph after every layout: the first ask names its
    // code point; later ones find the object made (fontkit never drops one), so one ask per font object does.
    if (!this.spaceAsked) {
      this.font.glyphForCodePoint(0x20);
      this.spaceAsked = true;
    }
    const pairs = this.pairs[c]!;
    if (pairs.size > 0) {
      const values = table.pairs[c]!.values;
      for (let i = 0; i + 1 < n; i++) {
        const at = pairs.get(glyphs[i]!.id * 65536 + glyphs[i + 1]!.id);
        if (at === undefined) continue;
        const a = positions[i]!;
        const b = positions[i + 1]!;
        a.xAdvance += values[at]!;
        a.yAdvance += values[at + 1]!;
        a.xOffset += values[at + 2]!;
        a.yOffset += values[at + 3]!;
        b.xAdvance += values[at + 4]!;
        b.yAdvance += values[at + 5]!;
        b.xOffset += values[at + 6]!;
        b.yOffset += values[at + 7]!;
      }
    }
    const features: Record<string, boolean> = {};
    for (const tag of table.features[c]!) features[tag] = true;
    return new SimpleGlyphRun(glyphs, positions, CASES[c], features);
  }
}

/**
 * Makes `font.layout` take the fast path for simple runs asked for with fontkit's
 * defaults (no features, script, language or direction given), and fontkit's own
 * layout for everything else. Installed on the font object itself so that every
 * user of it (the layout's measuring, pdfkit drawing the same object, outlines)
 * shapes alike. The table is loaded (or worked out) on the first layout.
 */
export function installFastLayout(font: fontkit.Font, bytes: Uint8Array, dir: string = cacheDir): void {
  const original = font.layout.bind(font);
  let shaper: FastShaper | null | undefined;
  font.layout = (text, features, script, language, direction) => {
    if (features === undefined && script === undefined && language === undefined && direction === undefined) {
      if (shaper === undefined) {
        try {
          const candidate = new FastShaper(font, loadShapeTable(font, bytes, dir));
          shaper = candidate.usable ? candidate : null;
        } catch {
          // fontkit's package or its Unicode data cannot be found where this module looks (an unusual install): shape with fontkit.
          shaper = null;
        }
      }
      const run = shaper?.layout(text);
      // A SimpleGlyphRun has every member of fontkit's GlyphRun; fontkit's own has a null language too, which its types do not admit.
      if (run) return run as unknown as fontkit.GlyphRun;
    }
    return original(text, features, script, language, direction);
  };
}

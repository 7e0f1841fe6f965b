// The fast path for simple Latin runs (pipeline/core/fastshape.ts) against fontkit's
// own layout: the same glyph ids and code points, the same advances and offsets,
// for every word of the samples and the synthetic briefs, for random strings, in
// every face the theme uses; the table kept on disk and read back; a warm run that
// never decodes GSUB or GPOS; and pdfkit drawing the same bytes with it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildShapeTable, FastShaper, installFastLayout, loadShapeTable, tableFile, type ShapeTable } from '../pipeline/core/fastshape.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { loadTheme } from '../pipeline/core/theme.ts';
import { WEIGHTS } from '../pipeline/core/theme.ts';
import { writeSyntheticBriefs } from './bench/synthetic.ts';
import { tempDir } from './temp.ts';

const theme = loadTheme();
/** Every font file a face of the theme uses (the deck's are the sans files). */
const faceFiles = [...new Set((['serif', 'sans', 'deck'] as const).flatMap((face) => WEIGHTS.map((w) => theme.fontFiles[face][w])))];

const open = (bytes: Buffer) => fontkit.create(bytes) as fontkit.Font;

/** What pdfkit and the layout read of a run, in a form to compare. */
function view(run: fontkit.GlyphRun) {
  return {
    glyphs: run.glyphs.map((g) => [g.id, ...g.codePoints]),
    positions: run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
    advanceWidth: run.advanceWidth,
    script: run.script,
    direction: run.direction,
    features: Object.keys(run.features).sort(),
  };
}

/**
 * The fast path (fontkit for what it declines, as installFastLayout does) on one font
 * object and fontkit alone on another of the same file, asked for the same texts in
 * the same order (fontkit's glyph objects keep the code points of their first
 * request). Returns how many texts took the fast path, and how many were kerned.
 */
function compare(bytes: Buffer, texts: Iterable<string>, table?: ShapeTable): { fast: number; total: number; kerned: number } {
  const mine = open(bytes);
  const plain = open(bytes);
  const shaper = new FastShaper(mine, table ?? buildShapeTable(mine));
  let fast = 0;
  let total = 0;
  let kerned = 0;
  for (const text of texts) {
    total++;
    const simple = shaper.layout(text);
    const run = simple ? (simple as unknown as fontkit.GlyphRun) : mine.layout(text);
    const reference = plain.layout(text);
    expect(view(run), JSON.stringify(text)).toEqual(view(reference));
    if (!simple) continue;
    fast++;
    if (reference.positions.some((p, i) => p.xAdvance !== reference.glyphs[i]!.advanceWidth)) kerned++;
  }
  return { fast, total, kerned };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Each word as the layout measures it, and with the space after it as pdfkit lays it out. */
function wordsOf(yamlFiles: readonly string[]): string[] {
  const words = new Set<string>();
  for (const file of yamlFiles) {
    for (const text of strings(parse(fs.readFileSync(file, 'utf8')))) {
      for (const word of text.split(/\s+/)) {
        if (!word) continue;
        words.add(word);
        words.add(`${word} `);
      }
    }
  }
  return [...words];
}

const sampleWords = wordsOf(['IF10199', 'IF11175', 'IF13201'].map((id) => path.join(projectRoot, 'data', 'briefs', id, 'brief.yaml')));

describe('fast shaping of simple runs', () => {
  it.each(faceFiles.map((f) => [path.basename(f), f]))('shapes every word of the samples as fontkit does: %s', (_, file) => {
    const { fast, total, kerned } = compare(fs.readFileSync(file), sampleWords);
    // The comparison means something only if the fast path is taken: nearly every word of an English brief is simple.
    expect(fast / total).toBeGreaterThan(0.99);
    expect(kerned).toBeGreaterThan(0);
  });

  it('shapes every word of the synthetic briefs as fontkit does', () => {
    const root = tempDir();
    writeSyntheticBriefs(root, 20);
    const files = fs.readdirSync(path.join(root, 'briefs')).map((id) => path.join(root, 'briefs', id, 'brief.yaml'));
    const words = wordsOf(files);
    for (const file of faceFiles) expect(compare(fs.readFileSync(file), words).fast).toBe(words.length);
  });

  it.each(faceFiles.map((f) => [path.basename(f), f]))('shapes random strings of simple characters as fontkit does: %s', (_, file) => {
    const bytes = fs.readFileSync(file);
    const table = buildShapeTable(open(bytes));
    // Kerned pairs are rare among 1,800 characters: draw from their characters often.
    const kernedChars = new Set<number>();
    const byGlyph = new Map(table.glyphs.map((g, i) => [g, table.codePoints[i]!]));
    for (const p of table.pairs) for (const key of p.keys) [Math.floor(key / 65536), key % 65536].forEach((g) => byGlyph.has(g) && kernedChars.add(byGlyph.get(g)!));
    expect(kernedChars.size).toBeGreaterThan(0);
    const char = fc.oneof(
      fc.constantFrom(...table.codePoints).map((cp) => String.fromCharCode(cp)),
      fc.constantFrom(...kernedChars).map((cp) => String.fromCharCode(cp)),
      fc.constantFrom(' ', '\u00a0', 'f', 'i', 'A', 'V', 'T', 'o', '1', '.', '-'),
    );
    const texts = fc.sample(fc.array(char, { maxLength: 16 }).map((a) => a.join('')), { numRuns: 3000, seed: 14 });
    const { fast, total, kerned } = compare(bytes, texts, table);
    // A string of characters simple in their own script can still hold a Common one simple only beside Latin letters.
    expect(fast / total).toBeGreaterThan(0.9);
    expect(kerned).toBeGreaterThan(100);
  });

  it('leaves anything else to fontkit, and agrees with it whenever it does not', () => {
    const file = theme.fontFiles.serif.regular;
    const char = fc.oneof(
      fc.constantFrom('a', 'f', 'i', 'A', 'V', ' ', '1', '/'),
      // Combining marks, joiners, a soft hyphen, the fraction slash, CJK, Hebrew, Greek, an astral character, i before a combining dot.
      fc.constantFrom('\u0301', '\u0307', '\u200d', '\u200b', '\u00ad', '\u2044', '尖', '\u05d0', '\u03b1', '\u{1d400}', '\ufb01', '\u02e5', '\u02de'),
    );
    const texts = fc.sample(fc.array(char, { maxLength: 10 }).map((a) => a.join('')), { numRuns: 2000, seed: 15 });
    const { fast, total } = compare(fs.readFileSync(file), texts);
    expect(fast).toBeGreaterThan(0);
    expect(fast).toBeLessThan(total);
    const shaper = new FastShaper(open(fs.readFileSync(file)), buildShapeTable(open(fs.readFileSync(file))));
    for (const text of ['cafe\u0301', 'i\u0307', 'a\u200db', 'soft\u00adhyphen', '1\u20442', 'U.S.-尖閣', 'αβ', '\u{1d400}']) expect(shaper.layout(text), text).toBeUndefined();
  });

  it('follows fontkit where a glyph object keeps the character it was first asked for', () => {
    // The soft hyphen and the hyphen share a glyph in Tinos; fontkit keeps one object per glyph with the code
    // points of its first request, and hides a glyph whose first code point is default-ignorable: once a soft
    // hyphen came first, every hyphen is laid out as a zero-width space. The fast path must not "correct" that.
    const bytes = fs.readFileSync(theme.fontFiles.serif.regular);
    const plain = open(bytes);
    expect(plain.glyphForCodePoint(0xad).id).toBe(plain.glyphForCodePoint(0x2d).id);
    expect(compare(bytes, ['\u00ad', 'a-b', 'well-known ', '1\u2215\u2044'])).toMatchObject({ fast: 0, total: 4 });
    expect(compare(bytes, ['a-b', 'well-known ', '\u00ad', 'x-y'])).toMatchObject({ fast: 3, total: 4 });
    // fontkit asks for the space glyph after every layout: the no-break space, which shares it, then reads as a space.
    expect(compare(bytes, ['word', 'a\u00a0b'])).toMatchObject({ fast: 2, total: 2 });
  });

  it('kerns as fontkit does with a legacy kern table when the font has no GPOS', () => {
    // Liberation Sans (pdf.js's copy) kerns in GPOS and in a kern table; without its GPOS, fontkit uses the kern table.
    const bytes = Buffer.from(fs.readFileSync(path.join(projectRoot, 'node_modules', 'pdfjs-dist', 'standard_fonts', 'LiberationSans-Regular.ttf')));
    for (let i = 0; i < bytes.readUInt16BE(4); i++) if (bytes.toString('latin1', 12 + 16 * i, 16 + 16 * i) === 'GPOS') bytes.write('XPOS', 12 + 16 * i, 'latin1');
    const tables = open(bytes) as unknown as { GPOS?: unknown; kern?: unknown };
    expect(tables.kern).toBeTruthy();
    expect(tables.GPOS).toBeUndefined();
    const texts = fc.sample(fc.array(fc.constantFrom(...'AVTWYLPoeya.,1 '), { maxLength: 8 }).map((a) => a.join('')), { numRuns: 1000, seed: 16 });
    const { fast, total, kerned } = compare(bytes, texts);
    expect(fast).toBe(total);
    expect(kerned).toBeGreaterThan(100);
  });
});

describe('the persisted table', () => {
  const bytes = fs.readFileSync(theme.fontFiles.serif.regular);
  /** A file whose checksum matches its (edited) body. */
  const rehashed = (body: string) => `${crypto.createHash('sha256').update(body).digest('hex')}\n${body}`;
  const bodyOf = (text: string) => text.slice(text.indexOf('\n') + 1);

  it('is written once, read back after, and keyed by the font bytes', () => {
    const dir = tempDir();
    const table = loadShapeTable(open(bytes), bytes, dir);
    const file = tableFile(bytes, dir);
    expect(fs.existsSync(file)).toBe(true);
    expect(tableFile(fs.readFileSync(theme.fontFiles.serif.bold), dir)).not.toBe(file);
    // A table edited on disk (with a matching checksum) is what the next load returns: it was read, not worked out again.
    const body = JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[1]!), notes: ['edited', 'edited'] });
    fs.writeFileSync(file, rehashed(body));
    const again = loadShapeTable(open(bytes), bytes, dir);
    expect(again.notes).toEqual(['edited', 'edited']);
    expect(again.codePoints).toEqual(table.codePoints);
  });

  it.each([
    ['cut short', (text: string) => text.slice(0, text.length / 2)],
    ['with a changed number', (text: string) => text.replace('"advances":[', '"advances":[1,')],
    ['empty', () => ''],
    ['of another format', (text: string) => rehashed(bodyOf(text).replace('"format":1,', '"format":0,'))],
    ['with arrays of different lengths', (text: string) => rehashed(bodyOf(text).replace('"advances":[', '"advances":[1,'))],
  ])('treats a file %s as a miss and writes it again', (_, damage) => {
    const dir = tempDir();
    const good = loadShapeTable(open(bytes), bytes, dir);
    const file = tableFile(bytes, dir);
    const intact = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, damage(intact));
    expect(loadShapeTable(open(bytes), bytes, dir)).toEqual(good);
    expect(fs.readFileSync(file, 'utf8')).toBe(intact);
  });

  it('is no error where the folder cannot be written', () => {
    const blocker = path.join(tempDir(), 'a-file');
    fs.writeFileSync(blocker, '');
    const dir = path.join(blocker, 'cache');
    const font = open(bytes);
    installFastLayout(font, bytes, dir);
    expect(font.layout('Tariffs').glyphs).toHaveLength(7);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('lets a warm run lay out simple text without decoding GSUB or GPOS', () => {
    const dir = tempDir();
    loadShapeTable(open(bytes), bytes, dir);
    const font = open(bytes);
    installFastLayout(font, bytes, dir);
    const decoded = () => Object.keys((font as unknown as { _tables: object })._tables);
    const plain = open(bytes);
    for (const word of sampleWords.slice(0, 500)) expect(view(font.layout(word))).toEqual(view(plain.layout(word)));
    expect(decoded()).not.toContain('GSUB');
    expect(decoded()).not.toContain('GPOS');
    // A combining accent is not simple: fontkit shapes it, and decodes the tables to do so.
    expect(view(font.layout('cafe\u0301'))).toEqual(view(plain.layout('cafe\u0301')));
    expect(decoded()).toEqual(expect.arrayContaining(['GSUB', 'GPOS']));
  });
});

describe('pdfkit with the fast path', () => {
  /** A PDF of `words` set in `font`, with every date fixed so that the same drawing gives the same bytes. */
  async function pdf(font: fontkit.Font, words: readonly string[]): Promise<Buffer> {
    const date = new Date(Date.UTC(2020, 0, 1));
    const doc = new PDFDocument({ autoFirstPage: false, font: null as unknown as string, info: { CreationDate: date, ModDate: date } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => doc.on('end', resolve));
    doc.registerFont('body', font as never);
    doc.addPage();
    for (let i = 0; i < words.length; i += 12) {
      doc.font('body').fontSize(9).text(words.slice(i, i + 12).join(' '), 40, 40 + ((i / 12) % 60) * 11, { lineBreak: false, wordSpacing: 0.5 });
      if ((i / 12) % 60 === 59) doc.addPage();
    }
    doc.end();
    await done;
    return Buffer.concat(chunks);
  }

  it.each([theme.fontFiles.serif.regular, theme.fontFiles.sans.bold].map((f) => [path.basename(f), f]))('draws the samples’ words in the same bytes: %s', async (_, file) => {
    const bytes = fs.readFileSync(file);
    const fast = open(bytes);
    installFastLayout(fast, bytes, tempDir());
    const words = sampleWords.filter((w) => !w.endsWith(' '));
    expect((await pdf(fast, words)).equals(await pdf(open(bytes), words))).toBe(true);
  });
});

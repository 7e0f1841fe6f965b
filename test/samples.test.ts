// The two In Focus samples beyond IF10199 (IF13201 with a table, IF11175 with a
// text box and a figure whose numbers are not published) against their sources:
// the neutral JSON transcription and the plain-text reading order, both in
// test/fixtures/<ID>/. Every block of the source is in brief.yaml, in the same
// order and with the same bold and italic; nothing was added; the reading order
// is the order in which the brief prints its blocks.
//
// brief.yaml uses fields the pipeline does not read yet (tables, text boxes,
// section levels, cross-references, figure images), so the briefs are read
// here with the yaml package, not through the pipeline's loader.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLValidator } from 'fast-xml-parser';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { plainText, type Run } from '../pipeline/core/text.ts';
import { parseInline } from '../pipeline/input/inline.ts';

/** Where the briefs live. */
const BRIEFS_DIR = path.join(projectRoot, 'data', 'briefs');
const FIXTURES_DIR = path.join(projectRoot, 'test', 'fixtures');
const SAMPLES = ['IF13201', 'IF11175'] as const;

// ---------------------------------------------------------------------------
// The source: neutral JSON, one object per printed block.

interface SourceFootnote {
  mark: string;
  text: string;
}
interface SourceLabelled {
  source: string | null;
  source_label?: string | null;
}
type SourceBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'bullets'; items: string[] }
  | (SourceLabelled & {
      type: 'table';
      title: string;
      subtitle?: string | null;
      columns: string[];
      rows: string[][];
      notes: string | null;
      footnotes?: SourceFootnote[] | null;
    })
  | (SourceLabelled & {
      type: 'figure';
      title: string;
      subtitle?: string | null;
      kind?: string;
      data: unknown;
      notes: string | null;
      image_description?: string;
    })
  | (SourceLabelled & { type: 'textbox'; title: string; blocks: SourceBlock[] });
interface SourceSection {
  heading: string | null;
  level?: number;
  blocks: SourceBlock[];
}
interface SourceBrief {
  id: string;
  series: string;
  title: string;
  updated: string;
  version: number;
  date_line: string;
  source_url: string;
  official_url: string;
  authors: { name: string; role?: string | null; title: string }[];
  sections: SourceSection[];
  resources: unknown[];
  disclaimer: string;
}

// ---------------------------------------------------------------------------
// The brief: brief.yaml and the files it names.

interface YamlFootnote {
  mark: string;
  text: string;
}
interface YamlTextbox {
  title: string;
  blocks: YamlBlock[];
  source?: string;
  sourceLabel?: string;
}
interface YamlBlock {
  paragraph?: string;
  bullets?: string[];
  figure?: string;
  table?: string;
  textbox?: YamlTextbox;
}
interface YamlSection {
  heading?: string;
  level?: number;
  keyPoints?: unknown;
  blocks: YamlBlock[];
}
interface YamlTable {
  id: string;
  title: string;
  subtitle?: string;
  data: string;
  columns: { column: string; align: string }[];
  totalRow?: boolean;
  notes?: string;
  footnotes?: YamlFootnote[];
  source?: string;
  sourceLabel?: string;
}
interface YamlFigure {
  id: string;
  title: string;
  subtitle?: string;
  source?: string;
  sourceLabel?: string;
  notes?: string;
  alt: string;
  image?: string;
  chart?: unknown;
}
interface YamlBrief {
  id: string;
  series: string;
  title: string;
  updated: string;
  version: number;
  language: string;
  publisher: unknown;
  authors: { name: string; role?: string; title: string }[];
  summary?: unknown;
  sections: YamlSection[];
  figures?: YamlFigure[];
  tables?: YamlTable[];
  relatedReports?: unknown;
  disclaimer: string;
}

/** Field names are an interface other people write against: only these. */
const KEYS = {
  brief: ['id', 'series', 'title', 'shortTitle', 'updated', 'version', 'language', 'publisher', 'authors', 'summary', 'sections', 'figures', 'tables', 'relatedReports', 'disclaimer'],
  author: ['name', 'role', 'title'],
  section: ['heading', 'level', 'keyPoints', 'blocks'],
  block: ['paragraph', 'bullets', 'figure', 'table', 'textbox'],
  textbox: ['title', 'blocks', 'source', 'sourceLabel'],
  table: ['id', 'title', 'subtitle', 'data', 'columns', 'totalRow', 'notes', 'footnotes', 'source', 'sourceLabel', 'width'],
  column: ['column', 'align'],
  footnote: ['mark', 'text'],
  figure: ['id', 'title', 'subtitle', 'source', 'sourceLabel', 'notes', 'alt', 'image', 'chart'],
} as const;

const YAML_OPTIONS = { version: '1.2', uniqueKeys: true } as const;
/** A cross-reference to a figure or table of the brief: `[](#id)`, printed "Figure N" / "Table N". */
const XREF = /(?<!\\)\[\]\(#([A-Za-z0-9_-]+)\)/g;

interface Loaded {
  dir: string;
  yamlText: string;
  brief: YamlBrief;
  source: SourceBrief;
  readingOrder: string[];
  /** Cells of each table by id, header row first, as the CSV holds them (none if it does not parse). */
  csv: Map<string, string[][]>;
  /** Why a table's CSV did not parse, by id. */
  csvErrors: Map<string, string>;
  /** "Figure 1", "Table 1", … by id, numbered in order of placement. */
  labels: Map<string, string>;
}

function load(id: string): Loaded {
  const dir = path.join(BRIEFS_DIR, id);
  const yamlText = fs.readFileSync(path.join(dir, 'brief.yaml'), 'utf8');
  const brief = parseDocument(yamlText, YAML_OPTIONS).toJS() as YamlBrief;
  const source = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, id, 'source.json'), 'utf8')) as SourceBrief;
  const readingOrder = fs
    .readFileSync(path.join(FIXTURES_DIR, id, 'reading-order.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const csv = new Map<string, string[][]>();
  const csvErrors = new Map<string, string>();
  for (const table of brief.tables ?? []) {
    try {
      csv.set(table.id, readCsv(path.join(dir, table.data)));
    } catch (error) {
      csv.set(table.id, []);
      csvErrors.set(table.id, (error as Error).message);
    }
  }
  const labels = new Map<string, string>();
  let figures = 0;
  let tables = 0;
  const number = (blocks: readonly YamlBlock[]) => {
    for (const block of blocks) {
      if (block.figure !== undefined && !labels.has(block.figure)) labels.set(block.figure, `Figure ${++figures}`);
      if (block.table !== undefined && !labels.has(block.table)) labels.set(block.table, `Table ${++tables}`);
      if (block.textbox) number(block.textbox.blocks);
    }
  };
  for (const section of brief.sections) number(section.blocks);
  return { dir, yamlText, brief, source, readingOrder, csv, csvErrors, labels };
}

function readCsv(file: string): string[][] {
  return parseCsv(fs.readFileSync(file, 'utf8'), { bom: false, relax_column_count: false, relax_quotes: false, skip_empty_lines: false });
}

// ---------------------------------------------------------------------------
// Both sides brought to one model of what the brief prints.

interface Footnote {
  mark: string;
  text: string;
}
type Item =
  | { kind: 'section'; heading: string | null; level: number }
  | { kind: 'paragraph'; runs: Run[] }
  | { kind: 'bullets'; items: Run[][] }
  | {
      kind: 'table';
      title: string;
      subtitle: string | null;
      columns: string[];
      rows: string[][];
      notes: string | null;
      footnotes: Footnote[];
      source: string | null;
      sourceLabel: string;
    }
  | { kind: 'figure'; title: string; subtitle: string | null; notes: string | null; source: string | null; sourceLabel: string }
  | { kind: 'textbox'; title: string; blocks: Item[]; source: string | null; sourceLabel: string };

function sourceItems(source: SourceBrief): Item[] {
  const blocks = (list: readonly SourceBlock[]): Item[] =>
    list.map((block): Item => {
      switch (block.type) {
        case 'paragraph':
          return { kind: 'paragraph', runs: parseInline(block.text) };
        case 'bullets':
          return { kind: 'bullets', items: block.items.map((item) => parseInline(item)) };
        case 'table':
          return {
            kind: 'table',
            title: block.title,
            subtitle: block.subtitle ?? null,
            columns: block.columns,
            rows: block.rows,
            notes: block.notes,
            footnotes: block.footnotes ?? [],
            source: block.source,
            sourceLabel: block.source_label ?? 'Source',
          };
        case 'figure':
          return { kind: 'figure', title: block.title, subtitle: block.subtitle ?? null, notes: block.notes, source: block.source, sourceLabel: block.source_label ?? 'Source' };
        case 'textbox':
          return { kind: 'textbox', title: block.title, blocks: blocks(block.blocks), source: block.source, sourceLabel: block.source_label ?? 'Source' };
      }
    });
  return source.sections.flatMap((section): Item[] => [{ kind: 'section', heading: section.heading, level: section.level ?? 1 }, ...blocks(section.blocks)]);
}

/** Inline text as printed: cross-references become "Figure N" / "Table N", then the markup is parsed. */
function runsOf(loaded: Loaded, text: string): Run[] {
  const resolved = text.replace(XREF, (_match, id: string) => {
    const label = loaded.labels.get(id);
    if (!label) throw new Error(`cross-reference to "${id}", which is not a figure or table placed in the brief`);
    return label;
  });
  return parseInline(resolved);
}

function briefItems(loaded: Loaded): Item[] {
  const { brief } = loaded;
  const label = (id: string) => loaded.labels.get(id) ?? `(${id} is not placed)`;
  const blocks = (list: readonly YamlBlock[]): Item[] =>
    list.map((block): Item => {
      if (block.paragraph !== undefined) return { kind: 'paragraph', runs: runsOf(loaded, block.paragraph) };
      if (block.bullets !== undefined) return { kind: 'bullets', items: block.bullets.map((item) => runsOf(loaded, item)) };
      if (block.table !== undefined) {
        const table = brief.tables?.find((t) => t.id === block.table);
        if (!table) throw new Error(`table "${block.table}" is placed but not defined`);
        const [header = [], ...rows] = loaded.csv.get(table.id) ?? [];
        return {
          kind: 'table',
          title: `${label(table.id)}. ${table.title}`,
          subtitle: table.subtitle ?? null,
          columns: header,
          rows,
          notes: table.notes ?? null,
          footnotes: table.footnotes ?? [],
          source: table.source ?? null,
          sourceLabel: table.sourceLabel ?? 'Source',
        };
      }
      if (block.figure !== undefined) {
        const figure = brief.figures?.find((f) => f.id === block.figure);
        if (!figure) throw new Error(`figure "${block.figure}" is placed but not defined`);
        return {
          kind: 'figure',
          title: `${label(figure.id)}. ${figure.title}`,
          subtitle: figure.subtitle ?? null,
          notes: figure.notes ?? null,
          source: figure.source ?? null,
          sourceLabel: figure.sourceLabel ?? 'Source',
        };
      }
      if (block.textbox !== undefined) {
        const box = block.textbox;
        return { kind: 'textbox', title: box.title, blocks: blocks(box.blocks), source: box.source ?? null, sourceLabel: box.sourceLabel ?? 'Source' };
      }
      throw new Error(`a block with none of ${KEYS.block.join(', ')}: ${JSON.stringify(block)}`);
    });
  return brief.sections.flatMap((section): Item[] => [{ kind: 'section', heading: section.heading ?? null, level: section.level ?? 1 }, ...blocks(section.blocks)]);
}

/** The date line the templates print: version 1 the date alone, later versions "Updated …". */
function dateLine(brief: YamlBrief): string {
  const date = new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${brief.updated}T00:00:00Z`));
  return brief.version > 1 ? `Updated ${date}` : date;
}

const marksAsLetters = (cell: string) => cell.replace(/\^([a-z])/g, '$1');
const authorLine = (a: { name: string; role?: string | null; title: string }) => `${a.name}${a.role ? `, ${a.role}` : ''}, ${a.title}`;

/** Every block the brief prints, one string each, in reading order (footnote marks as the plain letters they print as). */
function printedBlocks(loaded: Loaded): string[] {
  const out: string[] = [dateLine(loaded.brief), loaded.brief.title];
  const sourceLine = (item: { source: string | null; sourceLabel: string }) => (item.source === null ? [] : [`${item.sourceLabel}: ${item.source}`]);
  const walk = (items: readonly Item[]) => {
    for (const item of items) {
      switch (item.kind) {
        case 'section':
          if (item.heading !== null) out.push(item.heading);
          break;
        case 'paragraph':
          out.push(plainText(item.runs));
          break;
        case 'bullets':
          out.push(...item.items.map((runs) => plainText(runs)));
          break;
        case 'table':
          out.push(item.title, ...(item.subtitle === null ? [] : [item.subtitle]), ...item.columns, ...item.rows.flat().map(marksAsLetters));
          out.push(...sourceLine(item), ...(item.notes === null ? [] : [`Notes: ${item.notes}`]), ...item.footnotes.map((f) => `${f.mark}. ${f.text}`));
          break;
        case 'figure':
          out.push(item.title, ...(item.subtitle === null ? [] : [item.subtitle]), ...sourceLine(item), ...(item.notes === null ? [] : [`Notes: ${item.notes}`]));
          break;
        case 'textbox':
          out.push(item.title);
          walk(item.blocks);
          out.push(...sourceLine(item));
          break;
      }
    }
  };
  walk(briefItems(loaded));
  out.push(...loaded.brief.authors.map(authorLine), loaded.brief.id, 'Disclaimer', loaded.brief.disclaimer);
  return out;
}

/** The same for the JSON, walked directly (not through the model), for the count of characters. */
function sourcePrintedText(source: SourceBrief): string[] {
  const out: string[] = [source.date_line, source.title];
  const labelled = (b: SourceLabelled) => (b.source === null ? [] : [`${b.source_label ?? 'Source'}: ${b.source}`]);
  const walk = (blocks: readonly SourceBlock[]) => {
    for (const b of blocks) {
      if (b.type === 'paragraph') out.push(plainText(parseInline(b.text)));
      else if (b.type === 'bullets') out.push(...b.items.map((i) => plainText(parseInline(i))));
      else if (b.type === 'table') {
        out.push(b.title, b.subtitle ?? '', ...b.columns, ...b.rows.flat().map(marksAsLetters), ...labelled(b), b.notes === null ? '' : `Notes: ${b.notes}`);
        out.push(...(b.footnotes ?? []).map((f) => `${f.mark}. ${f.text}`));
      } else if (b.type === 'figure') out.push(b.title, b.subtitle ?? '', ...labelled(b), b.notes === null ? '' : `Notes: ${b.notes}`);
      else {
        out.push(b.title);
        walk(b.blocks);
        out.push(...labelled(b));
      }
    }
  };
  for (const section of source.sections) {
    if (section.heading !== null) out.push(section.heading);
    walk(section.blocks);
  }
  out.push(...source.authors.map(authorLine), source.id, 'Disclaimer', source.disclaimer);
  return out;
}

const histogram = (s: string) => [...s.replace(/\s+/g, '')].sort().reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>());

/** Every inline text of the brief (paragraphs and bullets, in text boxes too), as written. */
function inlineTexts(brief: YamlBrief): string[] {
  const texts: string[] = [];
  const walk = (blocks: readonly YamlBlock[]) => {
    for (const b of blocks) {
      if (b.paragraph !== undefined) texts.push(b.paragraph);
      if (b.bullets !== undefined) texts.push(...b.bullets);
      if (b.textbox) walk(b.textbox.blocks);
    }
  };
  for (const s of brief.sections) walk(s.blocks);
  return texts;
}

/** Keys of `value` that are not in `allowed`, with where they were found. */
function strayKeys(brief: YamlBrief): string[] {
  const stray: string[] = [];
  const check = (where: string, value: unknown, allowed: readonly string[]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      stray.push(`${where} is not a mapping`);
      return;
    }
    for (const key of Object.keys(value)) if (!allowed.includes(key)) stray.push(`${where}.${key}`);
  };
  const blocks = (where: string, list: readonly YamlBlock[]) =>
    list.forEach((b, i) => {
      check(`${where}[${i}]`, b, KEYS.block);
      if (Object.keys(b).length !== 1) stray.push(`${where}[${i}] holds ${Object.keys(b).join(' and ')}`);
      if (b.textbox) {
        check(`${where}[${i}].textbox`, b.textbox, KEYS.textbox);
        blocks(`${where}[${i}].textbox.blocks`, b.textbox.blocks);
      }
    });
  check('brief', brief, KEYS.brief);
  brief.authors.forEach((a, i) => check(`authors[${i}]`, a, KEYS.author));
  brief.sections.forEach((s, i) => {
    check(`sections[${i}]`, s, KEYS.section);
    blocks(`sections[${i}].blocks`, s.blocks);
  });
  (brief.tables ?? []).forEach((t, i) => {
    check(`tables[${i}]`, t, KEYS.table);
    t.columns.forEach((c, j) => check(`tables[${i}].columns[${j}]`, c, KEYS.column));
    (t.footnotes ?? []).forEach((f, j) => check(`tables[${i}].footnotes[${j}]`, f, KEYS.footnote));
  });
  (brief.figures ?? []).forEach((f, i) => check(`figures[${i}]`, f, KEYS.figure));
  return stray;
}

/** Files of the brief's folder: brief.yaml and every file it names. */
function namedFiles(brief: YamlBrief): string[] {
  return ['brief.yaml', ...(brief.tables ?? []).map((t) => t.data), ...(brief.figures ?? []).flatMap((f) => (f.image ? [f.image] : []))];
}

const IF10199_PUBLISHER = (
  parseDocument(fs.readFileSync(path.join(projectRoot, 'data', 'briefs', 'IF10199', 'brief.yaml'), 'utf8'), YAML_OPTIONS).toJS() as YamlBrief
).publisher;

for (const id of SAMPLES) {
  describe(`the ${id} sample against its source`, () => {
    const loaded = load(id);
    const { brief, source } = loaded;

    describe('files', () => {
      it('holds brief.yaml and the files it names, nothing else', () => {
        expect(fs.readdirSync(loaded.dir).sort()).toEqual([...new Set(namedFiles(brief))].sort());
        for (const name of namedFiles(brief)) expect(name, 'a plain file name next to brief.yaml').toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      });

      it('writes every file as UTF-8 with \\n line ends, a final newline, no tabs, no trailing spaces', () => {
        for (const name of namedFiles(brief)) {
          const bytes = fs.readFileSync(path.join(loaded.dir, name));
          const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
          expect(text.charCodeAt(0), `${name} starts with a BOM`).not.toBe(0xfeff);
          expect(text, name).not.toMatch(/\r/);
          expect(text, name).not.toMatch(/\t/);
          expect(text.endsWith('\n') && !text.endsWith('\n\n'), `${name} ends with one newline`).toBe(true);
          const trailing = text.split('\n').flatMap((line, i) => (/[ \t]$/.test(line) ? [`${name}:${i + 1}`] : []));
          expect(trailing).toEqual([]);
        }
      });

      it('parses as YAML 1.2 with unique keys, without errors or warnings', () => {
        const doc = parseDocument(loaded.yamlText, YAML_OPTIONS);
        expect(doc.errors.map((e) => e.message)).toEqual([]);
        expect(doc.warnings.map((e) => e.message)).toEqual([]);
      });

      it('uses only the agreed field names', () => {
        expect(strayKeys(brief)).toEqual([]);
      });

      it('parses every CSV, with as many cells in every row as in the header', () => {
        expect(Object.fromEntries(loaded.csvErrors)).toEqual({});
        for (const table of brief.tables ?? []) {
          const rows = loaded.csv.get(table.id)!;
          expect(rows.length).toBeGreaterThan(1);
          expect(rows.map((r) => r.length)).toEqual(rows.map(() => rows[0]!.length));
        }
      });
    });

    describe('the brief’s metadata', () => {
      it('has the source’s id, series, title, date, version and authors', () => {
        expect(brief.id).toBe(id);
        expect(source.id).toBe(id);
        expect(brief.series).toBe(source.series);
        expect(brief.title).toBe(source.title);
        expect(brief.updated).toBe(source.updated);
        expect(loaded.yamlText).toMatch(/^updated: "\d{4}-\d{2}-\d{2}"$/m);
        expect(brief.version).toBe(source.version);
        expect(brief.language).toBe('en-US');
        expect(brief.publisher).toEqual(IF10199_PUBLISHER);
        expect(brief.authors.map(authorLine)).toEqual(source.authors.map(authorLine));
      });

      it('prints the source’s date line (version 1 the date alone, later versions "Updated …")', () => {
        expect(dateLine(brief)).toBe(source.date_line);
      });

      it('has the disclaimer character for character, folded', () => {
        expect(brief.disclaimer).toBe(source.disclaimer);
        expect(loaded.yamlText).toMatch(/^disclaimer: >-$/m);
      });

      it('adds no summary, key points or related reports the source lacks', () => {
        expect(brief.summary).toBeUndefined();
        expect(brief.sections.filter((s) => s.keyPoints !== undefined)).toEqual([]);
        if (source.resources.length === 0) expect(brief.relatedReports).toBeUndefined();
      });
    });

    describe('the blocks', () => {
      it('holds every block of the source, in order: headings and levels, text with its bold and italic, tables, figures, text boxes', () => {
        expect(briefItems(loaded)).toEqual(sourceItems(source));
      });

      it('places every figure and table exactly once and defines every one it places', () => {
        const placed: string[] = [];
        const walk = (blocks: readonly YamlBlock[]) => {
          for (const b of blocks) {
            if (b.figure !== undefined) placed.push(b.figure);
            if (b.table !== undefined) placed.push(b.table);
            if (b.textbox) walk(b.textbox.blocks);
          }
        };
        brief.sections.forEach((s) => walk(s.blocks));
        const defined = [...(brief.figures ?? []), ...(brief.tables ?? [])].map((x) => x.id);
        expect([...placed].sort()).toEqual([...defined].sort());
        expect(new Set(placed).size).toBe(placed.length);
      });

      it('gives every table a column spec matching its CSV header, in order', () => {
        for (const table of brief.tables ?? []) {
          expect(table.columns.map((c) => c.column)).toEqual(loaded.csv.get(table.id)![0]);
          for (const c of table.columns) expect(['left', 'right', 'center']).toContain(c.align);
          expect(table.title).not.toMatch(/^Table \d/);
          expect(table.totalRow).toBeUndefined();
        }
      });

      it('draws no figure whose numbers the source does not give: an image instead of a chart, with alt text', () => {
        const sourceFigures = source.sections.flatMap((s) => s.blocks).filter((b) => b.type === 'figure');
        expect(brief.figures ?? []).toHaveLength(sourceFigures.length);
        sourceFigures.forEach((sf, i) => {
          const figure = brief.figures![i]!;
          expect(figure.title).not.toMatch(/^Figure \d/);
          expect(figure.alt.trim().length).toBeGreaterThan(40);
          if (sf.data === null) {
            expect(figure.chart).toBeUndefined();
            expect(figure.image).toMatch(/\.svg$/);
          }
        });
      });

      it('writes every cross-reference to a figure or table as [](#id), and only to this brief’s own', () => {
        for (const text of inlineTexts(brief)) {
          for (const m of text.matchAll(XREF)) expect(loaded.labels.has(m[1]!), m[0]).toBe(true);
          expect(text.replace(XREF, ''), 'a "Figure N" or "Table N" written out').not.toMatch(/\b(Figure|Table) \d/);
        }
      });
    });

    describe('nothing added', () => {
      it('prints the same characters as the source, in the same numbers', () => {
        expect(histogram(printedBlocks(loaded).join(''))).toEqual(histogram(sourcePrintedText(source).join('')));
      });
    });

    describe('the reading order', () => {
      it('finds every line of reading-order.txt among the printed blocks, in order', () => {
        const printed = printedBlocks(loaded);
        let at = 0;
        const missing: string[] = [];
        for (const line of loaded.readingOrder) {
          const found = printed.indexOf(line, at);
          if (found < 0) missing.push(line);
          else at = found + 1;
        }
        expect(missing).toEqual([]);
      });

      it('and the brief prints no block the reading order lacks', () => {
        expect(printedBlocks(loaded)).toEqual(loaded.readingOrder);
      });
    });
  });
}

describe('the placeholder for a figure whose numbers are not published', () => {
  const images = SAMPLES.flatMap((id) => {
    const brief = parseDocument(fs.readFileSync(path.join(BRIEFS_DIR, id, 'brief.yaml'), 'utf8'), YAML_OPTIONS).toJS() as YamlBrief;
    return (brief.figures ?? []).flatMap((f) => (f.image ? [path.join(BRIEFS_DIR, id, f.image)] : []));
  });

  it('exists', () => {
    expect(images.length).toBeGreaterThan(0);
  });

  it.each(images.map((file) => [path.relative(BRIEFS_DIR, file), file]))('%s is a small, self-contained SVG that says so and draws nothing else', (_name, file) => {
    const svg = fs.readFileSync(file, 'utf8');
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* viewBox="0 0 2\d\d 1\d\d"/);
    // No scripts, no external references, no embedded images or styles.
    expect(svg).not.toMatch(/<script|<image|<use|<foreignObject|<style|href|url\(|@import|\bon[a-z]+=/i);
    // Only a frame and text: no bars, no axes.
    const elements = [...svg.matchAll(/<([a-zA-Z][\w:-]*)/g)].map((m) => m[1]);
    expect(new Set(elements)).toEqual(new Set(['svg', 'rect', 'g', 'text']));
    expect(elements.filter((e) => e === 'rect')).toHaveLength(1);
    const fonts = [...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(fonts)).toEqual(new Set(['sans-serif']));
    const lines = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(svg).toMatch(/text-anchor="middle"/);
    expect(svg).not.toMatch(/text-anchor="(start|end)"/);
    const sentence = lines.join(' ');
    expect(sentence).toMatch(/not reproduced/);
    expect(sentence).toMatch(/no values/);
    // No number beyond the two endpoint years the sentence names, in the text or in its label.
    expect(sentence.match(/\d+/g)).toEqual(['2006', '2025']);
    for (const label of svg.matchAll(/aria-label="([^"]*)"/g)) expect(label[1]!.match(/\d+/g) ?? []).toEqual(['2006', '2025']);
  });
});

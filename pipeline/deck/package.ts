// Post-processing of the zip pptxgenjs writes, so that the deck is byte-identical
// across builds and opens without a repair prompt:
// - every entry (and every entry of embedded chart workbooks) gets a fixed timestamp;
// - docProps dates come from the brief, not the clock;
// - [Content_Types].xml lists exactly the parts that exist (pptxgenjs 4.0.1 adds
//   overrides for slide masters it never writes: gitbrent/PptxGenJS#1444) and
//   registers no extension that no part has (#1449);
// - every shape has a text body, as PowerPoint's repair adds to text-less
//   rectangles and lines (#1441);
// - the notes master has the empty shape tree PowerPoint's repair leaves of the
//   six placeholders pptxgenjs writes (#1443); notes keep their text;
// - the notes keep the data's italics and bold: pptxgenjs writes them as one run of
//   plain text (addNotes takes a string), which becomes a paragraph a line, in runs;
// - no folder entries in the zip (#1449);
// - a paragraph holds one <a:pPr>: pptxgenjs writes one per run, so a paragraph
//   of several runs (a link followed by plain text) is invalid and viewers disagree
//   about which properties win;
// - characters XML 1.0 forbids are removed from every part, and from every part of
//   the charts' embedded workbooks (validate strips them from the data with a
//   warning; this is the last guard, whatever reaches the deck stage);
// - every `lang` attribute names the brief's language: pptxgenjs 4.0.1 writes
//   lang="en-US" on notes, paragraph ends, slide numbers and the masters' defaults
//   with no option to change it, and its text-run option adds altLang="en-US";
// - a table's first row is marked as its header row (`firstRow="1" bandRow="1"`,
//   which pptxgenjs never writes: #1299), for screen readers and table styles;
// - shape ids are unique on each slide: pptxgenjs numbers a table by slide number
//   and tables so far, which can repeat another shape's id;
// - line charts and the lines of a combination chart are made valid: the
//   <c:grouping> CT_LineChart requires, no <c:invertIfNegative> (a bar's, not a
//   line's), <c:marker> before <c:dLbls>, each marker in its line's color (pptxgenjs indexes
//   the colors by the series' place in the whole chart, randomly past the end);
//   the reference lines render.ts names are dashed and have no markers;
// - a chart group names only axes that exist: pptxgenjs gives 2-D bar and line
//   charts the id of a series axis it never writes, and PowerPoint asks to repair
//   every such deck (#1534);
// - an SVG picture's PNG fallback, which pptxgenjs cannot make in Node (it writes a
//   "broken image" placeholder), is the PNG render.ts drew of the SVG.
import { createHash } from 'node:crypto';
import posix from 'node:path/posix';
import JSZip from 'jszip';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import { FORBIDDEN_CHARS } from '../core/text.ts';
import { writeZip, type ZipEntry } from '../core/zip.ts';
import type { Run } from './model.ts';

/** What the package step needs to know of the deck that the zip does not say. */
export interface PackageFixes {
  /** PNG of each SVG picture, by the SHA-256 (hex) of the SVG's bytes. */
  readonly svgFallbacks?: ReadonlyMap<string, Uint8Array>;
  /** By chart part (ppt/charts/chartN.xml): the series (c:idx) that are reference lines. */
  readonly referenceSeries?: ReadonlyMap<string, ReadonlySet<number>>;
  /** By notes part (ppt/notesSlides/notesSlideN.xml): the notes in runs, whose plain text pptxgenjs wrote there. */
  readonly notes?: ReadonlyMap<string, readonly Run[]>;
}

/** A deck's zip as pptxgenjs built it, and its charts' workbooks, each taken as built too. */
export interface CaughtDeck {
  readonly zip: JSZip;
  /** By the stand-in bytes (read as Latin-1) the deck's zip holds in the workbook's place. */
  readonly workbooks: ReadonlyMap<string, JSZip>;
}

/**
 * An entry's content as pptxgenjs gave it: the text itself, for the XML parts it
 * added as strings. JSZip's own reading (async('uint8array')) sends each part
 * through its stream workers and encodes it as UTF-8, for this module to decode
 * again: ~2 ms of a deck's ~60 parts. JSZip 3 keeps a string part as a promise
 * of the string (`_data`, with `_dataBinary` false); anything else, such as a part
 * of a zip it read, is read the documented way.
 */
async function entryContent(entry: JSZip.JSZipObject): Promise<Uint8Array | string> {
  const internals = entry as unknown as { _data?: unknown; _dataBinary?: unknown };
  if (internals._dataBinary === false && internals._data instanceof Promise) {
    const text: unknown = await internals._data;
    if (typeof text === 'string') return text;
  }
  return entry.async('uint8array');
}

async function rezip(zip: JSZip, date: Date, transform: (name: string, data: Uint8Array | string) => Promise<Uint8Array | string>): Promise<Buffer> {
  const entries: ZipEntry[] = [];
  // Keep pptxgenjs's entry order ([Content_Types].xml first), which is deterministic.
  for (const name of Object.keys(zip.files)) {
    const entry = zip.files[name]!;
    if (entry.dir) continue;
    entries.push({ name, data: await transform(name, await entryContent(entry)) });
  }
  return writeZip(entries, date);
}

function fixCoreDates(xml: string, isoDateTime: string): string {
  return xml
    .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${isoDateTime}$2`)
    .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${isoDateTime}$2`);
}

function fixContentTypes(xml: string, names: ReadonlySet<string>): string {
  const extensions = new Set([...names].map((n) => n.slice(n.lastIndexOf('.') + 1).toLowerCase()));
  return xml
    .replace(/<Override\s+PartName="\/([^"]+)"[^>]*\/>/g, (whole, part: string) => (names.has(part) ? whole : ''))
    .replace(/<Default\s+Extension="([^"]+)"[^>]*\/>/g, (whole, ext: string) => (extensions.has(ext.toLowerCase()) ? whole : ''));
}

const EMPTY_TEXT_BODY = '<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody>';

export function textBodyForEveryShape(xml: string): string {
  return xml.replace(/<p:sp>([\s\S]*?)<\/p:sp>/g, (whole, inner: string) => {
    if (inner.includes('<p:txBody>')) return whole;
    const ext = inner.lastIndexOf('<p:extLst>');
    return ext >= 0 ? `<p:sp>${inner.slice(0, ext)}${EMPTY_TEXT_BODY}${inner.slice(ext)}</p:sp>` : `<p:sp>${inner}${EMPTY_TEXT_BODY}</p:sp>`;
  });
}

export function emptyNotesMasterShapes(xml: string): string {
  return xml.replace(/(<p:spTree>[\s\S]*?<\/p:grpSpPr>)[\s\S]*?(<\/p:spTree>)/, '$1$2');
}

export function onePropertiesPerParagraph(xml: string): string {
  return xml.replace(/<a:p>([\s\S]*?)<\/a:p>/g, (_whole, inner: string) => {
    let seen = false;
    const cleaned = inner.replace(/<a:pPr\b[^>]*\/>|<a:pPr\b[^>]*>[\s\S]*?<\/a:pPr>/g, (pPr) => {
      if (seen) return '';
      seen = true;
      return pPr;
    });
    return `<a:p>${cleaned}</a:p>`;
  });
}

/** `language` is a validated language tag (letters, digits and '-'), safe inside an attribute. */
export function setLanguage(xml: string, language: string): string {
  // The attribute (after white space), not the words in a run's text. The space matched and put back, not
  // looked behind for: V8 ran the lookbehind at every position of the deck's XML (0.43 -> 0.25 ms a deck).
  return xml.replace(/(\s)lang="en-US"/g, `$1lang="${language}"`);
}

/** Every table's first row is its header row. */
export function headerRowTables(xml: string): string {
  return xml.replace(/<a:tblPr\/>/g, '<a:tblPr firstRow="1" bandRow="1"/>');
}

/** A shape id seen before on the slide becomes one above all its ids. */
export function uniqueShapeIds(xml: string): string {
  const ids = [...xml.matchAll(/<p:cNvPr id="(\d+)"/g)].map((m) => Number(m[1]));
  let next = Math.max(0, ...ids) + 1;
  const seen = new Set<number>();
  return xml.replace(/<p:cNvPr id="(\d+)"/g, (whole, id: string) => {
    if (!seen.has(Number(id))) {
      seen.add(Number(id));
      return whole;
    }
    return `<p:cNvPr id="${next++}"`;
  });
}

/**
 * Every chart group names only axes that exist. pptxgenjs 4.0.1 gives each 2-D bar
 * and line chart a third axis id, of a series axis it writes only for 3-D charts;
 * PowerPoint then asks to repair the file (gitbrent/PptxGenJS#1534). The id goes
 * from every group at once, so the groups of a combination chart keep sharing
 * their axes.
 */
export function noOrphanAxisIds(xml: string): string {
  const defined = new Set([...xml.matchAll(/<c:(?:catAx|valAx|serAx|dateAx)>\s*<c:axId val="(\d+)"\/>/g)].map((m) => m[1]!));
  return xml.replace(/<c:axId val="(\d+)"\/>/g, (whole, id: string) => (defined.has(id) ? whole : ''));
}

/** Line charts as CT_LineChart and CT_LineSer allow them; `references` are the c:idx of reference lines. */
export function fixLineCharts(xml: string, references: ReadonlySet<number> = new Set()): string {
  return xml.replace(/<c:lineChart>([\s\S]*?)<\/c:lineChart>/g, (_whole, inner: string) => {
    let body = inner.includes('<c:grouping ') ? inner : `<c:grouping val="standard"/>${inner}`;
    body = body.replace(/<c:ser>([\s\S]*?)<\/c:ser>/g, (_ser, ser: string) => `<c:ser>${lineSeries(ser, references)}</c:ser>`);
    return `<c:lineChart>${body}</c:lineChart>`;
  });
}

function lineSeries(ser: string, references: ReadonlySet<number>): string {
  const idx = Number(/<c:idx val="(\d+)"\/>/.exec(ser)?.[1]);
  // The series' own shape properties come before its marker's.
  const lineFill = /<c:spPr>[\s\S]*?<a:ln\b[^>]*>\s*(<a:solidFill>[\s\S]*?<\/a:solidFill>)/.exec(ser)?.[1];
  let marker = /<c:marker>[\s\S]*?<\/c:marker>/.exec(ser)?.[0] ?? '';
  let out = ser.replace(marker, '').replace(/<c:invertIfNegative val="\d"\/>/, '');
  if (references.has(idx)) {
    marker = '<c:marker><c:symbol val="none"/></c:marker>';
    out = out.replace(/(<c:spPr>[\s\S]*?<a:ln\b[\s\S]*?)<a:prstDash val="solid"\/>/, '$1<a:prstDash val="dash"/>');
  } else if (lineFill) {
    marker = marker.replace(/<a:solidFill>[\s\S]*?<\/a:solidFill>/, lineFill);
  }
  // CT_LineSer: idx, order, tx, spPr, marker, dPt, dLbls, trendline, errBars, cat, val, smooth.
  const at = ['<c:dPt>', '<c:dLbls>', '<c:cat>', '<c:val>'].map((tag) => out.indexOf(tag)).find((i) => i >= 0) ?? out.length;
  return out.slice(0, at) + marker + out.slice(at);
}

const escapeXml = (text: string) =>
  text.replace(FORBIDDEN_CHARS, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** Runs that would be written alike are written as one. */
const sameStyle = (a: Run, b: Run) => !a.bold === !b.bold && !a.italic === !b.italic && !a.superscript === !b.superscript;

/** The notes' paragraphs, one a line, each run in its style (a raised mark as PowerPoint raises one). */
export function notesParagraphs(runs: readonly Run[], language: string): string {
  const lines: Run[][] = [[]];
  for (const run of runs) {
    run.text.split('\n').forEach((text, i) => {
      if (i > 0) lines.push([]);
      const line = lines[lines.length - 1]!;
      const previous = line[line.length - 1];
      if (text === '') return;
      if (previous !== undefined && sameStyle(previous, run)) line[line.length - 1] = { ...previous, text: previous.text + text };
      else line.push({ ...run, text });
    });
  }
  const end = `<a:endParaRPr lang="${language}" dirty="0"/>`;
  return lines
    .map((line) => {
      const xml = line.map((r) => {
        const style = `${r.bold ? ' b="1"' : ''}${r.italic ? ' i="1"' : ''}${r.superscript ? ' baseline="30000"' : ''}`;
        return `<a:r><a:rPr lang="${language}"${style} dirty="0"/><a:t>${escapeXml(r.text)}</a:t></a:r>`;
      });
      return `<a:p>${xml.join('')}${end}</a:p>`;
    })
    .join('');
}

/**
 * The notes placeholder's text as `runs`. Its text must be theirs: a notes part
 * that says something else is some other slide's, and a deck with notes on the
 * wrong slides must not be written.
 */
export function richNotes(xml: string, runs: readonly Run[], language: string): string {
  let found = false;
  const out = xml.replace(/<p:sp>((?:(?!<\/p:sp>)[\s\S])*?<p:ph type="body" idx="1"\/>[\s\S]*?)<\/p:sp>/, (_whole, inner: string) =>
    `<p:sp>${inner.replace(/(<p:txBody><a:bodyPr\/><a:lstStyle\/>)([\s\S]*)(<\/p:txBody>)/, (_body, open: string, paragraphs: string, close: string) => {
      const written = [...paragraphs.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => decodeXml(m[1]!)).join('').replace(/\r\n/g, '\n');
      const expected = runs.map((r) => r.text).join('').replace(FORBIDDEN_CHARS, '');
      if (written !== expected) throw new BriefpressError(ErrorCode.internal, 'the notes pptxgenjs wrote are not the notes planned for the slide');
      found = true;
      return `${open}${notesParagraphs(runs, language)}${close}`;
    })}</p:sp>`,
  );
  if (!found) throw new BriefpressError(ErrorCode.internal, 'no notes placeholder where pptxgenjs writes one');
  return out;
}

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', quot: '"', apos: "'" };

/** pptxgenjs's own escapes (and numeric references), for reading back what it wrote. */
function decodeXml(text: string): string {
  return text
    .replace(/&(lt|gt|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_, name: string) =>
      name.startsWith('#x') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : NAMED[name]!,
    )
    .replace(/&amp;/g, '&');
}

/** The fallback PNG parts of SVG pictures, with the PNG drawn of each SVG. */
async function svgFallbackParts(zip: JSZip, fallbacks: ReadonlyMap<string, Uint8Array>): Promise<Map<string, Uint8Array>> {
  const parts = new Map<string, Uint8Array>();
  if (fallbacks.size === 0) return parts;
  for (const name of Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))) {
    const xml = await zip.files[name]!.async('string');
    const rels = (await zip.files[name.replace('slides/', 'slides/_rels/') + '.rels']?.async('string')) ?? '';
    const target = (id: string) => {
      const found = new RegExp(`<Relationship [^>]*Id="${id}"[^>]*Target="([^"]+)"`).exec(rels)?.[1];
      return found === undefined ? undefined : posix.normalize(posix.join(posix.dirname(name), found));
    };
    for (const m of xml.matchAll(/<a:blip r:embed="(rId\d+)">(?:(?!<\/a:blip>)[\s\S])*?<asvg:svgBlip [^>]*r:embed="(rId\d+)"/g)) {
      const png = target(m[1]!);
      const svg = target(m[2]!);
      const svgEntry = svg === undefined ? undefined : zip.files[svg];
      if (png === undefined || svgEntry === undefined) continue;
      const fallback = fallbacks.get(createHash('sha256').update(await svgEntry.async('uint8array')).digest('hex'));
      if (fallback) parts.set(png, fallback);
    }
  }
  return parts;
}

/**
 * The zip pptxgenjs builds for a deck, taken as it asks JSZip to write it out, not
 * written: writing ~40 parts into a zip only for normalizePptx to read them back
 * (CRCs computed in JavaScript, every part copied twice) was a fifth of a deck's
 * time. `write` is pptxgenjs's `write({ outputType: 'uint8array' })`. The chart
 * workbooks it zips on the way (as base64, into the deck's zip) are taken alike:
 * the deck's zip holds a stand-in for each (`briefpress-workbook-N`, never a zip),
 * which normalizePptx replaces with the workbook written from what it was built of.
 *
 * The catch is JSZip's own method, replaced while pptxgenjs writes, so decks take
 * turns: two written at once (a library user's Promise.all) would otherwise each
 * catch whichever zip came first, and leave the method replaced.
 */
export function pptxZip(write: () => Promise<unknown>): Promise<CaughtDeck> {
  const turn = deckTurns.then(() => catchZip(write));
  // Nothing of the deck is kept once it is handed back: the next turn waits on this one's end only.
  deckTurns = turn.then(
    () => undefined,
    () => undefined,
  );
  return turn;
}

let deckTurns: Promise<unknown> = Promise.resolve();

/** The parts pptxgenjs 4.0.1 writes into a chart's workbook (createExcelWorksheet), and no other. */
const CHART_WORKBOOK_PARTS = new Set([
  '[Content_Types].xml',
  '_rels/.rels',
  'docProps/app.xml',
  'docProps/core.xml',
  'xl/_rels/workbook.xml.rels',
  'xl/styles.xml',
  'xl/theme/theme1.xml',
  'xl/workbook.xml',
  'xl/worksheets/_rels/sheet1.xml.rels',
  'xl/sharedStrings.xml',
  'xl/tables/table1.xml',
  'xl/worksheets/sheet1.xml',
]);

/**
 * A zip made of exactly a chart workbook's parts (and their folders). The catch is
 * JSZip's, for the whole process, while a deck is written: another workbook zipped
 * as base64 at that moment, by a library user's own code, would be taken too if it
 * had exactly these parts. The CLI zips nothing else.
 */
function isChartWorkbook(zip: JSZip): boolean {
  const parts = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir);
  return parts.length === CHART_WORKBOOK_PARTS.size && parts.every((name) => CHART_WORKBOOK_PARTS.has(name));
}

async function catchZip(write: () => Promise<unknown>): Promise<CaughtDeck> {
  const generate = JSZip.prototype.generateAsync;
  let built: JSZip | undefined;
  const workbooks = new Map<string, JSZip>();
  const catcher = function (this: JSZip, options?: JSZip.JSZipGeneratorOptions) {
    if (built === undefined && options?.type === 'base64' && isChartWorkbook(this)) {
      const standIn = `briefpress-workbook-${workbooks.size + 1}`;
      workbooks.set(standIn, this);
      return Promise.resolve(Buffer.from(standIn, 'latin1').toString('base64')) as never;
    }
    if (options?.type !== 'uint8array' || built !== undefined) return generate.call(this, options) as never;
    built = this;
    return Promise.resolve(new Uint8Array(0)) as never;
  };
  JSZip.prototype.generateAsync = catcher;
  try {
    await write();
  } finally {
    if (JSZip.prototype.generateAsync === catcher) JSZip.prototype.generateAsync = generate;
  }
  if (!built) throw new BriefpressError(ErrorCode.internal, 'pptxgenjs wrote its deck without building a zip');
  return { zip: built, workbooks };
}

export async function normalizePptx({ zip, workbooks }: CaughtDeck, date: Date, language: string, fixes: PackageFixes = {}): Promise<Buffer> {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const decoder = new TextDecoder();
  const text = (data: Uint8Array | string) => (typeof data === 'string' ? data : decoder.decode(data));
  const names = new Set(Object.keys(zip.files).filter((n) => !zip.files[n]!.dir));
  const replaced = await svgFallbackParts(zip, fixes.svgFallbacks ?? new Map());
  return rezip(zip, date, async (name, data) => {
    const replacement = replaced.get(name);
    if (replacement) return replacement;
    if (name.endsWith('.xlsx')) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      const caught = bytes.length < 64 ? workbooks.get(Buffer.from(bytes).toString('latin1')) : undefined;
      const inner = caught ?? (await JSZip.loadAsync(bytes));
      return rezip(inner, date, async (innerName, innerData) => {
        if (!innerName.endsWith('.xml') && !innerName.endsWith('.rels')) return innerData;
        // The workbook holds the chart's categories and series names as pptxgenjs got them: a control
        // character there makes xl/sharedStrings.xml ill-formed, and Edit Data fails.
        const innerXml = text(innerData).replace(FORBIDDEN_CHARS, '');
        return innerName === 'docProps/core.xml' ? fixCoreDates(innerXml, iso) : innerXml;
      });
    }
    if (!name.endsWith('.xml') && !name.endsWith('.rels')) return data;
    let xml = text(data).replace(FORBIDDEN_CHARS, '');
    if (name === 'docProps/core.xml') xml = fixCoreDates(xml, iso);
    if (name === '[Content_Types].xml') xml = fixContentTypes(xml, names);
    if (/^ppt\/(slides|slideLayouts|slideMasters|notesSlides)\/[^/]+\.xml$/.test(name)) xml = textBodyForEveryShape(onePropertiesPerParagraph(xml));
    if (/^ppt\/slides\/[^/]+\.xml$/.test(name)) xml = uniqueShapeIds(headerRowTables(xml));
    if (/^ppt\/charts\/[^/]+\.xml$/.test(name)) xml = noOrphanAxisIds(fixLineCharts(xml, fixes.referenceSeries?.get(name)));
    if (/^ppt\/notesMasters\/[^/]+\.xml$/.test(name)) xml = emptyNotesMasterShapes(xml);
    const notes = fixes.notes?.get(name);
    if (notes !== undefined) xml = richNotes(xml, notes, language);
    // Last, so the text bodies added above carry the language too.
    return setLanguage(xml, language);
  });
}

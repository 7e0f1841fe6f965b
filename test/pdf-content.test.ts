// The new content elements in the PDF, read as a reader's software reads them:
// IF90001 (test/fixtures/briefs/IF90001) has a page-wide table with a total row
// and footnotes, a 40-row table that continues in the next column, a text box, an
// SVG and a PNG figure, sub-headings, cross-references and a bare URL. Each check
// reads the built PDF (pdfjs, and poppler's and qpdf's tools), not the layout data.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { withFallbackFonts } from '../pipeline/pdf/svgtext.ts';
import { buildBrief } from '../pipeline/run/build.ts';
import { artifact, copyBrief, everyElementDir, expectBuilt, markedTextItems, type PdfReading, readPdf, sharedContext, squash, tempDir, validateDir } from './helpers.ts';
import { itWith } from './tools.ts';

/** A piece of text as pdfjs places it: x and the baseline y in PDF points (y up), font size, width. */
interface TextItem {
  readonly str: string;
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly width: number;
  /** Inside Artifact marked content (furniture, a repeated caption or header row). */
  readonly artifact: boolean;
}

interface PageView {
  readonly items: TextItem[];
  readonly annotations: Array<{ readonly dest?: string; readonly url?: string }>;
  readonly images: number;
}

interface Reading {
  readonly pages: PageView[];
  /** The page (1-based) each named destination points at. */
  readonly destinations: Map<string, number>;
}

async function readPositions(bytes: Uint8Array, names: readonly string[]): Promise<Reading> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: PageView[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const items: TextItem[] = [];
    for (const { item, artifact } of markedTextItems(content.items)) {
      if (!item.str.trim()) continue;
      const [a, , , d, x, y] = item.transform as number[];
      items.push({ str: item.str, x: x!, y: y!, size: Math.abs(a! || d!), width: item.width, artifact });
    }
    const annotations = (await page.getAnnotations()).map((a: { dest?: unknown; url?: string }) => ({
      ...(typeof a.dest === 'string' ? { dest: a.dest } : {}),
      ...(a.url ? { url: a.url } : {}),
    }));
    const operators = await page.getOperatorList();
    const images = operators.fnArray.filter((fn: number) => fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject).length;
    pages.push({ items, annotations, images });
  }
  const destinations = new Map<string, number>();
  for (const name of names) {
    const dest = (await doc.getDestination(name)) as [{ num: number; gen: number }, ...unknown[]] | null;
    if (dest) destinations.set(name, (await doc.getPageIndex(dest[0])) + 1);
  }
  await doc.destroy();
  return { pages, destinations };
}

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** `pdfinfo -struct`'s elements under Document, each as its lines (indentation kept). */
function topElements(struct: string): string[][] {
  const elements: string[][] = [];
  for (const line of struct.split('\n')) {
    if (/^ {2}\S/.test(line)) elements.push([line]);
    else if (/^ {3,}\S/.test(line)) elements.at(-1)?.push(line);
  }
  return elements;
}
/** The page's width split in two: the left column ends left of this, the right one starts right of it. */
const CENTER = 306;

let bytes: Buffer;
let file: string;
let reading: Reading;
let pdf: PdfReading;
/** Table 2's rows as the CSV has them. */
let awards: string[][];
/** Table 1's rows as the CSV has them, footnote marks as plain letters (how text extraction gives a raised mark). */
let budget: string[][];

beforeAll(async () => {
  const result = expectBuilt(await buildBrief(everyElementDir, sharedContext(), { formats: new Set(['pdf']), allowOverflow: true }));
  bytes = artifact(result, 'pdf');
  file = path.join(tempDir(), 'IF90001.pdf');
  fs.writeFileSync(file, bytes);
  const valid = validateDir(everyElementDir).result!;
  const rows = (id: string) => valid.tableData.get(id)!.rows.map((row) => row.map((cell) => String(cell).replace(/\^([a-z0-9]+)/g, '$1')));
  awards = rows('grants-by-year');
  budget = rows('budget-by-account');
  reading = await readPositions(bytes, [...valid.brief.figures.map((f) => f.id), ...valid.brief.tables.map((t) => t.id)]);
  pdf = await readPdf(bytes);
});

describe('tables', () => {
  itWith('pdftotext')('are read row by row: one line per row in content order (-raw) and in the page\'s layout (-layout)', () => {
    const raw = run('pdftotext', ['-raw', file, '-']).split('\n');
    const layout = run('pdftotext', ['-layout', file, '-']).split('\n');
    for (const row of [...awards, ...budget]) {
      const line = row.join(' ');
      expect(raw, `-raw: ${line}`).toContain(line);
      // In the physical layout a row shares its line with the other column's text, its cells in order.
      const cells = new RegExp(row.map((cell) => cell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
      expect(layout.some((l) => cells.test(l)), `-layout: ${line}`).toBe(true);
    }
    // Rows in order, the header first.
    const at = (line: string) => raw.indexOf(line);
    const order = awards.map((row) => at(row.join(' ')));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(raw.findIndex((l) => l === 'Year')).toBeLessThan(order[0]!);
  });

  itWith('pdftotext')('keeps each row\'s cells together, in order, in pdftotext\'s default reading order', () => {
    // Its block heuristics order a table's parts (and the text beside them) by position,
    // not by the content stream, and may slip a header cell between the first row's
    // cells (Table 1's last header cell does): the body rows of a column table hold.
    const text = squash(run('pdftotext', [file, '-']));
    for (const row of awards) expect(text, row.join(' ')).toContain(squash(row.join('')));
  });

  it('continue in the next column under the header row and a "(continued)" caption, never a header alone at a column foot', () => {
    const page = reading.pages[0]!.items;
    const year = page.filter((i) => i.str === 'Year');
    expect(year, 'a header row in each column').toHaveLength(2);
    const [first, repeated] = [...year].sort((a, b) => a.x - b.x) as [TextItem, TextItem];
    expect(first.x).toBeLessThan(CENTER);
    expect(repeated.x).toBeGreaterThan(CENTER);
    // The repeated caption and header are artifacts: a screen reader meets them once.
    expect(repeated.artifact).toBe(true);
    expect(first.artifact).toBe(false);
    const continued = page.find((i) => i.str === 'Table 2. Grants Awarded by Year, 1986–2025 (continued)')!;
    expect(continued, 'the continued caption').toBeDefined();
    expect(continued.x).toBeGreaterThan(CENTER);
    expect(continued.y).toBeGreaterThan(repeated.y);
    // At the foot of the first column: at least two rows under the header.
    const years = page.filter((i) => /^(19|20)\d\d$/.test(i.str) && i.x < CENTER && i.y < first.y);
    expect(years.length).toBeGreaterThanOrEqual(2);
    // The column holds the rows in order and the next column goes on with the next one.
    const lastHere = Math.max(...years.map((i) => Number(i.str)));
    const firstThere = Math.min(...page.filter((i) => /^(19|20)\d\d$/.test(i.str) && i.x > CENTER && i.y < repeated.y).map((i) => Number(i.str)));
    expect(firstThere).toBe(lastHere + 1);
    expect(pdf.pages[0]!.artifacts.join('')).toContain('(continued)');
    expect(pdf.pages[0]!.content.join('')).not.toContain('(continued)');
  });

  it('across both columns sits at the top of a page, with the columns below it', () => {
    const page2 = reading.pages[1]!.items.filter((i) => !i.artifact);
    const caption = page2.find((i) => i.str === 'Table 1. Appropriations by Account, FY2022–FY2025')!;
    expect(caption).toBeDefined();
    // Nothing of the body is above it on its page.
    expect(Math.max(...page2.map((i) => i.y))).toBe(caption.y);
    const change = page2.find((i) => i.str.startsWith('Change, FY2024'))!;
    const account = page2.find((i) => i.str === 'Account')!;
    expect(account.x).toBeLessThan(CENTER - 100);
    expect(change.x + change.width).toBeGreaterThan(CENTER + 200);
    const lastNote = page2.find((i) => i.str.startsWith('b. Restated'))!;
    for (const figure of ['Figure 1. Awards by Region, 2018–2025', 'Figure 3. From Appropriation to Award']) {
      expect(page2.find((i) => i.str === figure)!.y, figure).toBeLessThan(lastNote.y);
    }
  });

  it('put the total row last, and the source, notes and footnotes under the table', () => {
    const text = pdf.pages[1]!.content.join('');
    const order = ['Federal assistance (grants)', 'Total', 'Source: Synthetic data for testing.', 'Notes: Amounts are in nominal dollars.', 'a. Includes construction of facilities.', 'b. Restated after a transfer'].map((s) =>
      text.indexOf(s),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('align a column of numbers on the decimal point, a footnote mark hanging to its right', () => {
    const page2 = reading.pages[1]!.items;
    const fy2024 = ['1,301.2', '415.0', '79.6', '3,408.7'].map((s) => page2.find((i) => i.str === s)!);
    const right = fy2024.map((i) => i.x + i.width);
    for (const edge of right) expect(edge).toBeCloseTo(right[0]!, 2);
    const mark = page2.find((i) => i.str === 'b')!;
    expect(mark.x).toBeCloseTo(right[0]!, 1);
    // Right-aligned, by contrast, "79.6" would end a mark's width further left.
    const header = page2.find((i) => i.str === 'FY2024')!;
    expect(header.x + header.width).toBeGreaterThan(right[0]! + mark.width - 0.01);
  });

  it('print footnote marks smaller and raised above the baseline', () => {
    const page2 = reading.pages[1]!.items;
    const cell = page2.find((i) => i.str === 'Procurement, construction, and improvements')!;
    const mark = page2.find((i) => i.str === 'a' && Math.abs(i.x - (cell.x + cell.width)) < 0.5)!;
    expect(mark, 'the mark right after its word').toBeDefined();
    expect(mark.size).toBeLessThan(cell.size * 0.8);
    expect(mark.y - cell.y).toBeGreaterThan(cell.size * 0.2);
    expect(mark.y - cell.y).toBeLessThan(cell.size * 0.6);
  });

  itWith('pdfinfo')('are tagged Table > Caption, TR > TH (Scope Column) / TD', () => {
    const tables = topElements(run('pdfinfo', ['-struct', file])).filter((element) => element[0]!.trim().startsWith('Table'));
    expect(tables).toHaveLength(2);
    for (const table of tables) {
      const lines = table.map((l) => l.trim());
      expect(lines[1]).toBe('Caption');
      expect(lines[2]).toBe('TR');
      expect(lines[3]).toBe('TH:');
      expect(lines[4]).toBe('/Scope /Column');
    }
    const count = (table: string[], role: string) => table.filter((l) => l.trim().replace(/:$/, '') === role).length;
    // Table 2 is one element with one header row, though it is drawn in two parts.
    const [first, second] = tables as [string[], string[]];
    expect([count(first, 'TR'), count(first, 'TH'), count(first, 'TD')]).toEqual([awards.length + 1, 4, awards.length * 4]);
    expect([count(second, 'TR'), count(second, 'TH'), count(second, 'TD')]).toEqual([budget.length + 1, 6, budget.length * 6]);
  });
});

describe('the text box', () => {
  it('reads its title, paragraph, bullets and source in order, after the text before it', () => {
    const text = squash(pdf.pages[0]!.content.join(''));
    const parts = [
      'was restated in FY2024.',
      'How the Program Works',
      'A state agency receives the appropriation',
      '•The state agency ranks applications by risk.',
      '•The federal agency sets the amount each state may award.',
      '•Awards are paid as costs are incurred.',
      'Sources: Synthetic description for testing.',
      'Awards over Time',
    ].map((s) => text.indexOf(squash(s)));
    expect(parts.every((i) => i >= 0), JSON.stringify(parts)).toBe(true);
    expect(parts).toEqual([...parts].sort((a, b) => a - b));
  });

  itWith('pdfinfo')('is tagged as a Div holding a heading, its paragraph, its list and its source line', () => {
    const divs = topElements(run('pdfinfo', ['-struct', file])).filter((element) => element[0]!.trim() === 'Div');
    expect(divs).toHaveLength(1);
    const children = divs[0]!.filter((l) => /^ {4}\S/.test(l)).map((l) => l.trim());
    expect(children).toEqual(['H2 (block)', 'P (block)', 'L (block)', 'P (block)']);
    expect(divs[0]!.filter((l) => l.trim() === 'LI (block)')).toHaveLength(3);
  });
});

describe('figures from image files', () => {
  itWith('qpdf')('draw the SVG as vector paths (no image XObject) and embed the PNG once', () => {
    const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { maxBuffer: 64 * 1024 * 1024 }).toString('latin1');
    expect(qdf.match(/\/Subtype \/Image\b/g) ?? []).toHaveLength(1);
    expect(reading.pages.map((p) => p.images)).toEqual([0, 1, 0]);
    // The SVG's labels are text in the brief's embedded sans.
    expect(pdf.pages[1]!.content.join(' ')).toContain('State agency');
  });

  itWith('pdffonts')('leave every font embedded and subset: none of pdfkit\'s standard 14', () => {
    const rows = run('pdffonts', [file]).trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row, row).toMatch(/^[A-Z]{6}\+(Tinos|Arimo)-\S+\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);
  });

  it('carry their source and notes lines under them', () => {
    const text = pdf.pages[1]!.content.join('');
    const figure2 = text.indexOf('Figure 2. Exports, Imports');
    const source = text.indexOf('Source: Synthetic data for testing.', figure2);
    const notes = text.indexOf('Notes: The balance is exports minus imports.');
    expect(figure2).toBeGreaterThanOrEqual(0);
    expect(source).toBeGreaterThan(figure2);
    expect(notes).toBeGreaterThan(source);
  });
});

describe('cross-references and links', () => {
  it('go to the page of the figure or table they name', () => {
    const links = reading.pages.flatMap((p) => p.annotations.flatMap((a) => (a.dest ? [a.dest] : [])));
    expect(new Set(links)).toEqual(new Set(['budget-by-account', 'grants-by-year', 'awards-by-region', 'trade-balance', 'grant-process', 'award-map']));
    const pageOf = (caption: string) => 1 + reading.pages.findIndex((p) => p.items.some((i) => i.str === caption && !i.artifact));
    expect(Object.fromEntries(reading.destinations)).toEqual({
      'budget-by-account': pageOf('Table 1. Appropriations by Account, FY2022–FY2025'),
      'grants-by-year': pageOf('Table 2. Grants Awarded by Year, 1986–2025'),
      'awards-by-region': pageOf('Figure 1. Awards by Region, 2018–2025'),
      'trade-balance': pageOf('Figure 2. Exports, Imports and the Trade Balance, 2006–'),
      'grant-process': pageOf('Figure 3. From Appropriation to Award'),
      'award-map': pageOf('Figure 4. Where Recipients Are Located'),
    });
    expect(reading.destinations.get('budget-by-account')).toBe(2);
    expect(reading.destinations.get('grants-by-year')).toBe(1);
  });

  it('link a bare URL as it is printed', () => {
    const urls = reading.pages.flatMap((p) => p.annotations.flatMap((a) => (a.url ? [a.url] : [])));
    expect(urls).toContain('https://www.fema.gov/grants/preparedness/nonprofit-security');
  });
});

describe('sub-headings', () => {
  it('print smaller than headings, bold, in the text colour', () => {
    const page1 = reading.pages[0]!.items;
    const heading = page1.find((i) => i.str === 'Awards over Time')!;
    const sub = page1.find((i) => i.str === 'Awards by Region')!;
    expect(sub.size).toBeLessThan(heading.size);
    const { theme } = sharedContext();
    expect(sub.size).toBe(theme.pdf.subheading.size);
    expect(heading.size).toBe(theme.pdf.heading.size);
  });

  itWith('pdfinfo')('are tagged H3 under the H2 of their section', () => {
    const headings = topElements(run('pdfinfo', ['-struct', file]))
      .map((element) => element[0]!.trim().split(' ')[0]!)
      .filter((role) => /^H\d$/.test(role));
    // The title, "Awards over Time", its two sub-headings, "The Award Process", and "Disclaimer".
    expect(headings).toEqual(['H1', 'H2', 'H3', 'H3', 'H2', 'H2']);
  });
});

/** Each piece of text on the pages, trimmed, with the name of the font that draws it (subset tag and all). */
async function fontsOfText(bytes: Uint8Array): Promise<Map<string, string>> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const fonts = new Map<string, string>();
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    // The operator list loads the fonts into commonObjs, where their names are.
    await page.getOperatorList();
    for (const item of content.items) {
      if (!('str' in item) || !item.str.trim()) continue;
      const font = page.commonObjs.get(item.fontName) as { name?: string } | undefined;
      fonts.set(item.str.trim(), font?.name ?? '');
    }
  }
  await doc.destroy();
  return fonts;
}

describe('text in an SVG figure', () => {
  let fonts: Map<string, string>;

  beforeAll(async () => {
    // IF90001's process diagram, with a label that mixes Latin, Japanese and Korean, and one with no family.
    const { dir } = copyBrief(everyElementDir);
    const file = path.join(dir, 'grant-process.svg');
    const labels = '<text x="10" y="30" font-family="Arial, sans-serif" font-weight="bold">Process 日本語 한국어</text><text x="10" y="190">No family given</text>';
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('</svg>', `${labels}</svg>`));
    const result = expectBuilt(await buildBrief(dir, sharedContext(), { formats: new Set(['pdf']), allowOverflow: true }));
    fonts = await fontsOfText(artifact(result, 'pdf'));
  });

  it('is set in the fallback font that has what the faces lack, the rest in the face the SVG names', () => {
    expect(fonts.get('Process')).toMatch(/^[A-Z]{6}\+Arimo-Bold$/);
    expect(fonts.get('日本語')).toMatch(/^[A-Z]{6}\+NotoSansJP-Bold$/);
    expect(fonts.get('한국어')).toMatch(/^[A-Z]{6}\+NotoSansKR-Bold$/);
  });

  it('with no font-family, is set in the theme\'s sans: svg-to-pdfkit asks for its initial family, "sans-serif"', () => {
    expect(fonts.get('No family given')).toMatch(/^[A-Z]{6}\+Arimo-Regular$/);
    expect([...fonts.values()].every((name) => /^[A-Z]{6}\+(Tinos|Arimo|NotoSansJP|NotoSansKR)-/.test(name))).toBe(true);
  });

  it('is rewritten only where a fallback font draws it, cut between characters, never inside a reference', () => {
    const measurer = sharedContext().fonts;
    const plain = '<svg xmlns="http://www.w3.org/2000/svg"><text x="1" y="2">Only Latin &amp; “quotes”</text><title>日本</title></svg>';
    expect(withFallbackFonts(plain, measurer)).toBe(plain);
    const mixed = '<svg xmlns="http://www.w3.org/2000/svg"><style>tspan{font-family:Georgia}</style><text x="1" y="2">A &#x65E5;&amp;本 <tspan font-weight="bold">한</tspan><![CDATA[語<]]></text><desc>日本</desc></svg>';
    expect(withFallbackFonts(mixed, measurer)).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg"><style>tspan{font-family:Georgia}</style><text x="1" y="2">A <tspan class="briefpress-fallback-0">&#x65E5;&amp;本 </tspan>' +
        '<tspan font-weight="bold"><tspan class="briefpress-fallback-1">한</tspan></tspan><tspan class="briefpress-fallback-0"><![CDATA[語<]]></tspan></text><desc>日本</desc>' +
        '<style>.briefpress-fallback-0{font-family:briefpress-fallback-0}.briefpress-fallback-1{font-family:briefpress-fallback-1}</style></svg>',
    );
  });
});

// Shared test helpers: build in memory or in a temp folder (never in out/), and
// read the artifacts the way a reader's software does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildBrief, createContext, type BuildContext, type BuildResult } from '../pipeline/run/build.ts';
import { main } from '../pipeline/run/cli.ts';
import { tempDir } from './temp.ts';

export { tempDir };
import type { Diagnostic } from '../pipeline/core/diagnostics.ts';
import { loadBrief } from '../pipeline/input/load.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { validateBrief, type Validated } from '../pipeline/validate/validate.ts';
import type { Format } from '../pipeline/output/manifest.ts';

export const sampleDir = path.join(projectRoot, 'data', 'briefs', 'IF10199');

/**
 * A copy of the project at `root` as `npm ci` leaves one: the sources, the templates and
 * the package files, every installed package linked, and no node_modules/.cache, so
 * that its launcher bundles and its build makes its caches of its own.
 */
export function installedCopy(root: string): string {
  for (const entry of ['pipeline', 'templates']) fs.cpSync(path.join(projectRoot, entry), path.join(root, entry), { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(projectRoot, file), path.join(root, file));
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(path.join(projectRoot, 'node_modules'))) {
    if (name !== '.cache') fs.symlinkSync(path.join(projectRoot, 'node_modules', name), path.join(modules, name));
  }
  return root;
}

let context: BuildContext | undefined;
export function sharedContext(): BuildContext {
  context ??= createContext();
  return context;
}

export async function build(dir: string, formats: Format[] = ['pdf', 'pptx'], options: { allowOverflow?: boolean } = {}): Promise<BuildResult> {
  return buildBrief(dir, sharedContext(), { formats: new Set(formats), ...options });
}

export type Built = Extract<BuildResult, { ok: true }>;

/** The sample's PDF or deck as the test run's global setup built it (test/global-setup.ts). */
export function sampleArtifact(format: 'pdf' | 'pptx'): Buffer {
  const out = process.env['BRIEFPRESS_TEST_SAMPLE_OUT'];
  if (!out) throw new Error('no sample build: run the tests through vitest with vitest.config.ts (its globalSetup builds the sample)');
  return fs.readFileSync(path.join(out, `IF10199.${format}`));
}

export function expectBuilt(result: BuildResult): Built {
  if (!result.ok) throw new Error(`build failed:\n${result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.field}: ${d.message}`).join('\n')}`);
  return result;
}

export function artifact(result: Built, format: Format): Buffer {
  const found = result.artifacts.find((a) => a.format === format);
  if (!found) throw new Error(`no ${format} artifact`);
  return found.bytes;
}

/** A minimal brief IF99001 in a temp folder: the required fields, then `body` (YAML from `sections:` on) and its data `files`. */
export function writeBrief(body: string, files: Readonly<Record<string, string>> = {}): string {
  const dir = path.join(tempDir(), 'briefs', 'IF99001');
  fs.mkdirSync(dir, { recursive: true });
  const head = ['id: IF99001', 'series: In Focus', 'title: Long Paragraphs', 'updated: "2026-03-02"', 'version: 1', 'language: en-US'];
  const people = ['publisher:', '  name: Congressional Research Service', '  url: https://crsreports.congress.gov', 'authors:', '  - name: Test Author', '    title: Analyst'];
  fs.writeFileSync(path.join(dir, 'brief.yaml'), [...head, ...people, 'disclaimer: This is a test.', body].join('\n') + '\n');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const lorem = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';
/** A paragraph of 36 sentences (4,463 characters): taller than a slide at 16 pt. */
export const longSentences = Array.from({ length: 36 }, () => lorem).join(' ');
/** One sentence of 2,200 characters: taller than a slide on its own. */
export const runOnSentence = 'lorem ipsum dolor sit amet consectetur adipiscing elit '.repeat(40).trim();

/**
 * Sections whose text holds paragraphs taller than a slide (then `more` YAML lines):
 * an argued section and a text box, from which the deck chooses points, and a
 * reference section, whose citations the deck shows whole (so a paragraph of 36
 * sentences continues between sentences, and a run-on item between words).
 */
export function longParagraphSections(more: readonly string[] = []): string {
  return [
    'sections:',
    '  - heading: Intro',
    '    blocks:',
    `      - paragraph: ${JSON.stringify(`${runOnSentence}. Second sentence.`)}`,
    '      - textbox:',
    '          title: A long box',
    '          blocks:',
    `            - paragraph: ${JSON.stringify(longSentences)}`,
    `            - bullets: [${JSON.stringify(runOnSentence)}, "short"]`,
    '          source: Test.',
    '  - heading: Resources',
    '    blocks:',
    `      - paragraph: ${JSON.stringify(longSentences)}`,
    `      - bullets: [${JSON.stringify(runOnSentence)}, "short"]`,
    ...more,
  ].join('\n');
}

/** The synthetic brief that uses every content element (tables, text box, image figures, richer charts). */
export const everyElementDir = path.join(projectRoot, 'test', 'fixtures', 'briefs', 'IF90001');

/** A temp folder holding a copy of the sample brief (as `briefs/<id>/`), to be edited by a test. */
export function copySample(edit?: (yaml: string) => string, id = 'IF10199'): { root: string; dir: string } {
  return copyBrief(sampleDir, edit, id);
}

/** A temp folder holding a copy of the brief in `source` (as `briefs/<id>/`), to be edited by a test. */
export function copyBrief(source: string, edit?: (yaml: string) => string, id = path.basename(source)): { root: string; dir: string } {
  const root = tempDir();
  const dir = path.join(root, 'briefs', id);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(source)) fs.copyFileSync(path.join(source, file), path.join(dir, file));
  if (edit) {
    const file = path.join(dir, 'brief.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const after = edit(before);
    // An edit that no longer matches the sample would let a test pass on the unchanged brief.
    if (after === before) throw new Error('copySample: the edit changed nothing in brief.yaml');
    fs.writeFileSync(file, after);
  }
  return { root, dir };
}

/** Copies of the sample under other ids (the first id is the sample's own), as DATA/briefs/<id>/. */
export function copyCollection(ids: string[]): string {
  const { root } = copySample();
  for (const id of ids.filter((i) => i !== 'IF10199')) {
    const dir = path.join(root, 'briefs', id);
    fs.cpSync(path.join(root, 'briefs', 'IF10199'), dir, { recursive: true });
    const file = path.join(dir, 'brief.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('id: IF10199', `id: ${id}`));
  }
  return root;
}

export interface PdfPageText {
  /** Text a screen reader gets: page furniture (Artifact marked content) left out. */
  readonly content: string[];
  /** Text inside Artifact marked content (the masthead; headers and footers are outlines). */
  readonly artifacts: string[];
  /** URLs of the page's link annotations. */
  readonly links: string[];
}

export interface PdfReading {
  readonly pages: PdfPageText[];
  readonly info: Record<string, unknown>;
  readonly numPages: number;
}

/** A page's text item, and whether it lies inside Artifact marked content (page furniture). */
export interface MarkedTextItem {
  readonly item: { readonly str: string; readonly transform: unknown[]; readonly width: number; readonly hasEOL: boolean };
  readonly artifact: boolean;
}

/** The text items of a page read with `includeMarkedContent`, each told whether it is an artifact. */
export function markedTextItems(items: readonly unknown[]): MarkedTextItem[] {
  const out: MarkedTextItem[] = [];
  const stack: string[] = [];
  for (const entry of items as Array<{ type?: string; tag?: string } & MarkedTextItem['item']>) {
    if (entry.type !== undefined) {
      if (entry.type === 'beginMarkedContent' || entry.type === 'beginMarkedContentProps') stack.push(entry.tag ?? '');
      else if (entry.type === 'endMarkedContent') stack.pop();
      continue;
    }
    out.push({ item: entry, artifact: stack.includes('Artifact') });
  }
  return out;
}

/** Reads a PDF with pdfjs-dist, as a viewer would, separating content from artifacts. */
export async function readPdf(bytes: Uint8Array): Promise<PdfReading> {
  // Loaded here, not at the top: most suites never read a PDF, and pdf.js is large.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: PdfPageText[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const text = await page.getTextContent({ includeMarkedContent: true });
    const content: string[] = [];
    const artifacts: string[] = [];
    for (const { item, artifact } of markedTextItems(text.items)) {
      if (item.str) (artifact ? artifacts : content).push(item.str + (item.hasEOL ? '\n' : ''));
    }
    const links = (await page.getAnnotations()).flatMap((a: { subtype?: string; url?: string }) => (a.subtype === 'Link' && a.url ? [a.url] : []));
    pages.push({ content, artifacts, links });
  }
  const meta = await doc.getMetadata();
  const numPages = doc.numPages;
  await doc.destroy();
  return { pages, info: meta.info as Record<string, unknown>, numPages };
}

/** Whitespace carries no meaning for order checks; line-end hyphens stay as typed. */
export const squash = (text: string): string => text.replace(/\s+/g, '');

export interface Deck {
  readonly files: ReadonlyMap<string, string>;
  readonly names: readonly string[];
  readonly slides: SlideView[];
}

export interface SlideView {
  readonly xml: string;
  readonly title: string;
  readonly paragraphs: string[];
  readonly notes: string;
  readonly rels: string;
}

const textOf = (xml: string): string[] =>
  [...xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)]
    .map((m) => [...m[1]!.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((t) => decodeXml(t[1]!)).join(''))
    .filter((t) => t.length > 0);

export function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

/** Unzips a deck and reads each slide's title placeholder, text and notes from its XML. */
export async function readDeck(bytes: Uint8Array): Promise<Deck> {
  const zip = await JSZip.loadAsync(bytes);
  const files = new Map<string, string>();
  for (const name of Object.keys(zip.files)) {
    if (/\.(xml|rels)$/.test(name)) files.set(name, await zip.files[name]!.async('string'));
  }
  const slideNames = [...files.keys()].filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)).sort((a, b) => slideNumber(a) - slideNumber(b));
  const slides = slideNames.map((name) => {
    const xml = files.get(name)!;
    const rels = files.get(name.replace('slides/', 'slides/_rels/') + '.rels') ?? '';
    const shapes = [...xml.matchAll(/<p:sp>([\s\S]*?)<\/p:sp>/g)].map((m) => m[1]!);
    const titleShape = shapes.find((s) => /<p:ph[^>]*type="title"/.test(s));
    const notesTarget = /Target="\.\.\/notesSlides\/(notesSlide\d+\.xml)"/.exec(rels)?.[1];
    const notesXml = notesTarget ? (files.get(`ppt/notesSlides/${notesTarget}`) ?? '') : '';
    const notesBody = [...notesXml.matchAll(/<p:sp>([\s\S]*?)<\/p:sp>/g)].map((m) => m[1]!).find((s) => /<p:ph[^>]*type="body"/.test(s)) ?? '';
    return {
      xml,
      rels,
      title: titleShape ? textOf(titleShape).join(' ') : '',
      // Slide-number placeholders carry a field, not content.
      paragraphs: shapes.filter((s) => s !== titleShape && !/<p:ph[^>]*type="sldNum"/.test(s)).flatMap(textOf),
      notes: textOf(notesBody).join('\n'),
    };
  });
  return { files, names: Object.keys(zip.files), slides };
}

function slideNumber(name: string): number {
  return Number(/(\d+)\.xml$/.exec(name)![1]);
}

export function isWellFormed(xml: string): true | string {
  // fast-xml-parser's validator accepts characters outside XML 1.0's Char production, which Office and LibreOffice refuse.
  // eslint-disable-next-line no-control-regex
  const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (forbidden) return `character U+${forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} (not allowed in XML 1.0) at offset ${forbidden.index}`;
  const result = XMLValidator.validate(xml);
  return result === true ? true : `${result.err.msg} at line ${result.err.line}`;
}

export const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });


/** Loads and validates the brief in `dir`, with the fonts of the shared context. */
export function validateDir(dir: string): Validated {
  return validateBrief(loadBrief(dir), sharedContext().fonts);
}

/** The error diagnostics of a copy of the sample after `edit` (and `extra`, which may change files). */
export function validationErrors(edit: ((yaml: string) => string) | undefined, extra?: (dir: string) => void): Diagnostic[] {
  const { dir } = copySample(edit);
  extra?.(dir);
  return validateDir(dir).diagnostics.filter((d) => d.severity === 'error');
}

/**
 * Runs the CLI in this process, as `npm run build:brief -- ARGS` would, and returns
 * what it printed. A real process is kept for what needs one: signals, file-size
 * limits, two builds at once, --watch (runCli below).
 */
export async function runMain(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string; stdout: string }> {
  let stdout = '';
  let stderr = '';
  const saved = Object.keys(env).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, env);
  try {
    const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    return { code, stderr, stdout };
  } finally {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

export const launcher = path.join(projectRoot, 'pipeline', 'launch.mjs');
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI through the same entry point as `npm run build:brief`, in a child
 * process; with `ulimitKb`, under a file-size limit (through bash).
 */
export function runCli(args: string[], options: { ulimitKb?: number; env?: Record<string, string> } = {}): { code: number | null; stderr: string; stdout: string } {
  const env = { ...process.env, ...options.env };
  const result = options.ulimitKb
    ? spawnSync('bash', ['-c', `ulimit -f ${options.ulimitKb}; exec ${quote(process.execPath)} ${[launcher, ...args].map(quote).join(' ')}`], { cwd: projectRoot, encoding: 'utf8', timeout: 180_000, env })
    : spawnSync(process.execPath, [launcher, ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 180_000, env });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}

/**
 * Sections like those of a brief whose authors wrote no key points: argued
 * paragraphs with abbreviations, a bulleted list of long items, and a section of
 * twelve resource citations (report numbers, titles in italics, links). The text
 * is written for the tests and describes no real report.
 */
export function citationSections(): string {
  const citation = (i: number) =>
    `Office of Inspector General—Example Agency, *Service Provider Contracts and Oversight, Part ${i}*, Report No. EVAL-${10 + i}-00${i}, [online](https://example.org/oig/eval-${i}), February 20${10 + i}.`;
  return [
    'sections:',
    '  - blocks:',
    '      - paragraph: >-',
    '          Banks rely on technology service providers for core processing, which the Bank Service',
    '          Company Act (P.L. 87-856) places under the examination authority of federal regulators.',
    '          The U.S. banking agencies examine these providers, e.g., data centers and payment processors,',
    '          under a program they share. A failure at one provider could stop many banks at once (i.e.,',
    '          a run on bank services), which is why regulators treat the largest providers as *significant*.',
    '  - heading: Oversight of Contracts',
    '    blocks:',
    '      - paragraph: >-',
    '          Examiners review the contracts banks sign with their providers. Under P.L. 106-102, banks',
    '          must protect the privacy of customer information that providers hold, and contracts must',
    '          say how providers do so. Reviews of contracts found gaps in about 40% of the agreements examined.',
    '      - bullets:',
    '          - Some contracts lacked provisions on business continuity, which leaves banks without recourse when a provider fails during an outage that lasts several days.',
    '          - Some contracts did not define how a provider must report a security incident, including how quickly it must tell the bank and its regulator.',
    '          - Many contracts gave the provider sole control over the location of bank data, including data stored abroad, despite guidance to the contrary.',
    '          - A few contracts let the provider end the service on short notice, with no plan for moving the bank’s data to another provider.',
    '          - Most contracts did not require the provider to share the results of its own **independent audits** with the bank.',
    '  - heading: Issues for Congress',
    '    blocks:',
    '      - paragraph: >-',
    '          Congress may consider whether the agencies’ authority over providers is sufficient. Some',
    '          Members have proposed requiring providers to register with the agencies, while others',
    '          prefer that banks bear the responsibility through their contracts.',
    '  - heading: Resources',
    '    blocks:',
    '      - bullets:',
    ...Array.from({ length: 12 }, (_, i) => `          - ${JSON.stringify(citation(i + 1))}`),
  ].join('\n');
}

/** Every file under `dir` (thumbs/ too), by its path inside it, with its bytes: what a test compares before and after a build. */
export function snapshotFiles(dir: string): Map<string, Buffer> {
  return new Map(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .map((f) => [f, fs.readFileSync(path.join(dir, f))]),
  );
}

/**
 * The bytes of a pdfkit document made with `options` (no default font: pdfkit would
 * load Helvetica's metrics) after `draw` has drawn on it, dated from nothing unless
 * `options` dates it, so that the same drawing gives the same bytes.
 */
export async function pdfkitBytes(options: PDFKit.PDFDocumentOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ font: null as unknown as string, ...options, info: { CreationDate: new Date(0), ...options.info } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', resolve));
  draw(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

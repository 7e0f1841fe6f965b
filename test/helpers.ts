// Shared test helpers: build in memory or in a temp folder (never in out/), and
// read the artifacts the way a reader's software does.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { buildBrief, createContext, type BuildContext, type BuildResult } from '../pipeline/run/build.ts';
import type { Diagnostic } from '../pipeline/core/diagnostics.ts';
import { loadBrief } from '../pipeline/input/load.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { validateBrief } from '../pipeline/validate/validate.ts';

export const sampleDir = path.join(projectRoot, 'data', 'briefs', 'IF10199');

let context: BuildContext | undefined;
export function sharedContext(): BuildContext {
  context ??= createContext();
  return context;
}

export async function build(dir: string, formats: Array<'pdf' | 'pptx'> = ['pdf', 'pptx']): Promise<BuildResult> {
  return buildBrief(dir, sharedContext(), { formats: new Set(formats) });
}

export type Built = Extract<BuildResult, { ok: true }>;

export function expectBuilt(result: BuildResult): Built {
  if (!result.ok) throw new Error(`build failed:\n${result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.field}: ${d.message}`).join('\n')}`);
  return result;
}

export function artifact(result: Built, format: 'pdf' | 'pptx'): Buffer {
  const found = result.artifacts.find((a) => a.format === format);
  if (!found) throw new Error(`no ${format} artifact`);
  return found.bytes;
}

/** A temp folder holding a copy of the sample brief (as `briefs/<id>/`), to be edited by a test. */
export function copySample(edit?: (yaml: string) => string, id = 'IF10199'): { root: string; dir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'briefpress-test-'));
  const dir = path.join(root, 'briefs', id);
  fs.mkdirSync(dir, { recursive: true });
  for (const file of fs.readdirSync(sampleDir)) fs.copyFileSync(path.join(sampleDir, file), path.join(dir, file));
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

/** Reads a PDF with pdfjs-dist, as a viewer would, separating content from artifacts. */
export async function readPdf(bytes: Uint8Array): Promise<PdfReading> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  const pages: PdfPageText[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const text = await page.getTextContent({ includeMarkedContent: true });
    const content: string[] = [];
    const artifacts: string[] = [];
    const stack: string[] = [];
    for (const item of text.items) {
      if ('type' in item) {
        if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') stack.push((item as { tag?: string }).tag ?? '');
        else if (item.type === 'endMarkedContent') stack.pop();
        continue;
      }
      if (!item.str) continue;
      (stack.includes('Artifact') ? artifacts : content).push(item.str + (item.hasEOL ? '\n' : ''));
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
  const result = XMLValidator.validate(xml);
  return result === true ? true : `${result.err.msg} at line ${result.err.line}`;
}

export const xmlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'briefpress-test-'));
}

/** The error diagnostics of a copy of the sample after `edit` (and `extra`, which may change files). */
export function validationErrors(edit: ((yaml: string) => string) | undefined, extra?: (dir: string) => void): Diagnostic[] {
  const { dir } = copySample(edit);
  extra?.(dir);
  return validateBrief(loadBrief(dir)).diagnostics.filter((d) => d.severity === 'error');
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

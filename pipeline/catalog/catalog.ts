// Stage 7, the catalog: out/index.html, every brief of the output folder's manifest
// on one page, newest first, with its files, its status and, for a failed brief,
// why it failed. Made from the manifest alone (plus a look at which recorded files
// are on disk), so it is the same for briefs built, reused or merged from shards,
// and the same manifest always gives the same bytes.
//
// The page is a plain list that works without JavaScript; a small inline script
// adds a filter box. Nothing is loaded from elsewhere: the style and the script
// are inline and the Content-Security-Policy allows exactly them, by hash.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { longDate } from '../core/dates.ts';
import { templatesDir as projectTemplates } from '../core/paths.ts';
import { writeAtomicIfChanged } from '../output/atomic.ts';
import type { Manifest, ManifestArtifact, ManifestEntry } from '../output/manifest.ts';

export const CATALOG_NAME = 'index.html';

/** How each format is named on the page, in the order its links are listed; a format not named here follows, in capitals. */
const FORMATS: Readonly<Record<string, { label: string; type: string }>> = {
  html: { label: 'Web page', type: 'text/html' },
  pdf: { label: 'PDF', type: 'application/pdf' },
  pptx: { label: 'PowerPoint deck', type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' },
};
const FORMAT_ORDER = Object.keys(FORMATS);

const STATUS_LABEL: Readonly<Record<ManifestEntry['status'], string>> = { built: 'Built', reused: 'Reused', failed: 'Failed' };

/** "1.2 MB", "87 kB": decimal units, as file managers show them; fixed, so the bytes never vary. */
export function fileSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

interface FileLink {
  readonly href: string;
  readonly label: string;
  readonly type: string;
  readonly size: string;
  readonly count?: string;
}

interface CatalogBrief {
  readonly id: string;
  readonly anchor: string;
  readonly title: string;
  readonly version?: number;
  readonly updated?: string;
  readonly updatedLong?: string;
  readonly status: ManifestEntry['status'];
  readonly statusLabel: string;
  readonly authors: string;
  readonly summary: string;
  readonly files: readonly FileLink[];
  /** Recorded files that are not on disk (a folder copied in part): named, never linked. */
  readonly missing: readonly string[];
  readonly thumbnail?: { readonly src: string; readonly width: number; readonly height: number };
  readonly errors: readonly string[];
  readonly lastGood?: { readonly version?: number; readonly updatedLong?: string; readonly files: readonly FileLink[] };
  /** Everything the filter matches, folded (see fold()). */
  readonly search: string;
}

/** Lower case without accents, so "Mexico" finds "México"; the inline script folds the query the same way. */
export const fold = (text: string): string => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

const onDisk = (outDir: string, relative: string): boolean => fs.statSync(path.join(outDir, relative), { throwIfNoEntry: false })?.isFile() === true;

function fileLinks(artifacts: readonly ManifestArtifact[], outDir: string): { files: FileLink[]; missing: string[] } {
  const rank = (format: string) => (FORMAT_ORDER.includes(format) ? FORMAT_ORDER.indexOf(format) : FORMAT_ORDER.length);
  const sorted = [...artifacts].sort((a, b) => rank(a.format) - rank(b.format) || a.path.localeCompare(b.path));
  const files: FileLink[] = [];
  const missing: string[] = [];
  for (const artifact of sorted) {
    if (!onDisk(outDir, artifact.path)) {
      missing.push(artifact.path);
      continue;
    }
    const known = FORMATS[artifact.format];
    const count = artifact.pages !== undefined ? `${artifact.pages} page${artifact.pages === 1 ? '' : 's'}` : artifact.slides !== undefined ? `${artifact.slides} slide${artifact.slides === 1 ? '' : 's'}` : undefined;
    files.push({
      // Manifest paths are relative to the output folder, with forward slashes; encodeURI keeps the slashes.
      href: encodeURI(artifact.path),
      label: known?.label ?? String(artifact.format).toUpperCase(),
      type: known?.type ?? 'application/octet-stream',
      size: fileSize(artifact.bytes),
      ...(count ? { count } : {}),
    });
  }
  return { files, missing };
}

const dateOf = (entry: ManifestEntry): string => entry.updated ?? entry.lastGood?.updated ?? '';

function catalogBrief(entry: ManifestEntry, outDir: string): CatalogBrief {
  const title = entry.title ?? entry.lastGood?.title ?? entry.id;
  const updated = dateOf(entry);
  const { files, missing } = fileLinks(entry.artifacts, outDir);
  const lastGood = entry.status === 'failed' && entry.lastGood ? fileLinks(entry.lastGood.artifacts, outDir).files : [];
  const authors = (entry.authors ?? []).join(', ');
  // A failed brief shows the page 1 of its last good build, whose files it links.
  const picture = entry.status === 'failed' ? (lastGood.length > 0 ? entry.lastGood?.thumbnail : undefined) : entry.thumbnail;
  const thumbnail = picture && onDisk(outDir, picture.path) ? picture : undefined;
  return {
    id: entry.id,
    anchor: `brief-${entry.id}`,
    title,
    ...(entry.version !== undefined ? { version: entry.version } : entry.lastGood?.version !== undefined ? { version: entry.lastGood.version } : {}),
    ...(/^\d{4}-\d{2}-\d{2}$/.test(updated) ? { updated, updatedLong: longDate(updated) } : {}),
    status: entry.status,
    statusLabel: STATUS_LABEL[entry.status] ?? String(entry.status),
    authors,
    summary: entry.summary ?? '',
    files,
    missing,
    ...(thumbnail ? { thumbnail: { src: encodeURI(thumbnail.path), width: Math.round(thumbnail.width / 2), height: Math.round(thumbnail.height / 2) } } : {}),
    errors: entry.errors ?? [],
    ...(lastGood.length > 0
      ? {
          lastGood: {
            ...(entry.lastGood!.version !== undefined ? { version: entry.lastGood!.version } : {}),
            ...(entry.lastGood!.updated && /^\d{4}-\d{2}-\d{2}$/.test(entry.lastGood!.updated) ? { updatedLong: longDate(entry.lastGood!.updated) } : {}),
            files: lastGood,
          },
        }
      : {}),
    search: fold([title, entry.id, authors, entry.summary ?? ''].join(' ')),
  };
}

/** Newest first by the brief's date, then by id; a brief with no date (failed at its first build) last. */
export function catalogOrder(entries: readonly ManifestEntry[]): ManifestEntry[] {
  return [...entries].sort((a, b) => dateOf(b).localeCompare(dateOf(a)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const cspHash = (source: string): string => `'sha256-${crypto.createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/** The catalog's templates, compiled once per folder. */
export class CatalogTemplates {
  private readonly page: Handlebars.TemplateDelegate;
  readonly style: string;
  readonly script: string;

  constructor(templatesDir = projectTemplates) {
    const dir = path.join(templatesDir, 'catalog');
    const hb = Handlebars.create();
    // Escaping stays on: every value from the manifest (titles, errors) is text, never markup.
    this.page = hb.compile(fs.readFileSync(path.join(dir, 'index.hbs'), 'utf8'), { strict: true });
    this.style = fs.readFileSync(path.join(dir, 'catalog.css'), 'utf8');
    this.script = fs.readFileSync(path.join(dir, 'filter.js'), 'utf8');
    // The style and the script are our own files, put into the page whole: a closing tag in either would end it early.
    if (/<\/style/i.test(this.style) || /<\/script|<!--/i.test(this.script)) throw new Error(`catalog templates in ${dir}: catalog.css or filter.js holds a closing tag`);
  }

  render(manifest: Manifest, outDir: string): string {
    const briefs = catalogOrder(manifest.briefs).map((entry) => catalogBrief(entry, outDir));
    const count = (status: ManifestEntry['status']) => briefs.filter((b) => b.status === status).length;
    const style = this.style.trim();
    const script = this.script.trim();
    return this.page({
      generator: manifest.generator,
      total: briefs.length,
      plural: briefs.length !== 1,
      built: count('built'),
      reused: count('reused'),
      failed: count('failed'),
      failedBriefs: briefs.filter((b) => b.status === 'failed'),
      briefs,
      // Handlebars' triple braces put these in unescaped: they are the repository's files, not data.
      style,
      script,
      csp: `default-src 'none'; img-src 'self'; style-src ${cspHash(style)}; script-src ${cspHash(script)}; base-uri 'none'; form-action 'none'`,
    });
  }
}

/**
 * Writes the catalog of `manifest` into `outDir` (atomically, like every file there); returns its path.
 * The templates are read each time (three small files): under --watch an edited one shows at the next build.
 */
export function writeCatalog(outDir: string, manifest: Manifest, templates: CatalogTemplates = new CatalogTemplates()): string {
  const file = path.join(outDir, CATALOG_NAME);
  writeAtomicIfChanged(file, templates.render(manifest, outDir));
  return file;
}

// Stage 6, publishing: a brief's artifacts and the manifest that records them,
// written all or none, by the process that holds the output folder's lock.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeAllAtomic, writeAtomicIfChanged, type Rename } from './atomic.ts';

export type Format = 'pdf' | 'pptx' | 'html';

/** Every format, in the order a build makes them (the default of the CLI). */
export const FORMATS: readonly Format[] = ['pdf', 'pptx', 'html'];

export interface Artifact {
  readonly format: Format;
  readonly bytes: Buffer;
  /** Pages of a PDF or slides of a deck; a web page is one page, and its record says nothing of it. */
  readonly count: number;
}

export interface ManifestArtifact {
  readonly path: string;
  readonly format: Format;
  readonly bytes: number;
  readonly sha256: string;
  readonly pages?: number;
  readonly slides?: number;
}

/** A file the catalog shows beside a brief's artifacts (its page-1 thumbnail). */
export interface ManifestFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
}

export interface ManifestEntry {
  readonly id: string;
  readonly version?: number;
  readonly updated?: string;
  // The catalog's fields (out/index.html): optional, so a manifest written before them still reads.
  readonly title?: string;
  /** Authors' names, in the brief's order. */
  readonly authors?: readonly string[];
  /** The brief's key points as one short text, for the catalog's filter. */
  readonly summary?: string;
  /** Page 1 of the PDF as a PNG, under thumbs/. */
  readonly thumbnail?: ManifestFile;
  /** built: written by this run; reused: inputs unchanged, files kept from an earlier run; failed: not built. */
  readonly status: 'built' | 'reused' | 'failed';
  /** Hash of everything the artifacts depend on (pipeline/cache.ts). */
  readonly inputHash?: string;
  /** What the build read, by the brief's name for each file: its SHA-256, or missing / unreadable (the cache re-reads them). */
  readonly inputs?: Readonly<Record<string, string>>;
  readonly artifacts: readonly ManifestArtifact[];
  readonly errors?: readonly string[];
  /**
   * For a failed brief: the files of its last good build, which a failed build
   * leaves in place, when they are still on disk exactly as recorded.
   */
  readonly lastGood?: {
    readonly version?: number;
    readonly updated?: string;
    readonly title?: string;
    readonly artifacts: readonly ManifestArtifact[];
    /** Its page-1 thumbnail, which a failed build leaves in place too. */
    readonly thumbnail?: ManifestFile;
  };
  /** How full each column of each body page is (0–1), page by page. */
  readonly columnFill?: ReadonlyArray<readonly number[]>;
  /** Paragraphs set a line tighter to keep the brief inside its page budget (copyfitting), where they are in brief.yaml. */
  readonly tightened?: ReadonlyArray<{ readonly field: string; readonly line: number; readonly from: number; readonly to: number }>;
}

export interface Manifest {
  readonly generator: string;
  readonly briefs: readonly ManifestEntry[];
}

export const MANIFEST_NAME = 'manifest.json';

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function artifactFileName(id: string, format: Format): string {
  return `${id}.${format}`;
}

export const THUMBS_DIR = 'thumbs';

/** Where a brief's thumbnail goes, relative to the output folder (always with /, as the catalog links it). */
export const thumbnailPath = (id: string): string => `${THUMBS_DIR}/${id}.png`;

/** A file published with a brief's artifacts, by its path relative to the output folder. */
export interface ExtraFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** The manifest records of a brief's artifacts (written by publishBrief). */
export function artifactRecords(id: string, artifacts: readonly Artifact[]): ManifestArtifact[] {
  return artifacts.map((artifact) => {
    const name = artifactFileName(id, artifact.format);
    return {
      path: name,
      format: artifact.format,
      bytes: artifact.bytes.length,
      sha256: sha256(artifact.bytes),
      ...(artifact.format === 'pdf' ? { pages: artifact.count } : artifact.format === 'pptx' ? { slides: artifact.count } : {}),
    };
  });
}

export function readManifest(outDir: string): Manifest | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST_NAME), 'utf8')) as Manifest;
    return Array.isArray(parsed.briefs) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest on disk with `entries` merged in (a build of one brief keeps the others' records). */
function mergedManifest(outDir: string, generator: string, entries: readonly ManifestEntry[]): Manifest {
  const previous = readManifest(outDir)?.briefs ?? [];
  const byId = new Map(previous.map((e) => [e.id, e]));
  for (const entry of entries) byId.set(entry.id, entry);
  return { generator, briefs: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)) };
}

const manifestText = (manifest: Manifest): string => JSON.stringify(manifest, null, 2) + '\n';

/**
 * The manifest a run keeps rewriting, held in memory. Publishing a brief writes the
 * whole manifest with its record; read from disk, parsed and sorted again for each
 * brief, that made a batch's publishing grow with the square of its size (a
 * 1,000-brief batch: a ~600 kB file parsed and sorted by locale a thousand times).
 * The run holds the output folder's lock, so the file changes only through it. Each
 * record's text is kept as written, so the file's text is theirs joined: the same
 * bytes as JSON.stringify of the whole manifest.
 */
export class ManifestRecords {
  /** Brief ids in the manifest's order. */
  private readonly ids: string[] = [];
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly generator: string,
    entries: readonly ManifestEntry[],
  ) {
    for (const entry of entries) this.commit(entry);
  }

  /** The manifest's text with `entry` recorded; the records stay as they are until commit(entry). */
  textWith(entry: ManifestEntry): string {
    const own = recordText(entry);
    const at = this.texts.has(entry.id) ? -1 : this.position(entry.id);
    const records: string[] = [];
    for (let i = 0; i <= this.ids.length; i++) {
      if (i === at) records.push(own);
      if (i === this.ids.length) break;
      const id = this.ids[i]!;
      records.push(id === entry.id ? own : this.texts.get(id)!);
    }
    const briefs = records.length === 0 ? '[]' : `[\n${records.join(',\n')}\n  ]`;
    return `{\n  "generator": ${JSON.stringify(this.generator)},\n  "briefs": ${briefs}\n}\n`;
  }

  /** Records `entry`, once its files and the manifest with it are on disk. */
  commit(entry: ManifestEntry): void {
    if (!this.texts.has(entry.id)) this.ids.splice(this.position(entry.id), 0, entry.id);
    this.texts.set(entry.id, recordText(entry));
  }

  /** Where `id` goes in the manifest's order (after any id that compares equal, as a stable sort leaves a later one). */
  private position(id: string): number {
    let low = 0;
    let high = this.ids.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.ids[middle]!.localeCompare(id) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** A record as it stands in the manifest's text: two levels in, four spaces. */
const recordText = (entry: ManifestEntry): string => `    ${JSON.stringify(entry, null, 2).replace(/\n/g, '\n    ')}`;

/** Merges this run's entries into the existing manifest and writes it, unless that changes nothing (a run whose every brief was built and published with its record). */
export function writeManifest(outDir: string, generator: string, entries: readonly ManifestEntry[]): Manifest {
  const manifest = mergedManifest(outDir, generator, entries);
  writeAtomicIfChanged(path.join(outDir, MANIFEST_NAME), manifestText(manifest));
  return manifest;
}

/**
 * Publishes a built brief: its artifacts and the manifest with its record, every
 * file staged and flushed before any is renamed, so a failure before the renames
 * (a full disk, a folder where manifest.json goes) changes nothing at all. The
 * manifest is renamed last: it never records files that are not in place.
 */
export function publishBrief(
  outDir: string,
  generator: string,
  entry: ManifestEntry,
  artifacts: readonly Artifact[],
  rename?: Rename,
  extra: readonly ExtraFile[] = [],
  /** The run's manifest in memory; without it, the manifest on disk is read and merged. */
  records?: ManifestRecords,
): void {
  for (const dir of new Set(extra.map((f) => path.dirname(path.join(outDir, f.path))))) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch {
      // Staging the file there fails next, as an output error that names it.
    }
  }
  writeAllAtomic(
    [
      ...artifacts.map((a) => ({ file: path.join(outDir, artifactFileName(entry.id, a.format)), bytes: a.bytes })),
      ...extra.map((f) => ({ file: path.join(outDir, f.path), bytes: f.bytes })),
      { file: path.join(outDir, MANIFEST_NAME), bytes: records ? records.textWith(entry) : manifestText(mergedManifest(outDir, generator, [entry])) },
    ],
    rename,
  );
  records?.commit(entry);
}

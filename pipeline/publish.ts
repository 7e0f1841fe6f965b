// Stage 6: the only code that writes into the output folder. Each file is
// written to a temporary file in the same folder, flushed to disk and renamed
// over the old one, so a reader (or a crash) sees either the previous file or
// the new one, never half of one. The manifest is written the same way, last.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BriefpressError, ErrorCode } from './diagnostics.ts';

export type Format = 'pdf' | 'pptx';

export interface Artifact {
  readonly format: Format;
  readonly bytes: Buffer;
  /** Pages of a PDF or slides of a deck. */
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

export interface ManifestEntry {
  readonly id: string;
  readonly version?: number;
  readonly updated?: string;
  readonly status: 'built' | 'failed';
  readonly artifacts: readonly ManifestArtifact[];
  readonly errors?: readonly string[];
  /** How full each column of each body page is (0–1), page by page. */
  readonly columnFill?: ReadonlyArray<readonly number[]>;
}

export interface Manifest {
  readonly generator: string;
  readonly briefs: readonly ManifestEntry[];
}

export const MANIFEST_NAME = 'manifest.json';

export function ensureOutputDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (cause) {
    throw new BriefpressError(ErrorCode.output, `cannot create the output folder ${dir}: ${(cause as NodeJS.ErrnoException).code ?? cause}`, { cause });
  }
  if (!fs.statSync(dir).isDirectory()) throw new BriefpressError(ErrorCode.output, `the output path ${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (cause) {
    throw new BriefpressError(ErrorCode.output, `the output folder ${dir} is not writable`, { cause });
  }
}

/** Writes `bytes` to `file` atomically; on any failure the temp file is removed and the old file is untouched. */
export function writeAtomic(file: string, bytes: Uint8Array | string): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, file);
  } catch (cause) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    const code = (cause as NodeJS.ErrnoException).code;
    throw new BriefpressError(ErrorCode.output, `cannot write ${file}: ${code === 'ENOSPC' ? 'the disk is full' : code ?? String(cause)}`, { cause });
  }
  syncDir(dir);
}

function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems refuse to fsync a directory; the rename is still atomic there.
  }
}

export function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function artifactFileName(id: string, format: Format): string {
  return `${id}.${format}`;
}

/** Writes a brief's artifacts and returns their manifest records. */
export function publishArtifacts(outDir: string, id: string, artifacts: readonly Artifact[]): ManifestArtifact[] {
  return artifacts.map((artifact) => {
    const name = artifactFileName(id, artifact.format);
    writeAtomic(path.join(outDir, name), artifact.bytes);
    return {
      path: name,
      format: artifact.format,
      bytes: artifact.bytes.length,
      sha256: sha256(artifact.bytes),
      ...(artifact.format === 'pdf' ? { pages: artifact.count } : { slides: artifact.count }),
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

/** Merges this run's entries into the existing manifest (a build of one brief keeps the others' records). */
export function writeManifest(outDir: string, generator: string, entries: readonly ManifestEntry[]): Manifest {
  const previous = readManifest(outDir)?.briefs ?? [];
  const byId = new Map(previous.map((e) => [e.id, e]));
  for (const entry of entries) byId.set(entry.id, entry);
  const manifest: Manifest = { generator, briefs: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)) };
  writeAtomic(path.join(outDir, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

// Incremental builds: a brief is rebuilt only when something its artifacts depend
// on changed. The input hash covers the brief's folder, every template and the
// theme, the pipeline's own source, the dependency lock file (fonts, pdfkit,
// pptxgenjs … by exact version) and the build options. The previous manifest
// records each brief's hash; its files are reused when they are still on disk
// with the recorded size and checksum.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, templatesDir } from '../core/paths.ts';
import { sha256, type Format, type ManifestArtifact, type ManifestEntry } from '../output/manifest.ts';

function hashFolder(hash: crypto.Hash, dir: string, filter: (name: string) => boolean = () => true): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) hashFolder(hash, full, filter);
    else if (entry.isFile() && filter(entry.name)) {
      hash.update(`${path.relative(dir, full)}\0`);
      hash.update(fs.readFileSync(full));
      hash.update('\0');
    }
  }
}

/** Everything outside the brief that shapes its artifacts; computed once per run. */
export function environmentHash(): string {
  const hash = crypto.createHash('sha256');
  hashFolder(hash, templatesDir);
  hashFolder(hash, path.join(projectRoot, 'pipeline'), (name) => name.endsWith('.ts') || name.endsWith('.mjs'));
  for (const file of ['package.json', 'package-lock.json']) {
    const full = path.join(projectRoot, file);
    if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
  }
  return hash.digest('hex');
}

export function briefInputHash(briefDir: string, environment: string, formats: ReadonlySet<Format>, allowOverflow: boolean): string {
  const hash = crypto.createHash('sha256');
  hash.update(`${environment}\0${[...formats].sort().join(',')}\0${allowOverflow}\0`);
  hashFolder(hash, briefDir);
  return hash.digest('hex');
}

/** The previous entry, when its artifacts are still exactly what it recorded. */
export function reusable(previous: ManifestEntry | undefined, inputHash: string, outDir: string): ManifestEntry | undefined {
  if (!previous || previous.status === 'failed' || previous.inputHash !== inputHash) return undefined;
  return artifactsIntact(previous.artifacts, outDir) ? previous : undefined;
}

/** Whether every recorded file is on disk with the recorded size and checksum. */
export function artifactsIntact(artifacts: readonly ManifestArtifact[], outDir: string): boolean {
  return artifacts.every((artifact) => {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(path.join(outDir, artifact.path));
    } catch {
      return false;
    }
    return bytes.length === artifact.bytes && sha256(bytes) === artifact.sha256;
  });
}

/** A stable 32-bit hash of a brief id (FNV-1a), so a shard keeps its briefs as others are added. */
export function shardOf(id: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % count;
}

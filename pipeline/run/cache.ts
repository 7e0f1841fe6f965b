// Incremental builds: a brief is rebuilt only when something its artifacts depend
// on changed. The input hash covers every file the brief's last build read (by the
// name the brief gives it, so a retargeted link or a renamed folder counts) and
// those it looked for and did not find, every template and the theme, the
// pipeline's own source, the dependency lock file (fonts, pdfkit, pptxgenjs … by
// exact version) and the build options. The manifest records each brief's inputs
// and hash: the next run reads the recorded files again, recomputes the hash, and
// reuses the files only when it matches and they are still on disk with the
// recorded size and checksum.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, templatesDir } from '../core/paths.ts';
import { inputDigest } from '../input/load.ts';
import { limits } from '../input/schema.ts';
import { imageLimits } from '../validate/images.ts';
import { sha256, type Format, type ManifestArtifact, type ManifestEntry } from '../output/manifest.ts';

/** `filter` is given each file's path relative to the folder hashed, with forward slashes. */
function hashFolder(hash: crypto.Hash, dir: string, filter: (relative: string) => boolean = () => true, prefix = ''): void {
  // Ordered by code unit, not by locale: the same on every machine, and no ICU collation per file.
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) hashFolder(hash, path.join(dir, entry.name), filter, `${relative}/`);
    else if (entry.isFile() && filter(relative)) {
      // The path from the root: a file moved between folders changes the hash.
      hash.update(`${relative}\0`);
      hash.update(fs.readFileSync(path.join(dir, entry.name)));
      hash.update('\0');
    }
  }
}

/** A hash of every file under `dir`, by its path inside it. */
export function folderHash(dir: string): string {
  const hash = crypto.createHash('sha256');
  hashFolder(hash, dir);
  return hash.digest('hex');
}

/**
 * The catalog page (its templates and code) is made from the manifest after the
 * briefs, and shapes none of their files: editing it must not rebuild hundreds
 * of briefs. The thumbnail is drawn at build time, so its code counts.
 */
export const catalogPageOnly = (relative: string): boolean => relative.startsWith('catalog/') && relative !== 'catalog/thumbnail.ts';

/** Everything outside the brief that shapes its artifacts; computed once per run. */
export function environmentHash(): string {
  const hash = crypto.createHash('sha256');
  hashFolder(hash, templatesDir, (relative) => !catalogPageOnly(relative));
  hashFolder(hash, path.join(projectRoot, 'pipeline'), (relative) => (relative.endsWith('.ts') || relative.endsWith('.mjs')) && !catalogPageOnly(relative));
  for (const file of ['package.json', 'package-lock.json']) {
    const full = path.join(projectRoot, file);
    if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
  }
  return hash.digest('hex');
}

/** The part of every brief's key that is not the brief's own: the environment and the build options. */
export function buildEnvironment(environment: string, formats: ReadonlySet<Format>, allowOverflow: boolean): string {
  return crypto.createHash('sha256').update(`${environment}\0${[...formats].sort().join(',')}\0${allowOverflow}\0`).digest('hex');
}

/** The cache key of a build that read `inputs` (name → digest, as pipeline/input/files.ts records them). */
export function inputKey(buildEnvironment: string, inputs: Readonly<Record<string, string>>): string {
  const hash = crypto.createHash('sha256').update(`${buildEnvironment}\0`);
  for (const name of Object.keys(inputs).sort()) hash.update(`${name}\0${inputs[name]}\0`);
  return hash.digest('hex');
}

/** No input may be larger than this; one that is changed since it was recorded anyway. */
const LARGEST_INPUT = Math.max(limits.yamlFileBytes, limits.csvFileBytes, imageLimits.fileBytes);

/** The key the recorded inputs of `previous` have now, read again from the brief's folder. */
export function currentKey(briefDir: string, buildEnvironment: string, recorded: Readonly<Record<string, string>>): string {
  const now: Record<string, string> = {};
  for (const name of Object.keys(recorded)) now[name] = inputDigest(briefDir, name, LARGEST_INPUT);
  return inputKey(buildEnvironment, now);
}

/** The previous entry, when the files its build read are as they were and its artifacts are still exactly what it recorded. */
export function reusable(previous: ManifestEntry | undefined, briefDir: string, buildEnvironment: string, outDir: string): ManifestEntry | undefined {
  // An entry without its inputs comes from an older briefpress, whose key cannot be checked: rebuild.
  if (!previous || previous.status === 'failed' || !previous.inputs || !previous.inputHash) return undefined;
  if (currentKey(briefDir, buildEnvironment, previous.inputs) !== previous.inputHash) return undefined;
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

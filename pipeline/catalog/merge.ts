// Stage 7, one output folder from several: a CI matrix builds its shards on
// separate machines, each into its own out/ with its part of the manifest. The
// merge copies every recorded file (artifacts, last good files, thumbnails) into
// one folder, checked against its recorded checksum, and writes one manifest, from
// which the caller writes one catalog.
import fs from 'node:fs';
import path from 'node:path';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import { writeAtomic } from '../output/atomic.ts';
import { readManifest, sha256, writeManifest, type Manifest, type ManifestEntry } from '../output/manifest.ts';

/** A brief in two shards' manifests (a brief moved between shards): a good record beats a failure, then the newer date, then the later folder. */
function better(a: ManifestEntry, b: ManifestEntry): ManifestEntry {
  const good = (e: ManifestEntry) => (e.status === 'failed' ? 0 : 1);
  if (good(a) !== good(b)) return good(a) > good(b) ? a : b;
  return (a.updated ?? '') > (b.updated ?? '') ? a : b;
}

/** Every file an entry names, relative to its output folder. */
function filesOf(entry: ManifestEntry): Array<{ path: string; sha256: string }> {
  return [...entry.artifacts, ...(entry.lastGood?.artifacts ?? []), ...[entry.thumbnail, entry.lastGood?.thumbnail].filter((t) => t !== undefined)];
}

/** A manifest path that stays inside the folder: the manifest is data from another machine. */
function inside(dir: string, relative: string): string | undefined {
  const full = path.resolve(dir, relative);
  const rel = path.relative(path.resolve(dir), full);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? full : undefined;
}

export interface MergeResult {
  readonly manifest: Manifest;
  readonly copied: number;
  /** Recorded files a source folder did not have as recorded (missing or changed): not copied, and the catalog names them. */
  readonly problems: readonly string[];
}

export function mergeOutputs(outDir: string, sources: readonly string[], generator: string): MergeResult {
  const chosen = new Map<string, { entry: ManifestEntry; dir: string }>();
  for (const dir of [outDir, ...sources]) {
    const manifest = readManifest(dir);
    if (!manifest) {
      if (dir === outDir) continue; // The merged folder may start empty.
      throw new BriefpressError(ErrorCode.usage, `--merge ${dir}: no readable manifest.json there (expected the --out folder of a build)`);
    }
    for (const entry of manifest.briefs) {
      const held = chosen.get(entry.id);
      if (!held || better(held.entry, entry) === entry) chosen.set(entry.id, { entry, dir });
    }
  }
  let copied = 0;
  const problems: string[] = [];
  for (const { entry, dir } of chosen.values()) {
    if (path.resolve(dir) === path.resolve(outDir)) continue;
    for (const file of filesOf(entry)) {
      const from = inside(dir, file.path);
      const to = inside(outDir, file.path);
      if (!from || !to) {
        problems.push(`${entry.id}: ${file.path} points outside its folder; not copied`);
        continue;
      }
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(from);
      } catch {
        problems.push(`${entry.id}: ${from} is missing; not copied`);
        continue;
      }
      if (sha256(bytes) !== file.sha256) {
        problems.push(`${entry.id}: ${from} is not the file its manifest records (checksum differs); not copied`);
        continue;
      }
      fs.mkdirSync(path.dirname(to), { recursive: true });
      writeAtomic(to, bytes);
      copied++;
    }
  }
  const entries = [...chosen.values()].map((c) => c.entry);
  return { manifest: writeManifest(outDir, generator, entries), copied, problems };
}

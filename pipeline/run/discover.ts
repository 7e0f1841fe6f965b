// Which briefs a run builds: the folders under DATA/briefs/ that hold a
// brief.yaml, narrowed to the ids asked for and to one shard of a CI matrix.
// The first build and every --watch rebuild ask here, so both agree.
import fs from 'node:fs';
import path from 'node:path';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import { shardOf } from './cache.ts';

export interface Selection {
  readonly dataDir: string;
  /** Ids asked for; empty for every brief. */
  readonly ids: readonly string[];
  /** Only the briefs of shard `index` of `count` (1-based). */
  readonly shard?: { readonly index: number; readonly count: number };
}

export const briefsDirOf = (dataDir: string): string => path.join(dataDir, 'briefs');

/** Whether the brief `id` belongs to the selection (its folder aside). */
export function isSelected(id: string, selection: Selection): boolean {
  if (selection.ids.length > 0 && !selection.ids.includes(id)) return false;
  return !selection.shard || shardOf(id, selection.shard.count) === selection.shard.index - 1;
}

/** The selected briefs' folders, sorted by id; usage errors for a missing folder or id. */
export function discoverBriefs(selection: Selection): string[] {
  const briefsDir = briefsDirOf(selection.dataDir);
  let available: string[];
  try {
    available = fs
      .readdirSync(briefsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(briefsDir, e.name, 'brief.yaml')))
      .map((e) => e.name)
      .sort();
  } catch {
    throw new BriefpressError(ErrorCode.usage, `no briefs folder at ${briefsDir} (--data names a folder that holds briefs/<ID>/brief.yaml)`);
  }
  if (selection.ids.length === 0 && available.length === 0) throw new BriefpressError(ErrorCode.usage, `no briefs in ${briefsDir}`);
  const missing = selection.ids.filter((id) => !available.includes(id));
  if (missing.length > 0) {
    throw new BriefpressError(ErrorCode.usage, `no brief ${missing.join(', ')} in ${briefsDir} (found: ${available.join(', ') || 'none'})`);
  }
  const ids = selection.ids.length > 0 ? selection.ids : available;
  return ids.filter((id) => isSelected(id, selection)).map((id) => path.join(briefsDir, id));
}

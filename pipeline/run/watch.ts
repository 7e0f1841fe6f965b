// `--watch`: after the first build, rebuild a brief when a file in its folder
// changes, and every selected brief when a template or the theme changes. Runs
// until Ctrl-C (exit 130) or, in tests, until `stop` is aborted.
import fs from 'node:fs';
import path from 'node:path';
import { templatesDir as projectTemplates } from '../core/paths.ts';
import { briefsDirOf, discoverBriefs, isSelected, type Selection } from './discover.ts';

export interface WatchOptions extends Selection {
  /** The templates and theme to watch; the project's own unless a test says otherwise. */
  readonly templatesDir?: string;
  /** Ends the watch (the promise then resolves with 0). */
  readonly stop?: AbortSignal;
}

/**
 * Editors save in bursts (temp file, rename, touch), a few milliseconds long: a rebuild
 * waits this long for the burst to end. Every millisecond of it is added to the time
 * from save to rebuilt files, which issue 14 wants under 150 ms.
 */
export const SETTLE_MS = 40;

export async function watchBriefs(options: WatchOptions, rebuild: (dirs: readonly string[]) => Promise<number>, log: (line: string) => void): Promise<number> {
  const briefsDir = path.resolve(briefsDirOf(options.dataDir));
  const templatesDir = options.templatesDir ?? projectTemplates;
  const pending = new Set<string>();
  const watchers: fs.FSWatcher[] = [];
  let all = false;
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve(0);

  // Folders that held a brief when last seen: one whose brief.yaml is gone is reported once, not built.
  const known = new Set<string>();
  const flush = () => {
    let dirs: string[];
    try {
      dirs = all ? discoverBriefs({ ...options, dataDir: path.dirname(briefsDir) }) : [...pending].map((id) => path.join(briefsDir, id));
    } catch (error) {
      log(`briefpress: ${(error as Error).message}`);
      return;
    }
    pending.clear();
    all = false;
    dirs = dirs.filter((dir) => {
      if (fs.existsSync(path.join(dir, 'brief.yaml'))) {
        known.add(dir);
        return true;
      }
      if (known.delete(dir)) log(`${path.basename(dir)}: brief.yaml is gone (its folder moved or deleted); not rebuilt, watching for it to come back`);
      return false;
    });
    if (dirs.length === 0) return;
    log(`change detected: rebuilding ${dirs.map((d) => path.basename(d)).join(', ')}`);
    // A rebuild that throws must not end the watch with an unhandled rejection (and the lock held).
    running = running
      .then(() => rebuild(dirs))
      .catch((error: unknown) => {
        log(`briefpress: rebuild failed: ${error instanceof Error ? error.message : String(error)}; still watching`);
        return 1;
      });
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(flush, SETTLE_MS);
  };
  const watch = (dir: string, onChange: (name: string | null) => void): fs.FSWatcher | undefined => {
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, (_event, name) => onChange(name?.toString() ?? null));
    } catch {
      return undefined; // gone between the event and now: the parent's watcher sees it come back
    }
    // A watched folder that is deleted can end its watcher with an error; the parent's watcher re-arms it.
    watcher.on('error', () => watcher.close());
    watchers.push(watcher);
    return watcher;
  };

  // One watcher per folder, not a recursive one: editors and `sed -i` save by writing
  // a new file and renaming it over the old, and a folder's watcher sees every such
  // replacement, where Node's recursive watcher on Linux loses track of the file.
  // A brief's folder deleted and made again (a branch switch) is a new folder: its
  // old watcher sees nothing more, so every event of the briefs folder about it
  // watches it afresh.
  const watched = new Map<string, fs.FSWatcher>();
  const watchBrief = (id: string) => {
    const dir = path.join(briefsDir, id);
    if (!isSelected(id, options)) return;
    watched.get(dir)?.close();
    watched.delete(dir);
    let isDir = false;
    try {
      isDir = fs.statSync(dir).isDirectory();
    } catch {
      // moved away or deleted
    }
    if (!isDir) return;
    if (fs.existsSync(path.join(dir, 'brief.yaml'))) known.add(dir);
    const watcher = watch(dir, () => {
      pending.add(id);
      schedule();
    });
    if (watcher) watched.set(dir, watcher);
  };
  for (const id of fs.readdirSync(briefsDir)) watchBrief(id);
  watch(briefsDir, (name) => {
    if (!name) return;
    const dir = path.join(briefsDir, name);
    const before = watched.has(dir) || known.has(dir);
    watchBrief(name);
    if (before || watched.has(dir)) {
      pending.add(name);
      schedule();
    }
  });
  const templateFolders = [templatesDir, ...fs.readdirSync(templatesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(templatesDir, e.name))];
  for (const dir of templateFolders) {
    watch(dir, () => {
      all = true;
      schedule();
    });
  }
  log(`watching ${path.relative(process.cwd(), briefsDir) || briefsDir} and ${path.relative(process.cwd(), templatesDir) || templatesDir}; Ctrl-C to stop`);
  return new Promise<number>((resolve) => {
    options.stop?.addEventListener('abort', () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      void running.then(() => resolve(0));
    });
  });
}

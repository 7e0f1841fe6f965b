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
  /**
   * Builds a brief in memory and throws it away, stopping between stages once
   * `cancelled()` says so: run while the watcher waits for the first edit
   * (WARM_UP_BUILDS). Resolves false when building again would not help (the brief
   * did not build).
   */
  readonly warmUp?: (cancelled: () => boolean) => Promise<boolean>;
}

/**
 * Builds run while the watcher waits for its first edit, their output thrown away.
 * A process's first builds run in V8's interpreter and then wait on its optimising
 * compiler: the first save after a start took 186 ms to build and the next 125,
 * 133, 104, 97, where the tenth took 89 (IF10199, all formats). Six builds warm it
 * (~0.7 s of CPU, once). An edit cancels the warm-up at the next stage boundary
 * (a stage takes at most ~40 ms), and its rebuild starts then.
 */
export const WARM_UP_BUILDS = 6;

/**
 * Editors save in bursts (temp file, rename, touch): a rebuild waits this long for the
 * burst to end. Measured here, every burst reached the watcher within 0.2 ms of its
 * first event: vim's (swap files, write, 12 events), `sed -i` (5), a temp file renamed
 * over the brief (4), an in-place write (1). Every millisecond of the wait is added to
 * the time from save to rebuilt files, which issue 14 wants under 150 ms; a burst
 * longer than the wait costs a second rebuild, not a wrong one.
 */
export const SETTLE_MS = 20;

export async function watchBriefs(options: WatchOptions, rebuild: (dirs: readonly string[]) => Promise<number>, log: (line: string) => void): Promise<number> {
  const briefsDir = path.resolve(briefsDirOf(options.dataDir));
  const templatesDir = options.templatesDir ?? projectTemplates;
  const pending = new Set<string>();
  const watchers: fs.FSWatcher[] = [];
  let all = false;
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve(0);
  /** An edit has come (or the watch is ending): no more warm-up builds. */
  let warmUpOver = false;

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
    warmUpOver = true;
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
  const { warmUp } = options;
  if (warmUp) {
    let builds = 0;
    const warmOnce = (): void => {
      if (warmUpOver || builds++ >= WARM_UP_BUILDS) return;
      // Chained like a rebuild, so that an edit's rebuild starts when this one has stopped.
      running = running.then(async () => {
        try {
          if (!(await warmUp(() => warmUpOver))) warmUpOver = true;
        } catch {
          // A brief that cannot build warms nothing more by building again; its edit is reported by its rebuild.
          warmUpOver = true;
        }
        // A turn of the event loop between builds, for the watchers' events.
        setImmediate(warmOnce);
        return 0;
      });
    };
    warmOnce();
  }
  return new Promise<number>((resolve) => {
    options.stop?.addEventListener('abort', () => {
      warmUpOver = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      void running.then(() => resolve(0));
    });
  });
}

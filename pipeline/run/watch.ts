// `--watch`: after the first build, rebuild a brief when a file in its folder
// changes, and every brief when a template or the theme changes. Runs until
// Ctrl-C (exit 130).
import fs from 'node:fs';
import path from 'node:path';
import { templatesDir } from '../core/paths.ts';

interface WatchOptions {
  readonly dataDir: string;
  readonly ids: readonly string[];
}

export async function watchBriefs(options: WatchOptions, rebuild: (dirs: readonly string[]) => Promise<number>, log: (line: string) => void): Promise<number> {
  const briefsDir = path.resolve(options.dataDir, 'briefs');
  const pending = new Set<string>();
  let all = false;
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve(0);
  const wanted = (id: string) => options.ids.length === 0 || options.ids.includes(id);

  const flush = () => {
    const dirs = all
      ? fs.readdirSync(briefsDir).filter((id) => wanted(id) && fs.existsSync(path.join(briefsDir, id, 'brief.yaml'))).map((id) => path.join(briefsDir, id))
      : [...pending].map((id) => path.join(briefsDir, id));
    pending.clear();
    all = false;
    if (dirs.length === 0) return;
    log(`change detected: rebuilding ${dirs.map((d) => path.basename(d)).join(', ')}`);
    running = running.then(() => rebuild(dirs));
  };
  // Editors save in bursts (temp file, rename, touch): wait for the burst to end.
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(flush, 150);
  };

  // One watcher per folder, not a recursive one: editors and `sed -i` save by writing
  // a new file and renaming it over the old, and a folder's watcher sees every such
  // replacement, where Node's recursive watcher on Linux loses track of the file.
  const watched = new Set<string>();
  const watchBrief = (id: string) => {
    const dir = path.join(briefsDir, id);
    if (watched.has(dir) || !wanted(id) || !fs.existsSync(path.join(dir, 'brief.yaml'))) return;
    watched.add(dir);
    fs.watch(dir, () => {
      pending.add(id);
      schedule();
    });
  };
  for (const id of fs.readdirSync(briefsDir)) watchBrief(id);
  fs.watch(briefsDir, (_event, name) => {
    if (!name) return;
    watchBrief(name.toString());
    if (watched.has(path.join(briefsDir, name.toString()))) {
      pending.add(name.toString());
      schedule();
    }
  });
  for (const dir of [templatesDir, ...fs.readdirSync(templatesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(templatesDir, e.name))]) {
    fs.watch(dir, () => {
      all = true;
      schedule();
    });
  }
  log(`watching ${path.relative(process.cwd(), briefsDir) || briefsDir} and ${path.relative(process.cwd(), templatesDir)}; Ctrl-C to stop`);
  return new Promise<number>(() => {}); // until a signal ends the process
}

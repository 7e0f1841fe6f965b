// `--watch`: after the first build, rebuild a brief when a file in its folder
// changes, and every brief when a template or the theme changes. Runs until
// Ctrl-C (exit 130).
import fs from 'node:fs';
import path from 'node:path';
import { templatesDir } from './paths.ts';

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

  fs.watch(briefsDir, { recursive: true }, (_event, file) => {
    const id = file?.toString().split(path.sep)[0];
    if (id && wanted(id) && fs.existsSync(path.join(briefsDir, id, 'brief.yaml'))) {
      pending.add(id);
      schedule();
    }
  });
  fs.watch(templatesDir, { recursive: true }, () => {
    all = true;
    schedule();
  });
  log(`watching ${path.relative(process.cwd(), briefsDir) || briefsDir} and ${path.relative(process.cwd(), templatesDir)}; Ctrl-C to stop`);
  return new Promise<number>(() => {}); // until a signal ends the process
}

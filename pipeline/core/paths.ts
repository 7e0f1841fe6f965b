// Where the project's own files are. The build runs a bundle of the sources
// (pipeline/launch.mjs) kept under node_modules, so the root is found by walking up
// to the folder that holds templates/theme.yaml rather than taken relative to this file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'templates', 'theme.yaml')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`briefpress: no templates/theme.yaml in any folder above ${from}`);
  }
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const templatesDir = path.join(projectRoot, 'templates');
/** Where the launcher keeps its bundle and the build its caches (cache-files.ts): safe to delete. */
export const cacheDir = path.join(projectRoot, 'node_modules', '.cache', 'briefpress');

// pipeline/launch.mjs, in a copy of the project with a cache of its own: the bundle
// is made when missing and again when a source changes, never otherwise; the code
// cache is written after a build and used by the next run; a damaged bundle or code
// cache costs a rebuild, never a wrong or failed build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { installedCopy, sampleDir } from './helpers.ts';
import { tempDir } from './temp.ts';

let project: string;
let cache: string;

/** A project of its own, with a node_modules/.cache that is this copy's alone, and the sample brief. */
function copyProject(): string {
  const root = installedCopy(tempDir());
  fs.mkdirSync(path.join(root, 'data', 'briefs'), { recursive: true });
  fs.cpSync(sampleDir, path.join(root, 'data', 'briefs', 'IF10199'), { recursive: true });
  return root;
}

function launchIn(root: string, ...args: string[]): { code: number | null; stderr: string; stdout: string } {
  const result = spawnSync(process.execPath, [path.join(root, 'pipeline', 'launch.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
}
const launch = (...args: string[]) => launchIn(project, ...args);

/** Every file under a project's build caches but the launcher's bundle and code caches, by path. */
function cacheFiles(root: string): string[] {
  const dir = path.join(root, 'node_modules', '.cache', 'briefpress');
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => !f.startsWith('bundle') && fs.statSync(path.join(dir, f)).isFile()).sort();
}

const bundleFile = () => path.join(cache, 'briefpress.cjs');
const codeCaches = () => (fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith('.v8cache')) : []);
const build = (out: string) => launch('IF10199', '--format', 'pdf,pptx', '--force', '--out', path.join(project, out));

describe('the launcher', () => {
  beforeAll(() => {
    project = copyProject();
    cache = path.join(project, 'node_modules', '.cache', 'briefpress', 'bundle');
  });

  it('bundles on the first run, writes the code cache only after a build, and uses both afterwards', () => {
    expect(launch('--help').code).toBe(0);
    expect(fs.existsSync(bundleFile())).toBe(true);
    // --help builds nothing: a cache written now would hold none of a build's functions.
    expect(codeCaches()).toEqual([]);

    expect(build('out1').code).toBe(0);
    expect(codeCaches()).toHaveLength(1);
    const bundled = fs.statSync(bundleFile()).mtimeMs;
    const cached = fs.statSync(path.join(cache, codeCaches()[0]!)).mtimeMs;

    expect(build('out2').code).toBe(0);
    expect(fs.statSync(bundleFile()).mtimeMs).toBe(bundled);
    expect(fs.statSync(path.join(cache, codeCaches()[0]!)).mtimeMs).toBe(cached);
    for (const file of ['IF10199.pdf', 'IF10199.pptx']) {
      expect(fs.readFileSync(path.join(project, 'out2', file)).equals(fs.readFileSync(path.join(project, 'out1', file)))).toBe(true);
    }
  });

  it('bundles again when a source changes, and runs the changed source', () => {
    const cli = path.join(project, 'pipeline', 'run', 'cli.ts');
    const source = fs.readFileSync(cli, 'utf8');
    expect(source).toContain('Usage: npm run build:brief');
    fs.writeFileSync(cli, source.replace('Usage: npm run build:brief', 'Usage (edited): npm run build:brief'));
    const before = codeCaches();
    const help = launch('--help');
    expect(help.code).toBe(0);
    expect(help.stdout + help.stderr).toContain('Usage (edited)');
    // The old bundle's code cache is gone with it.
    expect(codeCaches().filter((f) => before.includes(f))).toEqual([]);
  });

  it('rebuilds a damaged bundle and replaces a damaged code cache, and still builds the same files', () => {
    expect(build('out3').code).toBe(0);
    const [cacheName] = codeCaches();
    fs.writeFileSync(path.join(cache, cacheName!), Buffer.alloc(4096, 7));
    fs.writeFileSync(bundleFile(), fs.readFileSync(bundleFile(), 'utf8').slice(0, 1000));
    const result = build('out4');
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(cache, cacheName!)).equals(Buffer.alloc(4096, 7))).toBe(false);
    for (const file of ['IF10199.pdf', 'IF10199.pptx']) {
      expect(fs.readFileSync(path.join(project, 'out4', file)).equals(fs.readFileSync(path.join(project, 'out3', file)))).toBe(true);
    }
  });

  it('builds from a bundle it cannot save (a read-only install), and leaves no temp file', () => {
    expect(build('out-writable').code).toBe(0);
    fs.rmSync(cache, { recursive: true, force: true });
    // A file where the bundle's folder goes: neither the bundle nor a code cache can be written.
    fs.writeFileSync(cache, 'not a folder');
    try {
      const result = build('out-readonly');
      expect(result.stderr).not.toMatch(/internal error/);
      expect(result.code).toBe(0);
      expect(fs.readFileSync(path.join(project, 'out-readonly', 'IF10199.pdf')).equals(fs.readFileSync(path.join(project, 'out-writable', 'IF10199.pdf')))).toBe(true);
      expect(fs.readdirSync(path.dirname(cache)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      fs.rmSync(cache, { force: true });
    }
  });

  it("prepares on install (npm's postinstall) the caches a first build would make in each worker, and never fails an install", () => {
    const fresh = copyProject();
    const postinstall = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['postinstall'];
    expect(postinstall).toBe('node pipeline/launch.mjs --briefpress-prepare');
    const prepared = launchIn(fresh, '--briefpress-prepare');
    expect(prepared.code).toBe(0);
    expect(prepared.stderr).toBe('');
    const made = cacheFiles(fresh);
    // The theme's parsed form, a shape table for each of the eight faces, the six web faces of the common characters.
    expect(made.filter((f) => /^theme-/.test(f))).toHaveLength(1);
    expect(made.filter((f) => /^shape-/.test(f))).toHaveLength(8);
    expect(made.filter((f) => /^web-fonts\/.+\.woff2$/.test(f))).toHaveLength(6);
    // It builds nothing.
    expect(fs.existsSync(path.join(fresh, 'out'))).toBe(false);

    // A build in every format then finds all it needs: it makes no cache file of its own.
    const built = launchIn(fresh, 'IF10199', '--force', '--out', path.join(fresh, 'out'));
    expect(built.code).toBe(0);
    expect(cacheFiles(fresh)).toEqual(made);

    // A theme it cannot read leaves the install whole: exit 0, and a note that the first build will make the caches.
    fs.writeFileSync(path.join(fresh, 'templates', 'theme.yaml'), 'fonts: [unclosed\n');
    const broken = launchIn(fresh, '--briefpress-prepare');
    expect(broken.code).toBe(0);
    expect(broken.stderr).toMatch(/caches were not prepared .*the first build will make them/);
  });

  it('starts the batch workers through itself, so they run the bundle too', () => {
    fs.cpSync(path.join(project, 'data', 'briefs', 'IF10199'), path.join(project, 'data', 'briefs', 'IF10198'), { recursive: true });
    const yaml = path.join(project, 'data', 'briefs', 'IF10198', 'brief.yaml');
    fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^id: IF10199$/m, 'id: IF10198'));
    const result = launch('--jobs', '2', '--force', '--format', 'pptx', '--out', path.join(project, 'out5'));
    expect(result.stderr).toMatch(/2 briefs: 2 built/);
    expect(result.code).toBe(0);
  });
});

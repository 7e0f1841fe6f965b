// The catalog as bytes (pipeline/catalog/): made from a manifest, the same bytes
// every time, escaped, with a policy that allows exactly its own style and script;
// an old manifest without the catalog's fields still makes a page; shards' folders
// merge into one; the CLI writes it on every run and with --catalog / --merge.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogTemplates, catalogOrder, fileSize, fold, writeCatalog } from '../pipeline/catalog/catalog.ts';
import { mergeOutputs } from '../pipeline/catalog/merge.ts';
import { readManifest, sha256, type Manifest, type ManifestEntry } from '../pipeline/output/manifest.ts';
import { catalogPageOnly } from '../pipeline/run/cache.ts';
import { copySample, runMain, tempDir } from './helpers.ts';

/** An output folder holding `entries`' files (each file's bytes are its name), and its manifest. */
function outputFolder(entries: ReadonlyArray<Omit<ManifestEntry, 'artifacts'> & { files?: string[] }>): { dir: string; manifest: Manifest } {
  const dir = tempDir();
  const briefs = entries.map(({ files = [], ...entry }) => ({
    ...entry,
    artifacts: files.map((file) => {
      fs.writeFileSync(path.join(dir, file), file);
      const format = path.extname(file).slice(1) as 'pdf';
      return { path: file, format, bytes: file.length, sha256: sha256(Buffer.from(file)) };
    }),
  }));
  const manifest = { generator: 'briefpress test', briefs };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return { dir, manifest };
}

const templates = new CatalogTemplates();

describe('catalog page', () => {
  const hostile = `<script>alert(1)</script> "><img src=x onerror=alert(2)> {{constructor}} & 'quoted'`;
  const { dir, manifest } = outputFolder([
    { id: 'IF1', status: 'built', version: 2, updated: '2020-01-01', title: hostile, authors: ['A. <b>Author</b>'], summary: 'Tariffs {{x}}', files: ['IF1.pdf', 'IF1.pptx', 'IF1.html'] },
    { id: 'IF2', status: 'reused', version: 1, updated: '2024-06-30', title: 'Newest', files: ['IF2.pdf'] },
    { id: 'IF0', status: 'reused', version: 1, updated: '2024-06-30', title: 'Same day, lower id', files: ['IF0.pdf'] },
    { id: 'IF3', status: 'failed', errors: ['data/briefs/IF3/brief.yaml:3:1 title: <must not be empty>'] },
  ]);
  const html = templates.render(manifest, dir);

  it('lists every brief newest first, then by id; a brief with no date last', () => {
    expect(catalogOrder(manifest.briefs).map((b) => b.id)).toEqual(['IF0', 'IF2', 'IF1', 'IF3']);
    expect([...html.matchAll(/<li class="brief[^"]*" id="brief-([^"]+)"/g)].map((m) => m[1])).toEqual(['IF0', 'IF2', 'IF1', 'IF3']);
  });

  it('escapes every value from the manifest: markup and template syntax print as text', () => {
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<b>Author');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt; {{constructor}} &amp; &#x27;quoted&#x27;');
    expect(html).toContain('title: &lt;must not be empty&gt;');
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('allows exactly its own inline style and script, by hash, and nothing from elsewhere', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!.replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=');
    const hash = (text: string) => `'sha256-${crypto.createHash('sha256').update(text).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(csp).toBe(`default-src 'none'; img-src 'self'; style-src ${hash(style)}; script-src ${hash(script)}; base-uri 'none'; form-action 'none'`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('links the web page first, then the PDF and the deck, with their sizes', () => {
    const links = [...html.matchAll(/<a href="(IF1\.[a-z]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(['IF1.html', 'IF1.pdf', 'IF1.pptx']);
    expect(fileSize(999)).toBe('999 bytes');
    expect(fileSize(87_550)).toBe('88 kB');
    expect(fileSize(1_250_000)).toBe('1.3 MB');
  });

  it('folds the text it filters by as the page folds what is typed', () => {
    expect(fold('  México  City\u00a0ÉTÉ ')).toBe('mexico city ete');
    expect(html).toContain('data-search="&lt;script&gt;alert(1)');
    expect(html).toContain('tariffs {{x}}');
  });

  it('names a recorded file that is not on disk instead of linking it', () => {
    fs.rmSync(path.join(dir, 'IF2.pdf'));
    const page = templates.render(manifest, dir);
    expect(page).not.toContain('href="IF2.pdf"');
    expect(page).toContain('Recorded but not in this folder: IF2.pdf');
    fs.writeFileSync(path.join(dir, 'IF2.pdf'), 'IF2.pdf');
  });

  it('gives the same bytes for the same manifest, and writes them atomically', () => {
    expect(templates.render(manifest, dir)).toBe(html);
    const file = writeCatalog(dir, manifest, templates);
    expect(fs.readFileSync(file, 'utf8')).toBe(html);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('makes a page from a manifest written before the catalog fields', () => {
    const { dir: old, manifest: oldManifest } = outputFolder([{ id: 'IF10199', status: 'built', version: 11, updated: '2019-05-14', files: ['IF10199.pdf'] }]);
    const page = templates.render(oldManifest, old);
    expect(page).toContain('<h3 class="brief-title">IF10199</h3>');
    expect(page).toContain('href="IF10199.pdf"');
  });
});

describe('the cache key', () => {
  it('leaves out the catalog page, whose edits shape no brief, and keeps the thumbnail, which is drawn at build time', () => {
    expect(['catalog/index.hbs', 'catalog/catalog.css', 'catalog/filter.js', 'catalog/catalog.ts', 'catalog/merge.ts'].filter(catalogPageOnly)).toHaveLength(5);
    expect(['catalog/thumbnail.ts', 'pdf/footer.hbs', 'run/cli.ts', 'theme.yaml'].filter(catalogPageOnly)).toEqual([]);
  });
});

describe('merging shards', () => {
  it('copies each shard’s files, checked, and writes one manifest', () => {
    const one = outputFolder([{ id: 'IF1', status: 'built', updated: '2020-01-01', files: ['IF1.pdf'] }]);
    const two = outputFolder([
      { id: 'IF2', status: 'built', updated: '2021-01-01', files: ['IF2.pdf'] },
      { id: 'IF1', status: 'failed', errors: ['moved shards and failed'] },
    ]);
    fs.writeFileSync(path.join(two.dir, 'IF2.pdf'), 'changed since recorded');
    const out = tempDir();
    const result = mergeOutputs(out, [one.dir, two.dir], 'briefpress test');
    expect(result.manifest.briefs.map((b) => [b.id, b.status])).toEqual([
      ['IF1', 'built'],
      ['IF2', 'built'],
    ]);
    expect(fs.readFileSync(path.join(out, 'IF1.pdf'), 'utf8')).toBe('IF1.pdf');
    expect(fs.existsSync(path.join(out, 'IF2.pdf'))).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/IF2: .*IF2\.pdf is not the file its manifest records/)]);
  });
});

describe('CLI', () => {
  it('writes the catalog with every run, and again with --catalog; --merge makes one from shards', async () => {
    const { root } = copySample();
    const out = path.join(tempDir(), 'out');
    const built = await runMain(['--data', root, '--out', out, '--jobs', '1', '--format', 'pdf']);
    expect(built.code, built.stderr).toBe(0);
    const manifest = readManifest(out)!;
    expect(manifest.briefs[0]).toMatchObject({ title: 'U.S.-Japan Relations', authors: expect.arrayContaining(['Mark E. Manyin']), summary: expect.stringMatching(/^Japan is a significant/) });
    expect(manifest.briefs[0]!.thumbnail).toMatchObject({ path: 'thumbs/IF10199.png', width: 240 });
    const page = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(page).toContain('src="thumbs/IF10199.png"');
    fs.rmSync(path.join(out, 'index.html'));
    expect((await runMain(['--out', out, '--catalog'])).code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe(page);

    const merged = path.join(tempDir(), 'site');
    const result = await runMain(['--out', merged, '--merge', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readdirSync(merged).sort()).toEqual(['IF10199.pdf', 'index.html', 'manifest.json', 'thumbs']);
    expect(fs.readFileSync(path.join(merged, 'thumbs', 'IF10199.png'))).toEqual(fs.readFileSync(path.join(out, 'thumbs', 'IF10199.png')));

    expect((await runMain(['IF10199', '--catalog'])).code).toBe(2);
    expect((await runMain(['--out', merged, '--merge', merged])).code).toBe(2);
    expect((await runMain(['--out', merged, '--merge', tempDir()])).code).toBe(2);
  });
});

// The web edition (out/<ID>.html) read back as a browser and a screen reader
// would: parsed with parse5 (the WHATWG HTML parser), not searched as text.
import fs from 'node:fs';
import path from 'node:path';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { beforeAll, describe, expect, it } from 'vitest';
import { compose, type ComposedBrief } from '../pipeline/compose/compose.ts';
import { parseCli } from '../pipeline/run/cli.ts';
import { FONTS_MARK, renderHtml } from '../pipeline/web/render.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { artifact, build, copyBrief, everyElementDir, expectBuilt, runMain, sharedContext, tempDir, validateDir } from './helpers.ts';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const isElement = (node: Node): node is Element => 'tagName' in node;
const children = (node: Node): Node[] => ('childNodes' in node ? node.childNodes : []);

function elements(root: Node): Element[] {
  const out: Element[] = [];
  const walk = (node: Node) => {
    if (isElement(node)) out.push(node);
    for (const child of children(node)) walk(child);
  };
  walk(root);
  return out;
}

const attr = (el: Element, name: string): string | undefined => el.attrs.find((a) => a.name === name)?.value;
const text = (node: Node): string => ('value' in node && node.nodeName === '#text' ? node.value : children(node).map(text).join(''));
const byTag = (root: Node, tag: string) => elements(root).filter((e) => e.tagName === tag);

const briefs = [
  ['IF10199', path.join(projectRoot, 'data', 'briefs', 'IF10199')],
  ['IF13201', path.join(projectRoot, 'data', 'briefs', 'IF13201')],
  ['IF11175', path.join(projectRoot, 'data', 'briefs', 'IF11175')],
  ['IF90001', everyElementDir],
] as const;

const pages = new Map<string, { html: string; doc: Node; yaml: string }>();

async function pageOf(dir: string): Promise<string> {
  return artifact(expectBuilt(await build(dir, ['html'])), 'html').toString('utf8');
}

beforeAll(async () => {
  for (const [id, dir] of briefs) {
    const html = await pageOf(dir);
    pages.set(id, { html, doc: parse(html), yaml: fs.readFileSync(path.join(dir, 'brief.yaml'), 'utf8') });
  }
}, 120_000);

describe('the web edition', () => {
  it.each(briefs.map(([id]) => id))('%s: one h1, headings in order, each with an id, lang from the brief', (id) => {
    const { doc, yaml } = pages.get(id)!;
    const [html] = byTag(doc, 'html');
    expect(attr(html!, 'lang')).toBe(/^language: (\S+)/m.exec(yaml)?.[1] ?? 'en-US');
    const headings = elements(doc).filter((e) => /^h[1-6]$/.test(e.tagName));
    expect(headings.filter((h) => h.tagName === 'h1')).toHaveLength(1);
    expect(headings[0]!.tagName).toBe('h1');
    let previous = 1;
    for (const h of headings) {
      const level = Number(h.tagName[1]);
      expect(level, text(h)).toBeLessThanOrEqual(previous + 1);
      previous = level;
      if (level > 1) expect(attr(h, 'id'), text(h)).toMatch(/^\p{L}[\p{L}\p{N}-]*$/u);
    }
    for (const heading of yaml.matchAll(/^\s+- heading: (.+)$/gm)) {
      const wanted = heading[1]!.replace(/^"|"$/g, '');
      expect(headings.map((h) => text(h))).toContain(wanted);
    }
    expect(byTag(doc, 'article')).toHaveLength(1);
    expect(byTag(doc, 'main')).toHaveLength(1);
  });

  it.each(briefs.map(([id]) => id))('%s: figures have captions, tables a caption and scoped header cells', (id) => {
    const { doc } = pages.get(id)!;
    for (const figure of byTag(doc, 'figure')) expect(children(figure).filter(isElement).some((c) => c.tagName === 'figcaption'), attr(figure, 'id')).toBe(true);
    for (const table of byTag(doc, 'table')) {
      expect(children(table).filter(isElement)[0]?.tagName).toBe('caption');
      for (const th of byTag(table, 'th')) expect(['col', 'row']).toContain(attr(th, 'scope'));
    }
  });

  it.each(briefs.map(([id]) => id))('%s: every id unique, every in-page link and label points at one', (id) => {
    const { doc } = pages.get(id)!;
    const ids = elements(doc).flatMap((e) => attr(e, 'id') ?? []);
    expect(ids.length).toBe(new Set(ids).size);
    for (const a of byTag(doc, 'a')) {
      const href = attr(a, 'href')!;
      if (href.startsWith('#')) expect(ids, href).toContain(href.slice(1));
    }
    for (const e of elements(doc)) for (const ref of attr(e, 'aria-labelledby')?.split(' ') ?? []) expect(ids, ref).toContain(ref);
  });

  it.each(briefs.map(([id]) => id))('%s: self-contained, no script, and a CSP that loads nothing', (id) => {
    const { doc, html, yaml } = pages.get(id)!;
    expect(byTag(doc, 'script')).toHaveLength(0);
    expect(byTag(doc, 'link')).toHaveLength(0);
    expect(byTag(doc, 'iframe')).toHaveLength(0);
    for (const e of elements(doc)) {
      for (const name of ['src', 'srcset', 'poster', 'data', 'action']) {
        const value = attr(e, name);
        if (value !== undefined) expect(value, `${e.tagName} ${name}`).toMatch(/^data:/);
      }
      for (const a of e.attrs) expect(a.name, e.tagName).not.toMatch(/^on/);
      const href = attr(e, 'href') ?? attr(e, 'xlink:href');
      // The only links out of the page are the brief's own (its text, its related reports, its publisher).
      if (href !== undefined && /^https?:/i.test(href)) expect(yaml.includes(href), href).toBe(true);
      if (href !== undefined) expect(href).toMatch(/^(https?:\/\/|mailto:|#|IF\d+\.(pdf|pptx)$)/);
    }
    expect(html).not.toMatch(/url\((?!data:|#)/);
    expect(html).not.toMatch(/@import/);
    const csp = byTag(doc, 'meta').find((m) => attr(m, 'http-equiv') === 'Content-Security-Policy');
    expect(attr(csp!, 'content')).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
    expect(byTag(doc, 'meta').find((m) => attr(m, 'charset'))).toBeDefined();
  });

  it('draws each chart as inline SVG named by its alt text, its numbers in a collapsed table after it', () => {
    const { doc, yaml } = pages.get('IF90001')!;
    const charts = byTag(doc, 'figure').filter((f) => byTag(f, 'svg').length > 0);
    expect(charts.map((f) => attr(f, 'id'))).toEqual(['awards-by-region', 'trade-balance']);
    for (const figure of charts) {
      const [svg] = byTag(figure, 'svg');
      expect(attr(svg!, 'role')).toBe('img');
      const title = byTag(svg!, 'title')[0]!;
      expect(attr(svg!, 'aria-labelledby')).toBe(attr(title, 'id'));
      expect(yaml.replace(/\s+/g, ' ')).toContain(text(title).slice(0, 40));
      const details = byTag(figure, 'details')[0]!;
      expect(attr(details, 'open')).toBeUndefined();
      const table = byTag(details, 'table')[0]!;
      expect(byTag(table, 'tbody')[0] && byTag(byTag(table, 'tbody')[0]!, 'tr').length).toBeGreaterThan(3);
    }
    // Figure 1's data: the CSV's numbers, in full.
    const first = byTag(charts[0]!, 'table')[0]!;
    expect(byTag(first, 'th').map(text).slice(0, 5)).toEqual(['Category', 'Northeast', 'South', 'Midwest', 'West']);
  });

  it('embeds image figures as data with their alt text, text boxes as asides, footnote marks raised', () => {
    const { doc } = pages.get('IF90001')!;
    const images = byTag(doc, 'img');
    expect(images.length).toBe(2);
    for (const img of images) {
      expect(attr(img, 'src')).toMatch(/^data:image\/(png|svg\+xml);base64,/);
      expect(attr(img, 'alt')!.length).toBeGreaterThan(10);
    }
    const [aside] = byTag(doc, 'aside');
    expect(text(byTag(aside!, 'p')[0]!)).toBe('How the Program Works');
    expect(byTag(aside!, 'li').length).toBeGreaterThan(1);
    expect(byTag(doc, 'sup').map(text)).toEqual(expect.arrayContaining(['a', 'b']));
    expect(byTag(doc, 'tr').some((tr) => attr(tr, 'class') === 'total')).toBe(true);
    // Cross-references are links to the exhibit they name.
    expect(byTag(doc, 'a').some((a) => attr(a, 'href') === '#budget-by-account' && text(a) === 'Table 1')).toBe(true);
  });

  it('embeds the theme’s faces as WOFF2 cut to the page, and its colours', () => {
    const { html } = pages.get('IF10199')!;
    const faces = [...html.matchAll(/@font-face\{[^}]*base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, 'base64'));
    expect(faces).toHaveLength(6);
    for (const face of faces) {
      expect(face.subarray(0, 4).toString('latin1')).toBe('wOF2');
      // Subset: the full Tinos and Arimo faces are 400–500 KB each.
      expect(face.length).toBeLessThan(60_000);
    }
    expect(html).toContain('--brand:#1B3A5C');
    expect(html).toMatch(/@media print\{/);
  });

  it('links the related reports, the masthead, date line, authors, disclaimer and product line', () => {
    const { doc } = pages.get('IF10199')!;
    const all = text(doc);
    expect(all).toContain('Congressional Research Service');
    expect(all).toContain('Updated May 14, 2019');
    expect(byTag(doc, 'time')[0] && attr(byTag(doc, 'time')[0]!, 'datetime')).toBe('2019-05-14');
    expect(all).toContain('Emma Chanlett-Avery');
    expect(all).toContain('IF10199 · VERSION 11 · UPDATED');
    expect(byTag(doc, 'a').some((a) => attr(a, 'href') === 'https://crsreports.congress.gov/product/pdf/RL/RL33436')).toBe(true);
    expect(elements(doc).find((e) => attr(e, 'id') === 'disclaimer')).toBeDefined();
  });

  it('gives the same bytes for the same input', async () => {
    expect(await pageOf(everyElementDir)).toBe(pages.get('IF90001')!.html);
  });

  it('prints hostile text as text: markup, template syntax and javascript: links', async () => {
    const hostile = `<script>alert(1)</script> "><img src=x onerror=alert(1)> {{title}} {{{title}}}`;
    const { dir } = copyBrief(everyElementDir, (yaml) =>
      yaml.replace(/^title: .*$/m, `title: ${JSON.stringify(hostile)}`).replace(/^(\s+- paragraph: )>-$/m, (line: string, head: string) => `${head}${JSON.stringify(hostile + ' javascript:alert(2)')}\n${line}`),
    );
    const html = await pageOf(dir);
    const doc = parse(html);
    expect(byTag(doc, 'script')).toHaveLength(0);
    expect(byTag(doc, 'img').every((img) => attr(img, 'onerror') === undefined && attr(img, 'src')!.startsWith('data:'))).toBe(true);
    expect(text(byTag(doc, 'h1')[0]!)).toBe(hostile);
    expect(text(byTag(doc, 'title')[0]!)).toContain(hostile);
    expect(text(doc)).toContain(`${hostile} javascript:alert(2)`);
    expect(html).not.toContain('<script>');

    // A link that got past validation with a scheme the page may not carry prints as its text, no link.
    const validated = validateDir(everyElementDir).result!;
    const charts = new Map(
      await Promise.all(validated.brief.figures.filter((f) => f.chart).map(async (f) => [f.id, await sharedContext().charts.render(f.id, f.chart!, validated.figureData.get(f.id)!, 'en-US')] as const)),
    );
    const composed = compose({ brief: validated.brief, charts, tables: validated.tableData, images: validated.images, templates: sharedContext().templates });
    const poisoned: ComposedBrief = {
      ...composed,
      body: composed.body.map((b, i) => (i === 0 && b.kind === 'paragraph' ? { ...b, runs: [{ text: 'click me', bold: false, italic: false, href: 'javascript:alert(3)' }] } : b)),
    };
    const page = (await renderHtml(poisoned, { theme: sharedContext().theme, templates: sharedContext().templates, siblings: {} })).bytes.toString('utf8');
    expect(page).not.toMatch(/javascript:/i);
    expect(page).toContain('<p>click me</p>');

    // Text that got past validation holding the mark the fonts are put in by is refused, not printed with fonts in it.
    const marked: ComposedBrief = { ...composed, title: `A ${FONTS_MARK} title` };
    await expect(renderHtml(marked, { theme: sharedContext().theme, templates: sharedContext().templates, siblings: {} })).rejects.toThrow(/only there, once/);
  });

  it('is built by default beside the PDF and the deck, links only to the formats of the same run, and is in the manifest', async () => {
    const formatsOf = (argv: string[]) => {
      const options = parseCli(argv);
      return options === 'help' ? [] : [...options.formats];
    };
    expect(formatsOf([])).toEqual(['pdf', 'pptx', 'html']);
    expect(formatsOf(['--format', 'html'])).toEqual(['html']);
    const out = tempDir();
    const root = path.join(projectRoot, 'data');
    const { code, stderr } = await runMain(['IF13201', '--data', root, '--out', out, '--format', 'pptx,html', '--jobs', '1']);
    expect(code, stderr).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    const record = manifest.briefs[0].artifacts.find((a: { format: string }) => a.format === 'html');
    expect(record).toMatchObject({ path: 'IF13201.html', format: 'html', bytes: fs.statSync(path.join(out, 'IF13201.html')).size });
    const doc = parse(fs.readFileSync(path.join(out, 'IF13201.html'), 'utf8'));
    const nav = elements(doc).find((e) => e.tagName === 'nav' && attr(e, 'class') === 'formats')!;
    expect(byTag(nav, 'a').map((a) => attr(a, 'href'))).toEqual(['IF13201.pptx']);
  }, 60_000);
});

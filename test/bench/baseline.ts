// The sample brief the way a team without briefpress would produce it: an HTML
// page (two-column CSS, the same chart as inline SVG) for Chromium to print, a
// Typst document (in-focus.typ reading brief.json, the same chart as an SVG file)
// for Typst to compile, and a Markdown outline for pandoc to turn into a deck.
import fs from 'node:fs';
import path from 'node:path';
import { ChartRenderer, type ChartArtifact } from '../../pipeline/charts/charts.ts';
import { plainText, type Run } from '../../pipeline/core/text.ts';
import { parseInline } from '../../pipeline/input/inline.ts';
import { loadBrief } from '../../pipeline/input/load.ts';
import { longDate } from '../../pipeline/core/dates.ts';
import { FontBook } from '../../pipeline/core/fonts.ts';
import { defaultTheme } from '../../pipeline/core/theme.ts';
import { validateBrief } from '../../pipeline/validate/validate.ts';
import type { BriefData } from '../../pipeline/input/schema.ts';
import { sampleDir } from '../helpers.ts';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface BaselineInputs {
  readonly html: string;
  readonly markdown: string;
  readonly typst: TypstInputs;
}

export async function writeBaselineInputs(dir: string): Promise<BaselineInputs> {
  fs.mkdirSync(dir, { recursive: true });
  const { brief, figureData } = validateBrief(loadBrief(sampleDir), new FontBook(defaultTheme())).result!;
  const renderer = new ChartRenderer(defaultTheme());
  const charts = new Map<string, ChartArtifact>();
  for (const f of brief.figures) charts.set(f.id, await renderer.render(f.id, f.chart!, figureData.get(f.id)!, brief.language));
  const svgs = new Map([...charts].map(([id, chart]) => [id, chart.svg.replace(/^<\?xml[^>]*>/, '')]));
  const body = brief.sections
    .map((s) => {
      const blocks = s.blocks.map((b) => {
        if (b.paragraph) return `<p>${escape(plainText(parseInline(b.paragraph)))}</p>`;
        if (b.bullets) return `<ul>${b.bullets.map((i) => `<li>${escape(plainText(parseInline(i)))}</li>`).join('')}</ul>`;
        const f = brief.figures.find((x) => x.id === b.figure)!;
        return `<figure><figcaption>Figure. ${escape(f.title)}</figcaption>${svgs.get(f.id)}<p class="src">Source: ${escape(f.source ?? "")}</p></figure>`;
      });
      return `${s.heading ? `<h2>${escape(s.heading)}</h2>` : ''}${blocks.join('')}`;
    })
    .join('');
  const html = `<!doctype html><html lang="${brief.language}"><head><meta charset="utf-8"><title>${escape(brief.title)}</title><style>
@page { size: letter; margin: 0.5in; }
body { font-family: "Times New Roman", serif; font-size: 10pt; }
header { background: #1B3A5C; color: white; padding: 10px 14px; font: bold 16pt serif; }
h1 { font: bold 22pt sans-serif; color: #1B3A5C; }
main { column-count: 2; column-gap: 18pt; text-align: justify; hyphens: auto; }
h2 { font: bold 11pt sans-serif; color: #1B3A5C; break-after: avoid; }
figure { break-inside: avoid; margin: 0; } figure svg { width: 100%; height: auto; }
.src { font: 8pt sans-serif; color: #555; }
</style></head><body><header>${escape(brief.publisher.name)} <span style="float:right">${escape(brief.series.toUpperCase())}</span></header>
<p>Updated ${longDate(brief.updated)}</p><h1>${escape(brief.title)}</h1><main>${body}
<p>${brief.authors.map((a) => `<b>${escape(a.name)}</b>${a.role ? `, ${escape(a.role)}` : ''}, ${escape(a.title)}`).join('<br>')}</p><p><b>${brief.id}</b></p></main>
<section style="break-before: page"><h2>Disclaimer</h2><p style="font-size:8pt">${escape(brief.disclaimer)}</p></section></body></html>`;
  const markdown = [
    `---\ntitle: "${brief.title}"\nsubtitle: "${brief.series} ${brief.id} · Updated ${longDate(brief.updated)}"\nauthor: "${brief.authors.map((a) => a.name).join(', ')}"\n---`,
    ...brief.sections.map((s) => `## ${s.heading ?? 'Overview'}\n\n${(s.keyPoints ?? []).map((p) => `- ${p}`).join('\n')}\n\n::: notes\n${s.blocks.flatMap((b) => (b.paragraph ? [plainText(parseInline(b.paragraph))] : [])).join('\n\n')}\n:::`),
    ...brief.figures.map((f) => `## ${f.title}\n\n| ${f.chart?.categoryColumn ?? "category"} | value |\n|---|---|\n${figureData.get(f.id)!.categories.map((c, i) => `| ${c} | ${figureData.get(f.id)!.series[0]!.values[i]} |`).join('\n')}\n\nSource: ${f.source}`),
    `## Disclaimer\n\n${brief.disclaimer}`,
  ].join('\n\n');
  const htmlFile = path.join(dir, 'brief.html');
  const mdFile = path.join(dir, 'brief.md');
  fs.writeFileSync(htmlFile, html);
  fs.writeFileSync(mdFile, markdown);
  return { html: htmlFile, markdown: mdFile, typst: writeTypstInputs(path.join(dir, 'typst'), brief, charts) };
}

export interface TypstInputs {
  /** The copy of in-focus.typ beside brief.json and the charts: Typst reads files from the main file's folder down only. */
  readonly main: string;
  /** A fontconfig file that names only an empty folder (see writeTypstInputs). */
  readonly fontConfig: string;
  /** The folders of the theme's serif and sans faces, the very files our PDF embeds. */
  readonly fontDirs: readonly string[];
}

/** The brief as in-focus.typ reads it: every paragraph as runs with their styles and resolved links, the charts as SVG files. */
function writeTypstInputs(dir: string, brief: BriefData, charts: ReadonlyMap<string, ChartArtifact>): TypstInputs {
  fs.mkdirSync(dir, { recursive: true });
  const reports = new Map((brief.relatedReports ?? []).map((r) => [r.id, r.url]));
  const numbers = new Map(brief.figures.map((f, i) => [f.id, i + 1]));
  const runs = (text: string) =>
    parseInline(text).map((r: Run) => {
      const href = r.href?.startsWith('report:') ? reports.get(r.href.slice('report:'.length)) : r.href?.startsWith('#') ? undefined : r.href;
      // A cross-reference with no text of its own reads "Figure N", as compose writes it.
      const label = r.text === '' && r.href?.startsWith('#') ? `Figure ${numbers.get(r.href.slice(1)) ?? ''}` : r.text;
      return { text: label, bold: r.bold, italic: r.italic, ...(href ? { link: href } : {}) };
    });
  const sections = brief.sections.map((s) => ({
    heading: s.heading ?? null,
    level: s.level,
    blocks: s.blocks.map((b) => {
      if (b.paragraph !== undefined) return { kind: 'paragraph', runs: runs(b.paragraph) };
      if (b.bullets !== undefined) return { kind: 'bullets', items: b.bullets.map(runs) };
      const figure = b.figure === undefined ? undefined : brief.figures.find((f) => f.id === b.figure);
      const chart = figure && charts.get(figure.id);
      // Tables, text boxes and image figures would need their own Typst: the sample has none, and a silent gap would flatter Typst.
      if (!figure || !chart) throw new Error(`the Typst baseline lays out paragraphs, bullets and charts; ${brief.id} has a block it does not: ${JSON.stringify(Object.keys(b))}`);
      const image = `figure-${numbers.get(figure.id)}.svg`;
      fs.writeFileSync(path.join(dir, image), chart.svg);
      return { kind: 'figure', number: numbers.get(figure.id), title: figure.title, subtitle: figure.subtitle ?? null, source: figure.source ?? '', image, width: chart.widthPt, height: chart.heightPt };
    }),
  }));
  const data = {
    id: brief.id,
    series: brief.series,
    title: brief.title,
    date: longDate(brief.updated),
    version: brief.version,
    publisher: brief.publisher,
    authors: brief.authors.map((a) => ({ name: a.name, role: a.role ?? null, title: a.title })),
    sections,
    disclaimer: brief.disclaimer,
  };
  fs.writeFileSync(path.join(dir, 'brief.json'), JSON.stringify(data, null, 2));
  const main = path.join(dir, 'in-focus.typ');
  fs.copyFileSync(path.join(import.meta.dirname, 'in-focus.typ'), main);
  // The compiler always searches the system's fonts too (fontdb, through fontconfig's configuration), and falls
  // back to /usr/share/fonts when that configuration names no folder. A configuration naming one empty folder
  // keeps it from reading any system font: Typst sets the text in the theme's faces only, as our PDF does.
  const empty = path.join(dir, 'no-system-fonts');
  fs.mkdirSync(empty, { recursive: true });
  const fontConfig = path.join(dir, 'fonts.conf');
  fs.writeFileSync(fontConfig, `<?xml version="1.0"?>\n<fontconfig><dir>${empty}</dir></fontconfig>\n`);
  const { serif, sans } = defaultTheme().fontFiles;
  const fontDirs = [...new Set([...Object.values(serif), ...Object.values(sans)].map((file) => path.dirname(file)))].sort();
  return { main, fontConfig, fontDirs };
}

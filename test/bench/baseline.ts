// The sample brief the way a team without briefpress would produce it: an HTML
// page (two-column CSS, the same chart as inline SVG) for Chromium to print, and a
// Markdown outline for pandoc to turn into a deck.
import fs from 'node:fs';
import path from 'node:path';
import { ChartRenderer } from '../../pipeline/charts/charts.ts';
import { plainText } from '../../pipeline/core/text.ts';
import { parseInline } from '../../pipeline/input/inline.ts';
import { loadBrief } from '../../pipeline/input/load.ts';
import { longDate } from '../../pipeline/core/dates.ts';
import { FontBook } from '../../pipeline/core/fonts.ts';
import { defaultTheme } from '../../pipeline/core/theme.ts';
import { validateBrief } from '../../pipeline/validate/validate.ts';
import { sampleDir } from '../helpers.ts';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function writeBaselineInputs(dir: string): Promise<{ html: string; markdown: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const { brief, figureData } = validateBrief(loadBrief(sampleDir), new FontBook(defaultTheme())).result!;
  const renderer = new ChartRenderer(defaultTheme());
  const svgs = new Map<string, string>();
  for (const f of brief.figures) svgs.set(f.id, (await renderer.render(f.id, f.chart!, figureData.get(f.id)!, brief.language)).svg.replace(/^<\?xml[^>]*>/, ''));
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
  return { html: htmlFile, markdown: mdFile };
}

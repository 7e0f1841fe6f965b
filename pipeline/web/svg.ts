// The chart stage's SVG made fit to sit inside an HTML page: its ids renamed
// under a prefix of its own (cairo numbers its surfaces per process, "surface16",
// so two charts on a page, or the same chart in two builds, would otherwise clash
// or differ), and a <title> of the figure's alt text that names it for a screen
// reader (role="img", aria-labelledby).
import { escapeHtml } from './escape.ts';

export function inlineSvg(svg: string, prefix: string, title: string): string {
  const body = svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').trim();
  const renamed = new Map<string, string>();
  for (const match of body.matchAll(/\sid="([^"]*)"/g)) if (!renamed.has(match[1]!)) renamed.set(match[1]!, `${prefix}-${renamed.size + 1}`);
  const rename = (id: string): string => renamed.get(id) ?? id;
  const titleId = `${prefix}-title`;
  return body
    .replace(/(\sid=")([^"]*)"/g, (_, head: string, id: string) => `${head}${rename(id)}"`)
    .replace(/(\s(?:xlink:)?href="#)([^"]*)"/g, (_, head: string, id: string) => `${head}${rename(id)}"`)
    .replace(/url\(#([^)]*)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/<svg\b([^>]*)>/, (_, attributes: string) => `<svg${attributes} role="img" aria-labelledby="${titleId}"><title id="${titleId}">${escapeHtml(title)}</title>`);
}

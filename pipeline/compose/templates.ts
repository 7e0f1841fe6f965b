// Handlebars, set up once: every template under templates/pdf and templates/deck,
// partials from templates/partials, helpers for dates and numbers. Templates are
// compiled from the repository's files only; brief data is passed as context and
// never compiled, so `{{…}}` typed into a brief prints literally.
//
// templates/web (the HTML edition) is the one group whose output is HTML, so it
// is compiled by a second Handlebars instance with escaping on, with its own
// partials (templates/web/partials) beside the shared ones. A separate instance,
// not a compile option: Handlebars compiles a partial once, with the options of
// the first template that calls it, and caches it on the instance, so a shared
// partial could otherwise come out unescaped in the page.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import { longDate } from '../core/dates.ts';
import { templatesDir } from '../core/paths.ts';
import { plainRun, type Run } from '../core/text.ts';

export type TemplateName = `${'pdf' | 'deck' | 'web'}/${string}`;

export class TemplateSet {
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly dir = templatesDir) {
    const plain = instance([path.join(dir, 'partials')]);
    for (const group of ['pdf', 'deck']) {
      for (const [name, source] of hbsFiles(path.join(dir, group))) {
        // strict: a missing field throws instead of printing nothing.
        // noEscape: the output is not HTML; each renderer escapes for its own format.
        this.compiled.set(`${group}/${name}`, plain.compile(source, { strict: true, noEscape: true }));
      }
    }
    const webDir = path.join(dir, 'web');
    // A templates folder made before the web edition (a test's, an older checkout's) has no web group.
    if (fs.existsSync(webDir)) {
      const escaping = instance([path.join(dir, 'partials'), path.join(webDir, 'partials')]);
      for (const [name, source] of hbsFiles(webDir)) this.compiled.set(`web/${name}`, escaping.compile(source, { strict: true }));
    }
  }

  render(name: TemplateName, context: object): string {
    const template = this.compiled.get(name);
    if (!template) throw new BriefpressError(ErrorCode.internal, `no template ${name}.hbs in ${this.dir}`);
    try {
      return template(context).trim();
    } catch (cause) {
      const field = /"([^"]+)" not defined/.exec(String((cause as Error).message))?.[1];
      throw new BriefpressError(
        ErrorCode.internal,
        `template ${path.join(path.relative(process.cwd(), this.dir), name)}.hbs: ${field ? `field "${field}" is not defined` : (cause as Error).message}`,
        { cause },
      );
    }
  }

  /**
   * The template's text with runs of the data in place of the items of the lists
   * `slots` names: the template still decides what stands around and between
   * them, and the runs keep their italics and bold. The template sees a marker
   * for each item (private-use characters around its index, which a template's
   * own text never holds); whitespace at either end goes as render() trims it.
   */
  renderRuns(name: TemplateName, context: object, slots: Readonly<Record<string, ReadonlyArray<readonly Run[]>>>): Run[] {
    const items: Array<readonly Run[]> = [];
    const markers = Object.fromEntries(
      Object.entries(slots).map(([field, list]) => [field, list.map((runs) => `${SLOT_OPEN}${items.push(runs) - 1}${SLOT_CLOSE}`)]),
    );
    const text = this.render(name, { ...context, ...markers });
    const out: Run[] = [];
    let last = 0;
    for (const match of text.matchAll(SLOT)) {
      const item = items[Number(match[1])];
      if (item === undefined) continue;
      if (match.index > last) out.push(plainRun(text.slice(last, match.index)));
      out.push(...item);
      last = match.index + match[0].length;
    }
    if (last < text.length) out.push(plainRun(text.slice(last)));
    return trimRuns(out);
  }
}

/** A Handlebars instance with the project's helpers and the partials of `partialDirs` (a later folder's win). */
function instance(partialDirs: readonly string[]): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('longDate', (iso: unknown) => longDate(String(iso)));
  hb.registerHelper('upper', (value: unknown) => String(value).toUpperCase());
  // For the web templates' blocks, which choose their markup by kind.
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  for (const dir of partialDirs) for (const [name, source] of hbsFiles(dir)) hb.registerPartial(name, source);
  return hb;
}

/** The .hbs files of a folder, name without the extension, in a stable order; none when the folder is missing. */
function hbsFiles(dir: string): Array<[string, string]> {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .sort()
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => [file.slice(0, -4), fs.readFileSync(path.join(dir, file), 'utf8')]);
}

const SLOT_OPEN = '\uE000';
const SLOT_CLOSE = '\uE001';
const SLOT = /\uE000(\d+)\uE001/g;

/** The runs without whitespace before the first character or after the last, and without runs left empty. */
function trimRuns(runs: readonly Run[]): Run[] {
  const out = runs.filter((r) => r.text !== '');
  while (out.length > 0 && out[0]!.text.trimStart() === '') out.shift();
  while (out.length > 0 && out[out.length - 1]!.text.trimEnd() === '') out.pop();
  if (out.length === 0) return out;
  out[0] = { ...out[0]!, text: out[0]!.text.trimStart() };
  out[out.length - 1] = { ...out[out.length - 1]!, text: out[out.length - 1]!.text.trimEnd() };
  return out;
}

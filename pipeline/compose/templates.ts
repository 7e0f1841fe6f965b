// Handlebars, set up once: every template under templates/pdf and templates/deck,
// partials from templates/partials, helpers for dates and numbers. Templates are
// compiled from the repository's files only; brief data is passed as context and
// never compiled, so `{{…}}` typed into a brief prints literally.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { BriefpressError, ErrorCode } from '../core/diagnostics.ts';
import { longDate } from '../core/dates.ts';
import { templatesDir } from '../core/paths.ts';
import { plainRun, type Run } from '../core/text.ts';

export type TemplateName = `${'pdf' | 'deck'}/${string}`;

export class TemplateSet {
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();

  constructor(private readonly dir = templatesDir) {
    const hb = Handlebars.create();
    hb.registerHelper('longDate', (iso: unknown) => longDate(String(iso)));
    hb.registerHelper('upper', (value: unknown) => String(value).toUpperCase());
    const partialsDir = path.join(dir, 'partials');
    for (const file of fs.readdirSync(partialsDir).sort()) {
      if (file.endsWith('.hbs')) hb.registerPartial(file.slice(0, -4), fs.readFileSync(path.join(partialsDir, file), 'utf8'));
    }
    for (const group of ['pdf', 'deck']) {
      for (const file of fs.readdirSync(path.join(dir, group)).sort()) {
        if (!file.endsWith('.hbs')) continue;
        const source = fs.readFileSync(path.join(dir, group, file), 'utf8');
        // strict: a missing field throws instead of printing nothing.
        // noEscape: the output is not HTML; each renderer escapes for its own format.
        this.compiled.set(`${group}/${file.slice(0, -4)}`, hb.compile(source, { strict: true, noEscape: true }));
      }
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

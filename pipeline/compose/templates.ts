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
}

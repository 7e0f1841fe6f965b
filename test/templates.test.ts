import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BriefpressError } from '../pipeline/core/diagnostics.ts';
import { firstSentence } from '../pipeline/compose/compose.ts';
import { longDate } from '../pipeline/core/dates.ts';
import { TemplateSet } from '../pipeline/compose/templates.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import { tempDir } from './helpers.ts';

const templates = new TemplateSet();
const base = { id: 'IF10199', series: 'In Focus', title: 'T', shortTitle: null, updated: '2019-05-14', version: 11, isNew: false, publisher: { name: 'P', tagline: null, url: 'https://crsreports.congress.gov' }, authors: [], headings: [] };

describe('templates', () => {
  it('formats dates from the data alone', () => {
    expect(longDate('2019-05-14')).toBe('May 14, 2019');
    expect(longDate('2020-01-02')).toBe('January 2, 2020');
  });

  it('writes the product line and date line, NEW for a first version', () => {
    expect(templates.render('pdf/product-line', base)).toBe('https://crsreports.congress.gov | IF10199 · VERSION 11 · UPDATED');
    expect(templates.render('pdf/date-line', base)).toBe('Updated May 14, 2019');
    expect(templates.render('pdf/product-line', { ...base, version: 1, isNew: true })).toBe('https://crsreports.congress.gov | IF10199 · VERSION 1 · NEW');
    expect(templates.render('pdf/date-line', { ...base, version: 1, isNew: true })).toBe('May 14, 2019');
  });

  it('prints data that looks like a template literally, without HTML escaping', () => {
    const title = '{{constructor}} {{> x}} {{{x}}} & < > " \'';
    expect(templates.render('pdf/figure-caption', { ...base, number: 1, title })).toBe(`Figure 1. ${title}`);
  });

  it('fails naming the template and the field when a template refers to a missing field', () => {
    const dir = tempDir();
    for (const sub of ['pdf', 'deck', 'partials']) fs.mkdirSync(path.join(dir, sub));
    fs.writeFileSync(path.join(dir, 'pdf', 'broken.hbs'), 'Figure {{number}}. {{titel}}');
    const set = new TemplateSet(dir);
    expect(() => set.render('pdf/broken', { number: 1, title: 'x' })).toThrow(BriefpressError);
    expect(() => set.render('pdf/broken', { number: 1, title: 'x' })).toThrow(/broken\.hbs: field "titel" is not defined/);
  });

  it('keeps prototype access off', () => {
    const dir = tempDir();
    for (const sub of ['pdf', 'deck', 'partials']) fs.mkdirSync(path.join(dir, sub));
    fs.writeFileSync(path.join(dir, 'pdf', 'proto.hbs'), '{{#with this}}{{constructor.name}}{{/with}}');
    expect(() => new TemplateSet(dir).render('pdf/proto', {})).toThrow();
  });

  it('has a template for every generated wording the renderers ask for', () => {
    const used = new Set<string>();
    for (const file of ['compose.ts']) {
      for (const m of fs.readFileSync(path.join(projectRoot, 'pipeline', 'compose', file), 'utf8').matchAll(/render\('((?:pdf|deck)\/[a-z-]+)'/g)) used.add(m[1]!);
    }
    for (const name of used) expect(fs.existsSync(path.join(projectRoot, 'templates', `${name}.hbs`)), name).toBe(true);
  });
});

describe('first sentence fallback for deck bullets', () => {
  it('does not stop at abbreviations', () => {
    expect(firstSentence('The U.S. military bases troops in Japan. More text follows.')).toBe('The U.S. military bases troops in Japan.');
    expect(firstSentence('Japan also holds U.S. Treasuries. Second.')).toBe('Japan also holds U.S. Treasuries.');
    expect(firstSentence('Tariffs (e.g., on steel) rose. Then fell.')).toBe('Tariffs (e.g., on steel) rose.');
  });
});

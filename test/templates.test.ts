import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BriefpressError } from '../pipeline/core/diagnostics.ts';
import { longDate } from '../pipeline/core/dates.ts';
import { TemplateSet } from '../pipeline/compose/templates.ts';
import { projectRoot } from '../pipeline/core/paths.ts';
import type { ChartArtifact } from '../pipeline/charts/charts.ts';
import { compose } from '../pipeline/compose/compose.ts';
import { copyBrief, everyElementDir, sampleDir, tempDir, validateDir } from './helpers.ts';

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

  it('keeps prototype access off: an object’s constructor is not a field a template can reach', () => {
    const dir = tempDir();
    for (const sub of ['pdf', 'deck', 'partials']) fs.mkdirSync(path.join(dir, sub));
    fs.writeFileSync(path.join(dir, 'pdf', 'proto.hbs'), '{{#with this}}{{constructor.name}}{{/with}}');
    // With prototype access on, this would print "Object"; strict mode names what it could not find instead.
    expect(() => new TemplateSet(dir).render('pdf/proto', {})).toThrow(/proto\.hbs: field "name" is not defined/);
  });

  it('has a template for every wording compose asks for, and no template nobody uses', () => {
    const used = new Set<string>();
    const recording = new TemplateSet();
    const render = recording.render.bind(recording);
    recording.render = (name, context) => {
      used.add(name);
      return render(name, context);
    };
    // The brief with every content element, and the sample (report links, a first version) between them use every wording.
    for (const [dir, edit] of [[everyElementDir, undefined], [sampleDir, (y: string) => y.replace('version: 11', 'version: 1')]] as const) {
      const validated = validateDir(edit ? copyBrief(dir, edit).dir : dir).result!;
      const charts = new Map(validated.brief.figures.filter((f) => f.chart).map((f) => [f.id, { figureId: f.id } as ChartArtifact]));
      compose({ brief: validated.brief, charts, tables: validated.tableData, images: validated.images, templates: recording });
    }
    const files = ['pdf', 'deck'].flatMap((group) => fs.readdirSync(path.join(projectRoot, 'templates', group)).map((f) => `${group}/${f.replace(/\.hbs$/, '')}`));
    expect(files.filter((name) => !used.has(name)).sort()).toEqual([]);
    expect([...used].filter((name) => !files.includes(name))).toEqual([]);
  });
});

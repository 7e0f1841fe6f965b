// The files' metadata (the PDF's Info dictionary, the deck's docProps) as a file
// browser or mail client shows it: no invisible bidirectional or zero-width
// controls that make a title or an author read other than it is (issue 15).
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../pipeline/core/diagnostics.ts';
import { artifact, build, copySample, decodeXml, expectBuilt, readDeck, readPdf, type Built } from './helpers.ts';

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;

describe('bidirectional overrides and zero-width joiners in the title and an author’s name', () => {
  // "U.S.-Japan Relations" that a file browser would show with "exe.fdp" reversed; an author name with a joiner inside.
  const spoofed = 'U.S.-Japan Relations \u202Eexe.fdp';
  let built: Built;
  beforeAll(async () => {
    const { dir } = copySample((y) => y.replace('title: U.S.-Japan Relations', `title: "U.S.-Japan Relations \\u202Eexe.fdp"`).replace('- name: Emma Chanlett-Avery', '- name: "Emma Chanlett\\u200D-Avery"'));
    built = expectBuilt(await build(dir));
  });

  it('leaves them out of the PDF’s Info dictionary', async () => {
    const { info } = await readPdf(artifact(built, 'pdf'));
    for (const key of ['Title', 'Author', 'Subject', 'Keywords']) expect(INVISIBLE.test(String(info[key])), key).toBe(false);
    expect(info['Title']).toBe('U.S.-Japan Relations exe.fdp');
    expect(String(info['Author'])).toContain('Emma Chanlett-Avery');
  });

  it('leaves them out of the deck’s document properties, and keeps them in the title slide’s text', async () => {
    const bytes = artifact(built, 'pptx');
    const zip = await JSZip.loadAsync(bytes);
    const core = await zip.files['docProps/core.xml']!.async('string');
    const app = await zip.files['docProps/app.xml']!.async('string');
    const field = (tag: string) => decodeXml(new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(core)?.[1] ?? '');
    expect(field('dc:title')).toBe('U.S.-Japan Relations exe.fdp');
    expect(field('dc:creator')).toContain('Emma Chanlett-Avery');
    expect(INVISIBLE.test(core), 'docProps/core.xml').toBe(false);
    expect(INVISIBLE.test(decodeXml(app)), 'docProps/app.xml').toBe(false);
    // Body text may need them (right-to-left text): the slides keep what the author wrote.
    expect((await readDeck(bytes)).slides[0]!.title).toBe(spoofed);
  });

  it('warns at each field that held them', () => {
    const warnings = built.diagnostics.filter((d: Diagnostic) => d.code === 'invisible-in-metadata');
    expect(warnings.map((w) => [w.severity, w.field])).toEqual([
      ['warning', 'title'],
      ['warning', 'authors[0].name'],
    ]);
    expect(warnings[0]!.line).toBeGreaterThan(0);
    expect(warnings[0]!.message).toContain('U+202E');
    expect(warnings[1]!.message).toContain('U+200D');
  });
});

// The deck opens cleanly: the checks PowerPoint's repair prompt and the shared
// check-pptx tool make, done here with a real XML parser.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import posix from 'node:path/posix';
import { beforeAll, describe, expect, it } from 'vitest';
import { onePropertiesPerParagraph, setLanguage } from '../pipeline/deck/package.ts';
import { artifact, build, expectBuilt, isWellFormed, readDeck, sampleDir, tempDir, type Deck } from './helpers.ts';

let bytes: Buffer;
let deck: Deck;
beforeAll(async () => {
  bytes = artifact(expectBuilt(await build(sampleDir, ['pptx'])), 'pptx');
  deck = await readDeck(bytes);
});

describe('deck package', () => {
  it('has only well-formed XML parts, free of characters XML 1.0 forbids', () => {
    for (const [name, xml] of deck.files) {
      expect(isWellFormed(xml), name).toBe(true);
      expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml), name).toBe(false); // eslint-disable-line no-control-regex
    }
  });

  it('gives every part a content type and overrides only parts that exist', () => {
    const types = deck.files.get('[Content_Types].xml')!;
    const defaults = new Set([...types.matchAll(/<Default Extension="([^"]+)"/g)].map((m) => m[1]!.toLowerCase()));
    const overrides = [...types.matchAll(/<Override PartName="\/([^"]+)"/g)].map((m) => m[1]!);
    for (const part of overrides) expect(deck.names, `override for missing ${part}`).toContain(part);
    for (const name of deck.names.filter((n) => !n.endsWith('/'))) {
      expect(overrides.includes(name) || defaults.has(name.split('.').pop()!.toLowerCase()), `no content type for ${name}`).toBe(true);
    }
  });

  it('resolves every internal relationship', () => {
    for (const [name, xml] of deck.files) {
      if (!name.endsWith('.rels')) continue;
      const base = posix.dirname(posix.dirname(name));
      for (const m of xml.matchAll(/<Relationship [^>]*Target="([^"]+)"[^>]*>/g)) {
        if (/TargetMode="External"/.test(m[0])) continue;
        const target = m[1]!.startsWith('/') ? m[1]!.slice(1) : posix.normalize(posix.join(base, m[1]!));
        expect(deck.names, `${name} → ${target}`).toContain(target);
      }
    }
  });

  it('puts every slide title in a title placeholder and alt text on the chart', () => {
    for (const slide of deck.slides) expect(slide.title.length).toBeGreaterThan(0);
    const figure = deck.slides.find((s) => s.title.startsWith('Figure 1'))!;
    expect(figure.xml).toMatch(/<p:cNvPr [^>]*descr="Horizontal bar chart of total U\.S\. trade/);
  });

  it('keeps one paragraph-properties element per paragraph', () => {
    expect(onePropertiesPerParagraph('<a:p><a:pPr algn="l"/><a:r/><a:pPr marL="0"><a:buNone/></a:pPr><a:r/></a:p>')).toBe('<a:p><a:pPr algn="l"/><a:r/><a:r/></a:p>');
    for (const slide of deck.slides) {
      for (const p of slide.xml.matchAll(/<a:p>([\s\S]*?)<\/a:p>/g)) expect((p[1]!.match(/<a:pPr\b/g) ?? []).length).toBeLessThanOrEqual(1);
    }
  });

  it('names the brief’s language on every lang attribute pptxgenjs writes, and nothing else', () => {
    // Text content has its quotes escaped, so it never looks like an attribute.
    expect(setLanguage('<a:rPr lang="en-US" altLang="en-US"/><a:t>a lang=&quot;en-US&quot; tag</a:t><a:endParaRPr lang="en-US"/>', 'ja-JP')).toBe(
      '<a:rPr lang="ja-JP" altLang="en-US"/><a:t>a lang=&quot;en-US&quot; tag</a:t><a:endParaRPr lang="ja-JP"/>',
    );
  });

  it('stores entries with a fixed timestamp and dates from the brief', () => {
    const core = deck.files.get('docProps/core.xml')!;
    expect(core).toContain('2019-05-14T00:00:00Z');
    expect(core).not.toMatch(/20[2-9]\d-\d\d-\d\dT(?!00:00:00Z)/);
  });

  const soffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
  it.runIf(soffice)('converts in LibreOffice to one PDF page per slide', () => {
    const dir = tempDir();
    const file = path.join(dir, 'deck.pptx');
    fs.writeFileSync(file, bytes);
    execFileSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'pipe', timeout: 120_000 });
    const info = execFileSync('pdfinfo', [path.join(dir, 'deck.pdf')], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)![1])).toBe(deck.slides.length);
  }, 180_000);
});

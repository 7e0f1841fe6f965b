// The sample's PDF as a reader's software sees it: page size, tags, metadata and the
// structure a screen reader follows (qpdf and the fonts of every brief: test/briefs.test.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifact, build, copySample, expectBuilt, sampleDir, tempDir } from './helpers.ts';
import { itWith } from './tools.ts';

interface StructNode {
  role?: string;
  alt?: string;
  type?: string;
  children?: StructNode[];
}

async function structure(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  const out: string[] = [];
  const walk = (node: StructNode, path: string) => {
    if (!node.role) return;
    const here = path ? `${path}>${node.role}` : node.role;
    out.push(node.alt ? `${here}[alt]` : here);
    for (const child of node.children ?? []) walk(child, here);
  };
  for (let n = 1; n <= doc.numPages; n++) {
    const tree = (await (await doc.getPage(n)).getStructTree()) as StructNode | null;
    for (const child of tree?.children ?? []) walk(child, '');
  }
  await doc.destroy();
  return out;
}

let file: string;
let bytes: Buffer;
beforeAll(async () => {
  bytes = artifact(expectBuilt(await build(sampleDir, ['pdf'])), 'pdf');
  file = path.join(tempDir(), 'IF10199.pdf');
  fs.writeFileSync(file, bytes);
});

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

describe('PDF structure', () => {
  itWith('pdfinfo', 'pdfimages')('is tagged, US Letter, three pages, no raster image, under 300 KB', () => {
    const info = run('pdfinfo', [file]);
    expect(info).toMatch(/^Tagged:\s+yes$/m);
    expect(info).toMatch(/^Pages:\s+3$/m);
    expect(info).toMatch(/^Page size:\s+612 x 792 pts \(letter\)$/m);
    expect(run('pdfimages', ['-list', file]).trim().split('\n').slice(2)).toEqual([]);
    expect(bytes.length).toBeLessThan(300_000);
  });

  it('tags headings, paragraphs, links, captions and the figure with its alt text, in reading order', async () => {
    const roles = await structure(bytes);
    expect(roles[0]).toBe('Document');
    expect(roles).toContain('Document>H1');
    expect(roles.filter((r) => r === 'Document>H2')).toHaveLength(6 + 1); // six section headings and "Disclaimer"
    expect(roles).toContain('Document>Figure[alt]');
    expect(roles).toContain('Document>P>Link');
    const order = roles.filter((r) => /^Document>(H1|H2|Figure|Caption)/.test(r)).map((r) => r.replace('Document>', ''));
    expect(order.slice(0, 2)).toEqual(['H1', 'H2']);
    expect(order.indexOf('Figure[alt]')).toBe(order.indexOf('Caption') + 1);
  });

  it('tags a bulleted list as L > LI > Lbl + LBody', async () => {
    const { dir } = copySample((y) =>
      y.replace('    blocks:\n      - paragraph: >-\n          Bilateral trade negotiations', '    blocks:\n      - bullets: ["First point.", "Second point."]\n      - paragraph: >-\n          Bilateral trade negotiations'),
    );
    const roles = await structure(artifact(expectBuilt(await build(dir, ['pdf'])), 'pdf'));
    expect(roles.filter((r) => r.startsWith('Document>L'))).toEqual([
      'Document>L',
      'Document>L>LI',
      'Document>L>LI>Lbl',
      'Document>L>LI>LBody',
      'Document>L>LI',
      'Document>L>LI>Lbl',
      'Document>L>LI>LBody',
    ]);
  });

  itWith('pdfinfo')('names the document: title, author, subject, keywords, language, display title', () => {
    const info = run('pdfinfo', ['-meta', file]) + run('pdfinfo', [file]);
    expect(info).toMatch(/^Title:\s+U\.S\.-Japan Relations$/m);
    expect(info).toMatch(/^Subject:\s+Congressional Research Service In Focus IF10199, version 11, Updated May 14, 2019$/m);
    expect(info).toMatch(/^Keywords:\s+IF10199, In Focus, The U\.S\.-Japan Military Alliance/m);
    const raw = bytes.toString('latin1');
    expect(raw).toMatch(/\/Lang \(en-US\)/);
    expect(raw).toMatch(/\/DisplayDocTitle true/);
  });
});

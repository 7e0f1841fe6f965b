// The running header and footer as outlines (pipeline/pdf/outline.ts): each text
// one form XObject of the document, drawn by every page that shows it; path data
// turned into PDF operators with each quadratic curve the cubic it exactly is.
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { drawOutlineForm, outlineOperators } from '../pipeline/pdf/outline.ts';
import { pdfkitBytes, sampleArtifact } from './helpers.ts';

describe('outlined furniture', () => {
  it('writes path data as PDF operators, each quadratic as the cubic through the same points', () => {
    expect(outlineOperators('M0 0L6 0Q6 6 0 6Z')).toBe(['0 0 m', '6 0 l', '6 4 4 6 0 6 c', 'h'].join('\n'));
    expect(outlineOperators('M-1.5 2C1 2 3 4 5.25 6Z')).toBe(['-1.5 2 m', '1 2 3 4 5.25 6 c', 'h'].join('\n'));
    // A quadratic from (0, 0) through control (3, 3) to (6, 0): the cubic's controls are 2/3 of the way to (3, 3).
    expect(outlineOperators('M0 0Q3 3 6 0')).toBe(['0 0 m', '2 2 4 2 6 0 c'].join('\n'));
  });

  it('reads nothing but absolute M, L, Q, C and Z with their numbers', () => {
    for (const path of ['m0 0l1 1', 'M0 0A1 1 0 0 1 2 2', 'M0 0L1', 'M0 0L1 1 2', 'M0 0Lx 1', '', ' M0 0', 'M0 0L1 1 junk']) expect(outlineOperators(path), path).toBeUndefined();
  });

  it('draws each page’s header and footer from forms the document holds once, not paths written into every page', async () => {
    const pdf = sampleArtifact('pdf');
    const document = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, verbosity: 0 }).promise;
    const uses: number[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const list = await (await document.getPage(n)).getOperatorList();
      uses.push(list.fnArray.filter((fn: number) => fn === OPS.paintFormXObjectBegin).length);
    }
    await document.destroy();
    // Object dictionaries are written uncompressed: count the forms the file holds.
    const forms = (pdf.toString('latin1').match(/\/Subtype \/Form/g) ?? []).length;
    expect(uses.every((count) => count >= 1), `form uses by page: ${uses}`).toBe(true);
    expect(forms).toBeGreaterThan(0);
    // The same header on pages 2 and 3, the same site in every footer: fewer forms than uses.
    expect(forms).toBeLessThan(uses.reduce((sum, count) => sum + count, 0));
  });

  // A glyph (a few hundred bytes of operators), and an outline the size of a running
  // footer's (over 4 kB, kept in a memo of its own); each in a colour no other test
  // draws, so that the first document below deflates it.
  const glyph = 'M1.25 -3.5L7.75 -3.5Q9.125 -1 7.75 1.5L1.25 1.5Z';
  const footer = `M0 0${Array.from({ length: 600 }, (_, i) => `L${(i % 97) + 0.5} ${(i % 13) - 6.25}`).join('')}Z`;
  for (const [what, path, color, fill, bbox] of [
    ['the same glyph in the same colour, in another brief', glyph, '#3a5f0b', '0.2275 0.3725 0.0431', [0, -5, 11, 3]],
    ['the same footer, in another brief', footer, '#0b3a5f', '0.0431 0.2275 0.3725', [-1, -8, 98, 7]],
  ] as const) {
    it(`writes a form it deflated before (${what}) from memory: the file as pdfkit writes it, one deflate fewer`, async () => {
      /** A compressed one-page document drawing `draw`, as bytes; its creation date from nothing. */
      const pdfOf = async (draw: (doc: PDFKit.PDFDocument) => void): Promise<string> => (await pdfkitBytes({ size: [100, 100], margin: 0, compress: true }, draw)).toString('latin1');
      // pdfkit's own writing of the same form: its stream deflated by pdfkit, its dictionary in pdfkit's order.
      const expected = await pdfOf((doc) => {
        const form = doc.ref({ Type: 'XObject', Subtype: 'Form', BBox: [...bbox] });
        form.end(`${fill} rg\n${outlineOperators(path)}\nf`);
        (doc.page as unknown as { xobjects: Record<string, PDFKit.PDFKitReference> }).xobjects['Outline1'] = form;
        doc.addContent('/Outline1 Do');
      });
      const deflate = vi.spyOn(zlib, 'deflateSync');
      const formDeflates = () => deflate.mock.calls.filter(([input]) => Buffer.from(input as Uint8Array).toString('latin1').startsWith(`${fill} rg`)).length;
      try {
        const first = await pdfOf((doc) => expect(drawOutlineForm(doc, path, color)).toBe(true));
        const afterFirst = formDeflates();
        const second = await pdfOf((doc) => expect(drawOutlineForm(doc, path, color)).toBe(true));
        expect([afterFirst, formDeflates()]).toEqual([1, 1]);
        expect(first).toBe(expected);
        expect(second).toBe(expected);
      } finally {
        deflate.mockRestore();
      }
    });
  }
});

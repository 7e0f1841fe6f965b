// A fragment of text written by pipeline/pdf/textrun.ts is what pdfkit's text() writes
// for the same call: the same page operators and the same font subset, byte for byte,
// for every option the layout uses (justified word spacing, letter spacing,
// horizontal scaling), kerned Latin, marks placed by an offset, CJK from a fallback
// font, and the odd inputs (runs of spaces, line feeds, white space only, nothing).
import { describe, expect, it } from 'vitest';
import { fontName, type FontKey } from '../pipeline/core/fonts.ts';
import { drawTextRun, type TextRunOptions } from '../pipeline/pdf/textrun.ts';
import { pdfkitBytes, sharedContext } from './helpers.ts';

interface Case {
  readonly text: string;
  readonly font: FontKey;
  readonly size: number;
  readonly options: TextRunOptions;
}

const serif: FontKey = { face: 'serif', weight: 'regular' };
const sansBold: FontKey = { face: 'sans', weight: 'bold' };
const cjk: FontKey = { face: 'serif', weight: 'regular', fallback: 0 };

const CASES: readonly Case[] = [
  { text: 'AVATAR To Wa, Ty. “Yes,” fi ffl 1,234.50', font: serif, size: 10, options: {} },
  { text: 'The alliance is a cornerstone of U.S. security interests in Asia', font: serif, size: 9.5, options: { wordSpacing: 1.37 } },
  { text: '  leading,  doubled   and trailing spaces  ', font: serif, size: 9.5, options: { wordSpacing: 0.8 } },
  { text: 'Letter-spaced heading', font: sansBold, size: 14, options: { characterSpacing: 0.35 } },
  { text: 'Condensed to fit the column', font: serif, size: 9.5, options: { horizontalScaling: 97.25 } },
  { text: 'All three at once, AV To', font: sansBold, size: 8, options: { wordSpacing: 2.1, characterSpacing: -0.12, horizontalScaling: 98.5 } },
  // Arimo places combining marks by an offset (GPOS), which pdfkit writes with a text matrix of their own.
  { text: 'cafe\u0301 x\u0301y\u0308 o\u0328\u0301 q\u0327 done', font: sansBold, size: 11, options: {} },
  { text: 'justified cafe\u0301 and a\u0323\u0302 too', font: sansBold, size: 11, options: { wordSpacing: 1.5 } },
  { text: '日米同盟は地域の安定の礎である。', font: cjk, size: 9.5, options: {} },
  { text: '한미 동맹과 일본', font: cjk, size: 9.5, options: { wordSpacing: 0.6 } },
  { text: 'first piece\nsecond piece', font: serif, size: 10, options: { characterSpacing: 0.2 } },
  { text: 'justified\nafter a  line feed', font: serif, size: 9.5, options: { wordSpacing: 1.1, horizontalScaling: 99.5 } },
  { text: 'tab\tseparated\tcolumns and a\u00a0no-break space', font: serif, size: 10, options: {} },
  { text: 'tab\tseparated, justified', font: serif, size: 10, options: { wordSpacing: 0.45, characterSpacing: 0.07 } },
  { text: '   ', font: serif, size: 10, options: { wordSpacing: 1 } },
  { text: '', font: serif, size: 10, options: {} },
];

/** A one-page PDF, uncompressed and dated from nothing, with each case drawn one under the other by `draw`. */
async function pdfOf(draw: (doc: PDFKit.PDFDocument, c: Case, x: number, y: number) => void, layoutCache = true): Promise<Buffer> {
  const { fonts } = sharedContext();
  return pdfkitBytes({ size: [400, 500], margin: 0, compress: false, ...(layoutCache ? {} : { fontLayoutCache: false }) } as PDFKit.PDFDocumentOptions, (doc) => {
    const registered = new Set<string>();
    CASES.forEach((c, i) => {
      const name = fontName(c.font);
      if (!registered.has(name)) doc.registerFont(name, fonts.byName(name) as never);
      registered.add(name);
      doc.font(name).fontSize(c.size).fillColor('#1a2b3c');
      draw(doc, c, 20 + i, 30 + i * 28);
    });
  });
}

const byPdfkit = (doc: PDFKit.PDFDocument, c: Case, x: number, y: number) =>
  void doc.text(c.text, x, y, { lineBreak: false, baseline: 'alphabetic', ...c.options } as PDFKit.Mixins.TextOptions);
const byTextRun = (doc: PDFKit.PDFDocument, c: Case, x: number, y: number) => drawTextRun(doc, c.text, x, y, c.options);

describe('drawTextRun', () => {
  it('writes the same file as pdfkit text() for every case', async () => {
    const [expected, actual] = [await pdfOf(byPdfkit), await pdfOf(byTextRun)];
    const text = actual.toString('latin1');
    // The cases reach the paths they are there for: kerning, word spacing, a placed mark, each option's operator.
    expect(text).toMatch(/<[0-9a-f]+> -?\d+(\.\d+)?/);
    for (const operator of [' Tc\n', ' Tz\n', ' TJ\n']) expect(text).toContain(operator);
    expect(text.match(/^BT$/gm)!.length).toBeGreaterThanOrEqual(CASES.length - 1);
    expect(text.match(/^BT\n(?:.*\n)*?.* Tm\n(?:(?!ET).*\n)*?.* Tm$/gm)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(actual.equals(expected)).toBe(true);
  });

  it('writes the same file as pdfkit text() in a document without pdfkit’s cache of laid-out runs', async () => {
    expect((await pdfOf(byTextRun, false)).equals(await pdfOf(byPdfkit, false))).toBe(true);
  });

  it('would see a difference: one option changed changes the file', async () => {
    const expected = await pdfOf(byPdfkit);
    const nudged = await pdfOf((doc, c, x, y) => drawTextRun(doc, c.text, x, y, c.options.wordSpacing ? { ...c.options, wordSpacing: c.options.wordSpacing + 0.01 } : c.options));
    expect(nudged.equals(expected)).toBe(false);
  });
});

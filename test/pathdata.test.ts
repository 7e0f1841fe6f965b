// SVG path data to PDF operators (pipeline/pdf/pathdata.ts): the scanner gives what
// the regular expressions it replaced give, for the paths the project draws (every
// chart's, a page of glyph outlines) and for random strings near the grammar, where
// each deviation must end in the same refusal or the same operators.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { pdfPathOperators, pdfPathOperatorsByPattern } from '../pipeline/pdf/pathdata.ts';
import { everyElementDir, sampleDir, sharedContext, validateDir } from './helpers.ts';
import { seededRandom } from './random.ts';

describe('SVG path data as PDF operators', () => {
  it("reads every path of every chart and of the header's glyph outlines as the reference reading does", async () => {
    const paths: string[] = [];
    for (const dir of [sampleDir, everyElementDir]) {
      const { brief, figureData } = validateDir(dir).result!;
      for (const figure of brief.figures) {
        if (!figure.chart) continue;
        const { svg } = await sharedContext().charts.render(figure.id, figure.chart, figureData.get(figure.id)!, brief.language);
        for (const match of svg.matchAll(/\sd="([^"]*)"/g)) paths.push(match[1]!);
      }
    }
    const fonts = sharedContext().fonts;
    paths.push(fonts.outline('U.S.-Japan Relations, 2026 — Ω', { face: 'sans', weight: 'bold' }, 9), fonts.outline('www.crs.gov | IF10199', { face: 'serif', weight: 'regular' }, 8));
    expect(paths.length).toBeGreaterThan(50);
    let read = 0;
    for (const data of paths) {
      const expected = pdfPathOperatorsByPattern(data);
      expect(pdfPathOperators(data)).toBe(expected);
      if (expected !== undefined) read++;
    }
    // The paths are cairo's and fontkit's absolute commands: nearly all are read, not refused.
    expect(read).toBeGreaterThan(paths.length * 0.9);
  });

  it('gives the same operators or the same refusal as the reference for 20,000 strings near the grammar', () => {
    const next = seededRandom(14);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    // Mostly what the grammar allows; now and then a part it does not (no digits, a bare point, an exponent, a no-break space, no separator).
    const rarely = <T>(usual: readonly T[], odd: readonly T[]) => (next() < 0.02 ? pick(odd) : pick(usual));
    const number = () => pick(['', '', '', '-']) + rarely(['0', '12', '3', '471'], ['']) + rarely(['', '', '.5', '.25'], ['.', 'e3', 'x', '\u00a0']);
    const separator = () => rarely([' ', ' ', ',', ', ', '  ', '\n', '\t', ',,', ' , '], ['', '\u00a0']);
    let agreedOnOperators = 0;
    for (let k = 0; k < 20_000; k++) {
      let data = next() < 0.02 ? pick([' ', ',', 'm']) : '';
      const commands = 1 + Math.floor(next() * 5);
      for (let c = 0; c < commands; c++) {
        const command = rarely(['M', 'L', 'Q', 'C', 'Z'], ['l', 'H', 'q']);
        const count = { M: 2, L: 2, Q: 4, C: 6, Z: 0 }[command as 'M'] ?? 2;
        const args = count + (next() < 0.02 ? pick([-1, 1]) : 0);
        data += command + (next() < 0.3 ? separator() : '');
        for (let a = 0; a < args; a++) data += (a > 0 ? separator() : '') + number();
        if (next() < 0.2) data += rarely([' ', '\n', '  '], [',']);
      }
      const expected = pdfPathOperatorsByPattern(data);
      expect(pdfPathOperators(data), JSON.stringify(data)).toBe(expected);
      if (expected !== undefined) agreedOnOperators++;
    }
    // Both outcomes are exercised: strings read, and strings refused.
    expect(agreedOnOperators).toBeGreaterThan(5_000);
    expect(agreedOnOperators).toBeLessThan(18_000);
  });

  it('returns flat strings, which a cache can keep at about a byte a character', () => {
    // Built by concatenation, a result was a tree of some 4,500 pieces that the outline cache kept whole (~15 bytes a character).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const kept: string[] = [];
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 300; i++) kept.push(pdfPathOperators(`M0 0 ${Array.from({ length: 2000 }, (_, k) => `L${k + i} ${k}.5`).join(' ')} Z`)!);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    const characters = kept.reduce((sum, text) => sum + text.length, 0);
    expect(characters).toBeGreaterThan(5_000_000);
    expect(grown).toBeLessThan(characters * 1.5);
  });

  it('turns a quadratic into its cubic and closes a path where it began', () => {
    expect(pdfPathOperators('M0 0 Q3 3 6 0 Z')).toBe('0 0 m\n2 2 4 2 6 0 c\nh');
    expect(pdfPathOperators('M 1,2 L 3 4 Z M 5 6 Q 5 6 5 6')).toBe('1 2 m\n3 4 l\nh\n5 6 m\n5 6 5 6 5 6 c');
    expect(pdfPathOperators('M0 0 l1 1')).toBeUndefined();
    expect(pdfPathOperators('')).toBeUndefined();
  });
});

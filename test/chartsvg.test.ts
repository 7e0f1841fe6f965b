// The chart's SVG drawn straight into the PDF (pipeline/pdf/chartsvg.ts): every
// kind of chart the chart stage makes takes that path, it paints the same pixels as
// svg-to-pdfkit, its letters are glyphs written once and drawn as forms, and any SVG
// outside cairo's vocabulary is left to svg-to-pdfkit with nothing drawn.
import SVGtoPDF from 'svg-to-pdfkit';
import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../pipeline/input/schema.ts';
import { drawChartSvg, readCairoSvg, type ChartBox } from '../pipeline/pdf/chartsvg.ts';
import { everyElementDir, pdfkitBytes, sampleDir, sharedContext, validateDir } from './helpers.ts';

/** Every kind of chart: the fixtures' (a stacked bar, a combination with shaded ranges and a dashed reference line, horizontal bars) and a pie and a line made from them. */
async function chartSvgs(): Promise<Array<{ name: string; svg: string }>> {
  const out: Array<{ name: string; svg: string }> = [];
  for (const dir of [sampleDir, everyElementDir]) {
    const { brief, figureData } = validateDir(dir).result!;
    for (const figure of brief.figures) {
      if (!figure.chart) continue;
      const data = figureData.get(figure.id)!;
      const variants: Array<[string, ChartSpec]> = [[figure.chart.type, figure.chart]];
      if (figure.id === 'awards-by-region') {
        variants.push(['pie', { ...figure.chart, type: 'pie', stacked: false }], ['line', { ...figure.chart, type: 'line', stacked: false }]);
      }
      for (const [kind, chart] of variants) {
        const drawn = await sharedContext().charts.render(figure.id, chart, data, brief.language);
        out.push({ name: `${figure.id} (${kind}${chart.orientation === 'horizontal' ? ', horizontal' : ''})`, svg: drawn.svg });
      }
    }
  }
  return out;
}

/** A one-page PDF with `draw` run on it, uncompressed. */
const pdfWith = (draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> => pdfkitBytes({ size: [400, 300], margin: 0, compress: false }, draw);

/** Page 1 as pdf.js draws it at twice its size: RGBA. */
async function pixels(pdf: Buffer): Promise<Uint8ClampedArray> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const { createCanvas } = await import('@napi-rs/canvas');
  const document = await pdfjs.getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const page = await document.getPage(1);
  const viewport = page.getViewport({ scale: 2 });
  const canvas = createCanvas(viewport.width, viewport.height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, viewport.width, viewport.height);
  await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
  const data = context.getImageData(0, 0, viewport.width, viewport.height).data;
  await document.destroy();
  return data;
}

describe('a chart’s SVG in the PDF', () => {
  it('reads every kind of chart the chart stage draws as cairo’s SVG, so none is left to svg-to-pdfkit', async () => {
    const charts = await chartSvgs();
    expect(charts.map((c) => c.name.replace(/ \(.*/, ''))).toEqual(expect.arrayContaining(['awards-by-region', 'trade-balance', 'top-us-trade-partners']));
    for (const { name, svg } of charts) {
      const drawing = readCairoSvg(svg);
      expect(drawing, name).toBeDefined();
      expect(drawing!.steps.filter((s) => s.kind === 'path').length, name).toBeGreaterThan(5);
    }
  });

  it('paints the pixels svg-to-pdfkit paints, placed and scaled into a box of another shape, clipped and dashed alike', async () => {
    // Wider than the chart: it is centred across the box at the box's height.
    const box: ChartBox = { x: 20, y: 30, width: 360, height: 150 };
    // Cairo writes every fill and stroke of these charts opaque; one translucent fill and stroke, overlapping, as it would write them.
    const translucent = {
      name: 'translucent overlapping paths',
      svg: [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100pt" height="50pt" viewBox="0 0 100 50" version="1.1">',
        '<defs>',
        '<g>',
        '<symbol overflow="visible" id="glyph0-1">',
        '<path style="stroke:none;" d="M 0 0 L 10 0 L 10 -14 L 0 -14 Z M 0 0 "/>',
        '</symbol>',
        '</g>',
        '</defs>',
        '<g id="surface1">',
        '<path style=" stroke:none;fill-rule:nonzero;fill:rgb(10.588235%,22.745098%,36.078431%);fill-opacity:0.5;" d="M 10 10 L 60 10 L 60 40 L 10 40 Z M 10 10 "/>',
        '<path style="fill:none;stroke-width:6;stroke-linecap:round;stroke-linejoin:round;stroke:rgb(70.980392%,52.156863%,16.862745%);stroke-opacity:0.4;stroke-miterlimit:10;" d="M 30 5 L 90 45 "/>',
        // Letters at half opacity (node-canvas writes alpha 0.5 so), two overlapping: each is laid over the other, as in SVG.
        '<g style="fill:rgb(50.196078%,0%,0%);fill-opacity:0.498039;">',
        '  <use xlink:href="#glyph0-1" x="14" y="46"/>',
        '  <use xlink:href="#glyph0-1" x="20" y="46"/>',
        '</g>',
        '</g>',
        '</svg>',
      ].join('\n'),
    };
    for (const { name, svg } of [...(await chartSvgs()), translucent]) {
      const ours = await pixels(await pdfWith((doc) => expect(drawChartSvg(doc, svg, box)).toBe(true)));
      const theirs = await pixels(await pdfWith((doc) => SVGtoPDF(doc, svg, box.x, box.y, { width: box.width, height: box.height, assumePt: true, preserveAspectRatio: 'xMidYMid meet' })));
      let differing = 0;
      let inked = 0;
      for (let i = 0; i < ours.length; i += 4) {
        if (Math.max(Math.abs(ours[i]! - theirs[i]!), Math.abs(ours[i + 1]! - theirs[i + 1]!), Math.abs(ours[i + 2]! - theirs[i + 2]!)) > 24) differing++;
        if (ours[i]! < 250) inked++;
      }
      expect(inked, `${name}: something is drawn`).toBeGreaterThan(1000);
      // Some 30 pixels of edges differ by rounding; a dashed line drawn solid is over 300.
      expect(differing, `${name}: pixels that differ from svg-to-pdfkit's`).toBeLessThanOrEqual(60);
    }
  }, 60_000);

  it('leaves any SVG outside cairo’s vocabulary to svg-to-pdfkit, and draws nothing of it', async () => {
    const cairo = (await chartSvgs()).find((c) => c.name.startsWith('trade-balance'))!.svg;
    const head = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt" viewBox="0 0 10 10" version="1.1">';
    const path = (style: string, d = 'M 0 0 L 5 5 L 0 5 Z M 0 0 ') => `${head}<g id="s"><path style="${style}" d="${d}"/></g></svg>`;
    const fill = 'stroke:none;fill-rule:nonzero;fill:rgb(10%,20%,30%);fill-opacity:1;';
    expect(readCairoSvg(path(fill))).toBeDefined();
    const others: Record<string, string> = {
      text: cairo.replace('</svg>', '<text x="1" y="1">Label</text></svg>'),
      rect: `${head}<rect width="5" height="5"/></svg>`,
      transform: path(fill).replace('<path ', '<path transform="scale(2)" '),
      'relative path data': path(fill, 'm 0 0 l 5 5 z'),
      'a number with an exponent': path(fill, 'M 0 0 L 1e-5 5 Z'),
      'a wrong count of numbers': path(fill, 'M 0 0 L 5 Z'),
      'a named colour': path(fill.replace('rgb(10%,20%,30%)', 'red')),
      'an opacity of the whole element': path(`${fill}opacity:0.5;`),
      'no fill given': path('stroke:none;'),
      'a clip that is not defined': cairo.replace(/clip-path="url\(#clip\d+\)"/, 'clip-path="url(#nowhere)"'),
      'text between tags': path(fill).replace('<g id="s">', '<g id="s">loose words'),
      'an element left open': path(fill).replace('</g>', ''),
      'a viewBox that does not start at 0 0': path(fill).replace('viewBox="0 0 10 10"', 'viewBox="1 1 10 10"'),
      'a letter of a glyph not defined': cairo.replace(/xlink:href="#[^"]+"/, 'xlink:href="#nowhere"'),
      'a letter with a transform': cairo.replace(/<use /, '<use transform="rotate(90)" '),
      'a letter outside a group that gives its fill': cairo.replace('</svg>', '<use xlink:href="#glyph0-1" x="1" y="1"/></svg>'),
      'letters in a group with a stroke': cairo.replace(/(<g style="fill:[^"]*)"/, '$1stroke:rgb(0%,0%,0%);"'),
      'a glyph outline with a paint of its own': cairo.replace(/(<symbol[^>]*>\s*<path style=")stroke:none;"/, '$1fill:rgb(0%,0%,0%);"'),
      'a glyph with two outlines': cairo.replace(/(<symbol[^>]*>\s*)(<path [^>]*\/>)/, '$1$2$2'),
      'a glyph outline without a point': cairo.replace(/(<symbol[^>]*>\s*<path style="stroke:none;" d=")[^"]+"/, '$1Z"'),
      'a glyph defined twice': cairo.replace(/(<symbol[^>]*>\s*<path [^>]*\/>\s*<\/symbol>)/, '$1$1'),
    };
    for (const [what, svg] of Object.entries(others)) expect(svg, `${what}: the case changes the SVG`).not.toBe(cairo);
    expect(cairo).toMatch(/clip-path="url\(#clip\d+\)"/);
    expect(cairo).toMatch(/<g style="fill:rgb\([^"]*">\s*<use xlink:href="#glyph\d+-\d+"/);
    for (const [what, svg] of Object.entries(others)) {
      expect(readCairoSvg(svg), what).toBeUndefined();
      let written = 0;
      await pdfWith((doc) => {
        const addContent = doc.addContent.bind(doc);
        doc.addContent = (content: string) => {
          written++;
          return addContent(content);
        };
        expect(drawChartSvg(doc, svg, { x: 0, y: 0, width: 10, height: 10 }), what).toBe(false);
      });
      expect(written, what).toBe(0);
    }
  });
});

describe('a chart’s letters', () => {
  it('are glyphs the chart stage writes once each, every letter a use of one', async () => {
    for (const { name, svg } of await chartSvgs()) {
      const outlines = [...svg.matchAll(/<symbol overflow="visible" id="([^"]+)">\s*(?:<path style="stroke:none;" d="([^"]*)"\/>)?\s*<\/symbol>/g)];
      const symbols = svg.match(/<symbol/g)?.length ?? 0;
      expect(outlines.length, `${name}: every symbol is one glyph outline`).toBe(symbols);
      const drawn = outlines.map((m) => m[2] ?? '').filter((d) => d !== '');
      expect(new Set(drawn).size, `${name}: no outline written twice`).toBe(drawn.length);
      const uses = [...svg.matchAll(/<use xlink:href="#([^"]+)"/g)].map((m) => m[1]);
      // Tick labels repeat their digits: fewer glyphs than letters.
      expect(uses.length, name).toBeGreaterThan(drawn.length);
      const defined = new Set(outlines.map((m) => m[1]));
      for (const id of uses) expect(defined.has(id), `${name}: ${id} is defined`).toBe(true);
    }
  });

  it('are drawn in the PDF as one form a glyph and colour, and one Do a letter', async () => {
    const { svg } = (await chartSvgs()).find((c) => c.name.startsWith('top-us-trade-partners'))!;
    const outlines = new Map([...svg.matchAll(/<symbol overflow="visible" id="([^"]+)">\s*(?:<path style="stroke:none;" d="([^"]*)"\/>)?/g)].map((m) => [m[1]!, m[2] ?? '']));
    const letters = [...svg.matchAll(/<use xlink:href="#([^"]+)"/g)].filter((m) => outlines.get(m[1]!) !== '');
    const colours = new Set([...svg.matchAll(/<g style="fill:(rgb\([^)]*\))/g)].map((m) => m[1]));
    const pdf = (await pdfWith((doc) => expect(drawChartSvg(doc, svg, { x: 20, y: 30, width: 360, height: 200 })).toBe(true))).toString('latin1');
    const forms = pdf.match(/\/Subtype \/Form/g)?.length ?? 0;
    expect(pdf.match(/\/Outline\d+ Do/g)?.length).toBe(letters.length);
    expect(forms).toBeLessThanOrEqual(new Set(letters.map((m) => outlines.get(m[1]!))).size * colours.size);
    expect(forms).toBeGreaterThanOrEqual(new Set(letters.map((m) => outlines.get(m[1]!))).size);
  });
});

// Validation of the richer content model (tables, text boxes, image figures,
// chart options, cross-references, footnotes): the synthetic brief that uses every
// element is valid, and each mistake a writer can make is a located error.
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../pipeline/core/diagnostics.ts';
import { PNG } from 'pngjs';
import { build, copyBrief, everyElementDir, validateDir } from './helpers.ts';

/** Diagnostics of a copy of the synthetic brief after `edit` (and `extra`, which may change its files). */
function check(edit?: (yaml: string) => string, extra?: (dir: string) => void): { errors: Diagnostic[]; warnings: Diagnostic[]; lineOf: (needle: string) => number } {
  const { dir } = copyBrief(everyElementDir, edit);
  extra?.(dir);
  const diagnostics = validateDir(dir).diagnostics;
  const lines = fs.readFileSync(path.join(dir, 'brief.yaml'), 'utf8').split('\n');
  return {
    errors: diagnostics.filter((d) => d.severity === 'error'),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
    lineOf: (needle) => lines.findIndex((l) => l.includes(needle)) + 1,
  };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** The start of a PNG file that claims `width` × `height` pixels: enough to be refused before any decoding. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.set([8, 2, 0, 0, 0], 16);
  return Buffer.concat([PNG_SIGNATURE, ihdr]);
}

/** CRC-32 (ISO 3309, as PNG uses) of `bytes`: a test PNG must pass pngjs's chunk checks to reach the row check. */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A well-formed 8-bit PNG of `width` × `height` pixels (colour type 2, RGB, unless given) whose IDAT inflates to `raw`. */
function pngWithPixelData(width: number, height: number, raw: Buffer, colourType = 2, interlace = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, colourType, 0, 0, interlace], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', zlib.deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0))]);
}

describe('the synthetic brief with every element', () => {
  it('is valid, with no warnings, and its data is read', () => {
    const result = validateDir(everyElementDir);
    expect(result.diagnostics).toEqual([]);
    const valid = result.result!;
    expect(valid.tableData.get('grants-by-year')?.rows).toHaveLength(40);
    expect(valid.tableData.get('budget-by-account')?.columns.map((c) => c.align)).toEqual(['left', 'right', 'right', 'right', 'right', 'right']);
    expect(valid.images.get('award-map')).toMatchObject({ format: 'png', width: 640, height: 400 });
    expect(valid.images.get('grant-process')).toMatchObject({ format: 'svg', width: 520, height: 200 });
    expect(valid.figureData.get('trade-balance')?.series.map((s) => s.type ?? 'bar')).toEqual(['bar', 'bar', 'line']);
    expect(valid.brief.sections.map((s) => s.level)).toEqual([1, 1, 2, 2, 1]);
  });
});

describe('tables', () => {
  it('names a column that is not in the CSV, and lists the header', () => {
    const { errors, lineOf } = check((y) => y.replace('- { column: Grants awarded }', '- { column: Grants }'));
    expect(errors).toEqual([expect.objectContaining({ code: 'unknown-column', field: 'tables[1].columns[1].column', line: lineOf('column: Grants }') })]);
    expect(errors[0]!.hint).toContain('Grants awarded');
  });

  it('locates a footnote mark with no footnote at its cell in the CSV', () => {
    const { errors } = check(undefined, (dir) => {
      const file = path.join(dir, 'budget-by-account.csv');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('88.0,91.4', '88.0^c,91.4'));
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'undefined-footnote', file: expect.stringMatching(/budget-by-account\.csv$/), line: 4, column: 26 })]);
  });

  it('refuses a footnote mark in the notes with no footnote, and warns of a footnote nobody marks', () => {
    const { errors } = check((y) => y.replace('Totals may not add because of rounding.', 'Totals may not add because of rounding.^z'));
    expect(errors).toEqual([expect.objectContaining({ code: 'undefined-footnote', field: 'tables[0].notes' })]);
    const { errors: none, warnings } = check((y) => y.replace('- { mark: b, text: Restated after a transfer between accounts. }', '- { mark: b, text: Restated. }\n      - { mark: c, text: Never marked. }'));
    expect(none).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ code: 'unused-footnote', field: 'tables[0].footnotes[2].mark' })]);
  });

  it('refuses text in a column that has a number format, at its cell', () => {
    const { errors } = check(
      (y) => y.replace('- { column: Amount ($ millions) }', '- { column: Amount ($ millions), numberFormat: { decimals: 1 } }'),
      (dir) => {
        const file = path.join(dir, 'grants-by-year.csv');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('1987,137,17.8', '1987,137,n/a'));
      },
    );
    expect(errors).toEqual([expect.objectContaining({ code: 'csv-not-a-number', line: 3, column: 10 })]);
  });

  it('refuses a table placed twice, one never placed, and a placement of a table that does not exist', () => {
    expect(check((y) => y.replace('      - table: grants-by-year\n', '      - table: grants-by-year\n      - table: grants-by-year\n')).errors.map((d) => d.code)).toEqual(['table-placed-twice']);
    expect(check((y) => y.replace('      - table: grants-by-year\n', '')).errors.map((d) => d.code)).toEqual(['table-not-placed']);
    const { errors } = check((y) => y.replace('      - table: grants-by-year\n', '      - table: grants-by-yea\n'));
    expect(errors.map((d) => d.code).sort()).toEqual(['table-not-placed', 'undefined-table']);
    expect(errors.find((d) => d.code === 'undefined-table')?.hint).toBe('did you mean "grants-by-year"?');
  });
});

describe('the simple fields of the new blocks', () => {
  it('names each wrong value at its field: align, width, totalRow, stacked, sourceLabel, level', () => {
    const cases: Array<[string, string, string, string]> = [
      ['      - { column: Account, align: left }', '      - { column: Account, align: middle }', 'tables[0].columns[0].align', 'not-allowed-value'],
      ['    width: page\n', '    width: half\n', 'tables[0].width', 'not-allowed-value'],
      ['    totalRow: true\n', '    totalRow: "yes"\n', 'tables[0].totalRow', 'wrong-type'],
      ['      stacked: true\n', '      stacked: 1\n', 'figures[0].chart.stacked', 'wrong-type'],
      ['          sourceLabel: Sources\n', '          sourceLabel: ""\n', 'sections[0].blocks[3].textbox.sourceLabel', 'invalid-value'],
      ['    level: 2\n', '    level: 3\n', 'sections[2].level', 'invalid-value'],
    ];
    for (const [from, to, field, code] of cases) {
      const { errors, lineOf } = check((y) => y.replace(from, to));
      expect(errors, field).toEqual([expect.objectContaining({ code, field })]);
      expect(errors[0]!.line, field).toBe(lineOf(to.trim()));
    }
  });
});

describe('cross-references and links', () => {
  it('refuses a cross-reference to nothing, with a suggestion', () => {
    const { errors } = check((y) => y.replace('[](#awards-by-region)', '[](#awards-by-regin)'));
    expect(errors).toEqual([expect.objectContaining({ code: 'undefined-reference', field: 'sections[2].blocks[0].paragraph', hint: 'did you mean "awards-by-region"?' })]);
  });

  it('checks links inside a text box and in a source line', () => {
    const { errors } = check((y) => y.replace('Synthetic description for testing.', 'See [this](javascript:alert(1)).'));
    expect(errors).toEqual([expect.objectContaining({ code: 'link-scheme', field: 'sections[0].blocks[3].textbox.source' })]);
  });
});

describe('image figures', () => {
  it('refuses a file whose bytes are not what its name says', () => {
    const notAnImage = check(undefined, (dir) => fs.writeFileSync(path.join(dir, 'award-map.png'), 'just text'));
    expect(notAnImage.errors).toEqual([expect.objectContaining({ code: 'image-mismatch', field: 'figures[3].image' })]);
    const pngAsJpeg = check((y) => y.replace('image: award-map.png', 'image: award-map.jpg'), (dir) => fs.renameSync(path.join(dir, 'award-map.png'), path.join(dir, 'award-map.jpg')));
    expect(pngAsJpeg.errors).toEqual([expect.objectContaining({ code: 'image-mismatch' })]);
    expect(pngAsJpeg.errors[0]!.message).toMatch(/named as a JPEG file, but its content is a PNG/);
  });

  it('refuses an image over 40 megapixels before decoding it (a decompression bomb)', () => {
    const { errors } = check(undefined, (dir) => fs.writeFileSync(path.join(dir, 'award-map.png'), pngHeader(10_000, 5_000)));
    expect(errors).toEqual([expect.objectContaining({ code: 'image-too-large', field: 'figures[3].image' })]);
  });

  it('refuses an SVG with script, an event handler or a reference to an outside file', () => {
    const svgWith = (markup: string) =>
      check(undefined, (dir) => {
        const file = path.join(dir, 'grant-process.svg');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('</svg>', `${markup}</svg>`));
      }).errors;
    expect(svgWith('<script>alert(1)</script>')).toEqual([expect.objectContaining({ code: 'image-unsafe', field: 'figures[2].image' })]);
    expect(svgWith('<rect onclick="alert(1)" width="1" height="1"/>').map((d) => d.code)).toEqual(['image-unsafe']);
    expect(svgWith('<image href="file:///etc/passwd" width="1" height="1"/>').map((d) => d.code)).toEqual(['image-unsafe']);
    expect(svgWith('<image xlink:href="https://example.org/x.png" width="1" height="1"/>').map((d) => d.code)).toEqual(['image-unsafe']);
    expect(svgWith('<rect style="fill: url(https://example.org/p.svg#g)" width="1" height="1"/>').map((d) => d.code)).toEqual(['image-unsafe']);
  });

  it('refuses a PNG whose pixel data ends early, even when the decoder fills the rest with blank rows', () => {
    const pngFile = (png: Buffer) => check(undefined, (dir) => fs.writeFileSync(path.join(dir, 'award-map.png'), png)).errors;
    // An empty zlib stream: no rows at all. 1000 pixels of RGB is 3000 bytes a row, plus its filter byte.
    const empty = pngFile(pngWithPixelData(1000, 1000, Buffer.alloc(0)));
    expect(empty).toEqual([expect.objectContaining({ code: 'image-damaged', field: 'figures[3].image' })]);
    expect(empty[0]!.message).toContain('"award-map.png" is damaged: its pixel data ends after 0 of 1000 rows');
    // 1 KB of zeros for 6000 × 6000: not one row (18 001 bytes) is whole.
    expect(pngFile(pngWithPixelData(6000, 6000, Buffer.alloc(1024)))[0]!.message).toMatch(/ends after 0 of 6000 rows/);
    // Ten whole rows of zeros (filter 0, black) of 400: the rest is missing.
    expect(pngFile(pngWithPixelData(600, 400, Buffer.alloc(10 * 1801)))[0]!.message).toMatch(/ends after 10 of 400 rows/);
    // Interlaced (Adam7), with nothing: still refused, with the rows of all seven passes counted.
    expect(pngFile(pngWithPixelData(16, 16, Buffer.alloc(0), 2, 1)).map((d) => d.code)).toEqual(['image-damaged']);
    // Every row present (RGBA, non-interlaced; and interlaced, whose 7 passes of a 16 × 16 image are 2 × 2, 2 × 2, 4 × 2, 4 × 4, 8 × 4, 8 × 8 and 16 × 8): accepted.
    expect(pngFile(pngWithPixelData(640, 400, Buffer.alloc(400 * (1 + 640 * 4)), 6))).toEqual([]);
    const adam7Bytes = [[2, 2], [2, 2], [4, 2], [4, 4], [8, 4], [8, 8], [16, 8]].reduce((sum, [w, h]) => sum + h! * (1 + w! * 3), 0);
    expect(pngFile(pngWithPixelData(16, 16, Buffer.alloc(adam7Bytes), 2, 1))).toEqual([]);
  });

  it('refuses an outside reference hidden by CSS escapes, and an animation that sets an href', () => {
    const svgWith = (markup: string) =>
      check(undefined, (dir) => {
        const file = path.join(dir, 'grant-process.svg');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('</svg>', `${markup}</svg>`));
      }).errors;
    const refused = (markup: string, message: RegExp) => {
      const errors = svgWith(markup);
      expect(errors, markup).toEqual([expect.objectContaining({ code: 'image-unsafe', field: 'figures[2].image', line: expect.any(Number) })]);
      expect(errors[0]!.message, markup).toMatch(message);
    };
    // A CSS parser reads u\72l( as url( and @im\port as @import.
    refused('<style>rect{fill:u\\72l(http://evil/x)}</style>', /"grant-process\.svg" refers to an outside file or address \("http:\/\/evil\/x"\)/);
    refused('<style>rect{fill:url\\28http://evil/x)}</style>', /refers to an outside file or address \("http:\/\/evil\/x"\)/);
    refused("<style>@im\\port 'http://evil/x.css';</style>", /imports a style sheet/);
    refused('<rect style="fill:\\75 rl(http://evil/x)" width="1" height="1"/>', /refers to an outside file/);
    refused('<rect fill="u&#x72;l(http://evil/x)" width="1" height="1"/>', /refers to an outside file/);
    refused('<image width="10" height="10"><set attributeName="href" to="http://evil/x.png"/></image>', /animates a link \(<set attributeName="href">\)/);
    refused('<image width="10" height="10"><animate attributeName="xlink:href" values="#a;http://evil/x.png" dur="1s"/></image>', /animates a link/);
    // Neither a prefix nor an escape hides a script or a foreignObject.
    refused('<h:script xmlns:h="http://www.w3.org/2000/svg">alert(1)</h:script>', /contains a script/);
    refused('<h:foreignObject xmlns:h="http://www.w3.org/2000/svg"/>', /contains a foreignObject/);
    // Animating a colour, and a link within the file, stay allowed.
    expect(svgWith('<rect width="1" height="1"><animate attributeName="fill" values="red;url(#g)" dur="1s"/></rect>')).toEqual([]);
  });

  it('names the fault of an SVG with declared entities, or with a prefixed root, rather than calling it no image', () => {
    const svgFile = (text: string) => check(undefined, (dir) => fs.writeFileSync(path.join(dir, 'grant-process.svg'), text)).errors;
    const entities = svgFile('<?xml version="1.0"?>\n<!DOCTYPE svg [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;"> ]>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&b;</text></svg>');
    expect(entities).toEqual([expect.objectContaining({ code: 'image-unsafe', field: 'figures[2].image' })]);
    expect(entities[0]!.message).toMatch(/"grant-process\.svg" declares XML entities/);
    const prefixed = svgFile('<s:svg xmlns:s="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><s:rect width="1" height="1"/></s:svg>');
    expect(prefixed).toEqual([expect.objectContaining({ code: 'image-mismatch', field: 'figures[2].image' })]);
    expect(prefixed[0]!.message).toMatch(/root element is <s:svg>/);
  });

  it('refuses a damaged image before the PDF or the deck tries to draw it', () => {
    const truncated = (name: string, keep: number) => (dir: string) => fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(dir, name)).subarray(0, keep));
    expect(check(undefined, truncated('award-map.png', 140)).errors).toEqual([expect.objectContaining({ code: 'image-damaged', field: 'figures[3].image' })]);
    expect(check(undefined, truncated('grant-process.svg', 140)).errors).toEqual([expect.objectContaining({ code: 'image-unsafe', field: 'figures[2].image' })]);
    expect(check(undefined, truncated('grant-process.svg', 140)).errors[0]!.message).toMatch(/not well-formed XML/);
  });

  it('requires alt text, and exactly one of chart or image', () => {
    expect(check((y) => y.replace(/ {4}alt: >-\n {6}Diagram of three boxes.*\n.*\n.*\n/, '')).errors).toEqual([expect.objectContaining({ code: 'missing-field', field: 'figures[2].alt' })]);
    const both = check((y) => y.replace('    image: grant-process.svg', '    image: grant-process.svg\n    chart: { type: bar, data: trade-balance.csv, categoryColumn: year, series: [{ column: exports, label: Exports }] }'));
    expect(both.errors).toEqual([expect.objectContaining({ code: 'invalid-value', field: 'figures[2]' })]);
  });
});

describe('charts, sub-headings and text boxes', () => {
  it('refuses an annotated category that is not in the data', () => {
    const { errors } = check((y) => y.replace('{ from: "2020", to: "2020", label: Recession }', '{ from: "2020", to: "2030", label: Recession }'));
    expect(errors).toEqual([expect.objectContaining({ code: 'unknown-category', field: 'figures[1].chart.annotations[1].to' })]);
  });

  it('refuses an annotation that is neither a line nor a range, and a line series outside a bar chart', () => {
    expect(check((y) => y.replace('{ value: -100, label: −$100 billion }', '{ value: -100, from: "2006", to: "2007", label: x }')).errors.map((d) => d.code)).toEqual(['invalid-value']);
    const { errors } = check((y) => y.replace('      type: bar\n      data: trade-balance.csv', '      type: line\n      data: trade-balance.csv'));
    expect(errors).toEqual([expect.objectContaining({ code: 'invalid-value', field: 'figures[1].chart.series[2].type' })]);
  });

  it('refuses a sub-heading level without a heading, and a text box without a title', () => {
    expect(check((y) => y.replace('sections:\n  - blocks:', 'sections:\n  - level: 2\n    blocks:')).errors).toEqual([expect.objectContaining({ code: 'invalid-value', field: 'sections[0].level' })]);
    expect(check((y) => y.replace('          title: How the Program Works\n', '')).errors).toEqual([expect.objectContaining({ code: 'missing-field', field: 'sections[0].blocks[3].textbox.title' })]);
  });
});

describe('problems only the layout can see', () => {
  it('refuses, at its notes, a figure whose lines under it cannot stay in one column', async () => {
    const notes = 'The balance is exports minus imports. '.repeat(104).trim();
    const { dir } = copyBrief(everyElementDir, (y) => y.replace('    notes: The balance is exports minus imports.', `    notes: "${notes}"`));
    const result = await build(dir, ['pdf']);
    expect(result.ok).toBe(false);
    const error = result.diagnostics.find((d) => d.severity === 'error');
    expect(error).toMatchObject({ code: 'exhibit-too-tall', field: 'figures[1].notes' });
    expect(error!.line).toBeGreaterThan(0);
  });
});

describe('warnings from the layout', () => {
  it('warns, at the figure’s image field, when a raster image prints below 150 dpi', async () => {
    const small = new PNG({ width: 200, height: 125 });
    small.data.fill(200);
    const { dir } = copyBrief(everyElementDir);
    fs.writeFileSync(path.join(dir, 'award-map.png'), PNG.sync.write(small));
    const result = await build(dir, ['pdf']);
    expect(result.ok).toBe(true);
    const warning = result.diagnostics.find((d) => d.code === 'image-low-resolution');
    expect(warning).toMatchObject({ severity: 'warning', field: 'figures[3].image', line: expect.any(Number) });
    expect(warning!.line).toBeGreaterThan(0);
    expect(warning!.message).toMatch(/prints at \d+ dpi, below the 150 dpi/);
    // The fixture's own image (640 pixels across a column) prints above 150 dpi: no warning.
    expect((await build(everyElementDir, ['pdf'])).diagnostics).toEqual([]);
  });
});

/** The bytes of a JPEG's markers, enough for the checks that read them: EXIF orientation, a frame of `width` × `height`, a scan and its end. */
function jpegWithOrientation(orientation: number, width = 400, height = 200): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('II*\0', 0, 'latin1');
  tiff.writeUInt32LE(8, 4); // the first image directory follows the header
  tiff.writeUInt16LE(1, 8); // one entry
  tiff.writeUInt16LE(0x0112, 10); // Orientation
  tiff.writeUInt16LE(3, 12); // SHORT
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt16LE(orientation, 18);
  const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  const frame = Buffer.from([8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), segment(0xe1, app1Body), segment(0xc0, frame), segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])), Buffer.from([0x00, 0xff, 0xd9])]);
}

describe('what a review found', () => {
  it('refuses a JPEG stored turned (EXIF orientation), which a PDF viewer would turn and a deck would not', () => {
    const turned = check((y) => y.replace('image: award-map.png', 'image: award-map.jpg'), (dir) => fs.writeFileSync(path.join(dir, 'award-map.jpg'), jpegWithOrientation(6)));
    expect(turned.errors).toEqual([expect.objectContaining({ code: 'image-rotated', field: 'figures[3].image' })]);
    const upright = check((y) => y.replace('image: award-map.png', 'image: award-map.jpg'), (dir) => fs.writeFileSync(path.join(dir, 'award-map.jpg'), jpegWithOrientation(1)));
    expect(upright.errors.map((d) => d.code)).not.toContain('image-rotated');
  });

  it('refuses SVG text that no bundled font can print', () => {
    const { errors } = check(undefined, (dir) => {
      const file = path.join(dir, 'grant-process.svg');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Nonprofit</text>', 'Nonprofit 🗾</text>'));
    });
    expect(errors).toEqual([expect.objectContaining({ code: 'no-glyph', field: 'figures[2].image' })]);
    // Japanese is in the bundled fallback fonts: allowed.
    expect(check(undefined, (dir) => {
      const file = path.join(dir, 'grant-process.svg');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Nonprofit</text>', '非営利団体</text>'));
    }).errors).toEqual([]);
  });

  it('refuses a table of more than 12 columns unless columns says which to print', () => {
    const wide = (dir: string) => fs.writeFileSync(path.join(dir, 'wide.csv'), `${Array.from({ length: 14 }, (_, i) => `C${i}`).join(',')}\n${Array.from({ length: 14 }, (_, i) => i).join(',')}\n`);
    const place = (y: string) => y.replace('  - id: grants-by-year', '  - id: wide\n    title: Wide\n    data: wide.csv\n  - id: grants-by-year').replace('      - table: grants-by-year\n', '      - table: grants-by-year\n      - table: wide\n');
    expect(check(place, wide).errors).toEqual([expect.objectContaining({ code: 'too-many-columns', field: 'tables[1].data' })]);
    expect(check((y) => place(y).replace('    data: wide.csv\n', '    data: wide.csv\n    columns: [{ column: C0 }, { column: C13 }]\n'), wide).errors).toEqual([]);
  });

  it('checks footnote marks in the column labels too', () => {
    const { errors } = check((y) => y.replace('- { column: Grants awarded }', '- { column: Grants awarded, label: "Grants awarded^q" }'));
    expect(errors).toEqual([expect.objectContaining({ code: 'undefined-footnote', field: 'tables[1].columns[1].label' })]);
  });

  it('refuses a link or cross-reference in a heading or title, where it would print as typed', () => {
    expect(check((y) => y.replace('  - heading: Awards over Time', '  - heading: Awards over Time, see [](#grants-by-year)')).errors).toEqual([
      expect.objectContaining({ code: 'markup-not-allowed', field: 'sections[1].heading' }),
    ]);
  });

  it('refuses a sub-heading before any heading', () => {
    expect(check((y) => y.replace('sections:\n  - blocks:', 'sections:\n  - heading: First\n    level: 2\n    blocks:')).errors).toEqual([expect.objectContaining({ code: 'subheading-first', field: 'sections[0].level' })]);
  });

  it('refuses a shaded range given back to front, and a pie of zeros', () => {
    expect(check((y) => y.replace('{ from: "2008", to: "2009", label: Recession }', '{ from: "2009", to: "2008", label: Recession }')).errors).toEqual([
      expect.objectContaining({ code: 'invalid-value', field: 'figures[1].chart.annotations[0].from' }),
    ]);
    const pie = (y: string) => y.replace('      type: bar\n      stacked: true\n      data: awards-by-region.csv', '      type: pie\n      data: zeros.csv').replace(/ {8}- \{ column: South, label: South \}\n {8}- \{ column: Midwest, label: Midwest \}\n {8}- \{ column: West, label: West \}\n/, '');
    expect(check(pie, (dir) => fs.writeFileSync(path.join(dir, 'zeros.csv'), 'year,Northeast\n2018,0\n2019,0\n')).errors.map((d) => d.code)).toContain('empty-chart');
  });

  it('says a number is too large, not that it is no number', () => {
    const { errors } = check(undefined, (dir) => {
      const file = path.join(dir, 'trade-balance.csv');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('142.2', '9.99e15'));
    });
    expect(errors[0]!.message).toMatch(/larger than 1e\+15/);
  });
});

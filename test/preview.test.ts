// The preview command (pipeline/run/preview.ts), on tiny inputs made here with pdfkit
// and pptxgenjs, so it does not depend on the rest of the pipeline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import pptxgenModule from 'pptxgenjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { contactSheet, DECK_SHEET, findTool, main, PDF_SHEET, type SheetOptions } from '../pipeline/run/preview.ts';

const PptxGenJS = pptxgenModule as unknown as typeof pptxgenModule.default;

const hasPdftoppm = findTool('pdftoppm') !== undefined;
const hasSoffice = findTool('soffice') !== undefined;
if (!hasPdftoppm) console.warn('skipped: preview rendering tests need pdftoppm (Debian poppler-utils)');
if (!hasSoffice) console.warn('skipped: preview deck test needs soffice (Debian libreoffice-impress)');

const DPI = 50;
let root = '';

/** A fresh folder under the test's temp root. */
function folder(name: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a US Letter PDF with one line of large text on each page. */
async function writePdf(file: string, pages: number): Promise<void> {
  const doc = new PDFDocument({ size: 'LETTER', autoFirstPage: false });
  const done = new Promise<void>((resolve, reject) => {
    const stream = fs.createWriteStream(file);
    stream.on('finish', resolve);
    stream.on('error', reject);
    doc.pipe(stream);
  });
  for (let n = 1; n <= pages; n++) {
    doc.addPage();
    doc.fontSize(48).fillColor('black').text(`Page ${n}`, 72, 72);
    doc.rect(72, 200, 300, 200).fill('black');
  }
  doc.end();
  await done;
}

/** Writes a 16:9 deck with a title and a dark block on each slide. */
async function writePptx(file: string, slides: number): Promise<void> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_16x9';
  for (let n = 1; n <= slides; n++) {
    const slide = pptx.addSlide();
    slide.addText(`Slide ${n}`, { x: 0.5, y: 0.5, w: 9, h: 1, fontSize: 40, color: '000000' });
    slide.addShape('rect', { x: 0.5, y: 2, w: 4, h: 2, fill: { color: '000000' } });
  }
  const data = await pptx.write({ outputType: 'nodebuffer' });
  fs.writeFileSync(file, data as Buffer);
}

function readPng(file: string): PNG {
  return PNG.sync.read(fs.readFileSync(file));
}

/** Pixels darker than mid grey. */
function darkPixels(png: PNG): number {
  let dark = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const luminance = 0.299 * png.data[i]! + 0.587 * png.data[i + 1]! + 0.114 * png.data[i + 2]!;
    if (luminance < 128) dark++;
  }
  return dark;
}

function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

/** A solid or patterned test image as a PNG buffer. */
function image(width: number, height: number, color: (x: number, y: number) => number): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const v = color(x, y);
      png.data[i] = v;
      png.data[i + 1] = v;
      png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** The sheet size the grid arithmetic gives for pages all `pageWidth` wide once scaled. */
function expectedSheet(pages: number, pageWidth: number, o: SheetOptions): { width: number; height: number } {
  const cols = Math.min(o.columns, pages);
  const rows = Math.ceil(pages / cols);
  return {
    width: cols * (pageWidth + 2 * o.border) + (cols + 1) * o.gap,
    height: rows * (o.height + 2 * o.border) + (rows + 1) * o.gap,
  };
}

/** Runs main with stdout and stderr captured (and kept off the test output). */
async function run(argv: string[], env?: { PATH: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const savedPath = process.env['PATH'];
  if (env) process.env['PATH'] = env.PATH;
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    process.env['PATH'] = savedPath;
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'briefpress-preview-test-'));
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('findTool', () => {
  it('finds an executable on PATH and ignores files that are not executable', () => {
    const bin = folder('bin-find');
    fs.writeFileSync(path.join(bin, 'runme'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'plain'), 'not a program', { mode: 0o644 });
    const saved = process.env['PATH'];
    process.env['PATH'] = [folder('bin-empty'), bin].join(path.delimiter);
    try {
      expect(findTool('runme')).toBe(path.join(bin, 'runme'));
      expect(findTool('plain')).toBeUndefined();
      expect(findTool('pdftoppm')).toBeUndefined();
    } finally {
      process.env['PATH'] = saved;
    }
  });
});

describe('contactSheet', () => {
  const options: SheetOptions = { height: 50, columns: 4, gap: 16, border: 1 };

  it('puts up to four pages in one row', () => {
    const pages = [1, 2, 3].map(() => image(100, 200, () => 255));
    const sheet = PNG.sync.read(contactSheet(pages, options));
    // 100×200 scaled to height 50 is 25 wide.
    expect({ width: sheet.width, height: sheet.height }).toEqual(expectedSheet(3, 25, options));
    expect({ width: sheet.width, height: sheet.height }).toEqual({ width: 3 * 27 + 4 * 16, height: 52 + 2 * 16 });
  });

  it('wraps more than four pages into rows of four', () => {
    const pages = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(() => image(160, 90, () => 255));
    const sheet = PNG.sync.read(contactSheet(pages, options));
    // 160×90 scaled to height 50 is 89 wide (88.9 rounded); 9 pages make 3 rows of up to 4.
    expect({ width: sheet.width, height: sheet.height }).toEqual({ width: 4 * 91 + 5 * 16, height: 3 * 52 + 4 * 16 });
  });

  it('draws white background, a grey frame and the page area-averaged', () => {
    // A black-and-white checkerboard halved by area averaging is mid grey everywhere.
    const checker = image(100, 100, (x, y) => ((x + y) % 2 === 0 ? 0 : 255));
    const black = image(100, 100, () => 0);
    const sheet = PNG.sync.read(contactSheet([checker, black], options));
    expect(pixel(sheet, 0, 0)).toEqual([255, 255, 255]); // margin
    const [frame] = pixel(sheet, 16, 16); // top-left corner of the first frame
    expect(frame).toBeGreaterThan(100);
    expect(frame).toBeLessThan(220);
    for (const [x, y] of [
      [17, 17],
      [30, 40],
      [66, 66],
    ] as const) {
      const [r] = pixel(sheet, x, y);
      expect(Math.abs(r - 127.5)).toBeLessThanOrEqual(1);
    }
    // Second page: frame starts at 16 + 52 + 16 = 84; inside it is black.
    expect(pixel(sheet, 84 + 1 + 25, 16 + 1 + 25)).toEqual([0, 0, 0]);
  });

  it('refuses an empty page list', () => {
    expect(() => contactSheet([], options)).toThrow(/no pages/);
  });
});

describe('preview command', () => {
  let outDir = '';
  beforeAll(async () => {
    outDir = folder('out');
    await writePdf(path.join(outDir, 'DOC1.pdf'), 2);
  });

  it('prints usage for --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('npm run preview -- [ID ...] [--out DIR] [--dpi N] [--help]');
  });

  it('exits 2 for an ID with neither a PDF nor a deck', async () => {
    const { code, stderr } = await run(['NOPE1', '--out', outDir]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^preview: no .*NOPE1\.pdf or .*NOPE1\.pptx/);
  });

  it('exits 2 for something that is not an ID, and for a bad --dpi', async () => {
    expect((await run(['../etc', '--out', outDir])).code).toBe(2);
    expect((await run(['DOC1', '--out', outDir, '--dpi', 'high'])).code).toBe(2);
    expect((await run(['DOC1', '--out', outDir, '--bogus'])).code).toBe(2);
  });

  it('exits 1 naming the Debian package when pdftoppm is missing', async () => {
    const { code, stderr } = await run(['DOC1', '--out', outDir], { PATH: folder('empty-path') });
    expect(code).toBe(1);
    expect(stderr).toBe('preview: pdftoppm not found; install the Debian package poppler-utils (apt-get install poppler-utils)\n');
  });

  it.skipIf(!hasPdftoppm)('renders every PDF page and a contact sheet, clearing stale pages', async () => {
    const previewDir = path.join(outDir, 'preview', 'DOC1');
    fs.mkdirSync(previewDir, { recursive: true });
    fs.writeFileSync(path.join(previewDir, 'pdf-page-09.png'), 'stale');

    const { code, stdout, stderr } = await run(['DOC1', '--out', outDir, '--dpi', String(DPI)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(`DOC1 pdf: 2 pages → ${previewDir}${path.sep} (sheet: ${path.join(previewDir, 'pdf-sheet.png')})\n`);
    expect(fs.readdirSync(previewDir).sort()).toEqual(['pdf-page-01.png', 'pdf-page-02.png', 'pdf-sheet.png']);

    for (const name of ['pdf-page-01.png', 'pdf-page-02.png']) {
      const page = readPng(path.join(previewDir, name));
      // US Letter, 8.5 × 11 in, at 50 dpi.
      expect({ width: page.width, height: page.height }).toEqual({ width: 425, height: 550 });
      expect(darkPixels(page)).toBeGreaterThan(1000);
    }
    const sheet = readPng(path.join(previewDir, 'pdf-sheet.png'));
    // 425×550 scaled to height 400 is 309 wide; two pages in one row.
    expect({ width: sheet.width, height: sheet.height }).toEqual(expectedSheet(2, 309, PDF_SHEET));
    expect(darkPixels(sheet)).toBeGreaterThan(1000);
  });

  it.skipIf(!hasPdftoppm)('renders the PDF and exits 1 naming the Debian package when only soffice is missing', async () => {
    const dir = folder('out-no-soffice');
    await writePdf(path.join(dir, 'BOTH1.pdf'), 2);
    await writePptx(path.join(dir, 'BOTH1.pptx'), 2);
    const bin = folder('bin-pdftoppm-only');
    fs.symlinkSync(findTool('pdftoppm')!, path.join(bin, 'pdftoppm'));

    const { code, stdout, stderr } = await run(['--out', dir, '--dpi', String(DPI)], { PATH: bin });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^BOTH1 pdf: 2 pages → /);
    expect(stderr).toContain('preview: soffice not found; install the Debian package libreoffice-impress (apt-get install libreoffice-impress)\n');
    expect(fs.readdirSync(path.join(dir, 'preview', 'BOTH1')).sort()).toEqual(['pdf-page-01.png', 'pdf-page-02.png', 'pdf-sheet.png']);
  });

  it.skipIf(!hasPdftoppm || !hasSoffice)('renders every slide of the deck through LibreOffice, and a contact sheet', async () => {
    const dir = folder('out-deck');
    await writePptx(path.join(dir, 'DECK1.pptx'), 2);

    const { code, stdout, stderr } = await run(['--out', dir, '--dpi', String(DPI)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const previewDir = path.join(dir, 'preview', 'DECK1');
    expect(stdout).toBe(`DECK1 pptx: 2 slides → ${previewDir}${path.sep} (sheet: ${path.join(previewDir, 'deck-sheet.png')})\n`);
    expect(fs.readdirSync(previewDir).sort()).toEqual(['deck-sheet.png', 'slide-01.png', 'slide-02.png']);

    const slides = ['slide-01.png', 'slide-02.png'].map((name) => readPng(path.join(previewDir, name)));
    for (const slide of slides) {
      // 10 × 5.625 in at 50 dpi; LibreOffice may round the height either way.
      expect(slide.width).toBe(500);
      expect(Math.abs(slide.height - 281.25)).toBeLessThan(1);
      expect(darkPixels(slide)).toBeGreaterThan(1000);
    }
    const first = slides[0]!;
    const sheet = readPng(path.join(previewDir, 'deck-sheet.png'));
    const scaledWidth = Math.round((first.width * DECK_SHEET.height) / first.height);
    expect({ width: sheet.width, height: sheet.height }).toEqual(expectedSheet(2, scaledWidth, DECK_SHEET));
  });
});

// `npm run preview`: renders what the build made so a person can look at it.
// Every PDF page and every slide of the deck becomes a PNG under OUT/preview/<ID>/,
// plus one contact sheet per artifact (pages side by side, scaled down).
//
// Self-contained on purpose: node built-ins and pngjs only, nothing from the rest of
// pipeline/. The rendering is done by external tools: pdftoppm (Debian poppler-utils)
// for PDF pages, and LibreOffice (Debian libreoffice-impress) to turn the deck into a
// PDF first.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { ID_PATTERN, ID_RULE } from '../core/text.ts';
import { isEntryPoint } from './entry.ts';

export const USAGE = 'npm run preview -- [ID ...] [--out DIR] [--dpi N] [--help]';

const DEFAULT_DPI = 100;
const MIN_DPI = 10;
const MAX_DPI = 600;

const HELP = `Usage: ${USAGE}

Renders the built artifacts so you can look at them:
  OUT/preview/<ID>/pdf-page-<N>.png   every page of OUT/<ID>.pdf
  OUT/preview/<ID>/slide-<N>.png      every slide of OUT/<ID>.pptx
  OUT/preview/<ID>/pdf-sheet.png      the PDF's pages side by side
  OUT/preview/<ID>/deck-sheet.png     the deck's slides side by side
The ID's preview folder is cleared first, so no stale page remains.

  ID         which briefs (default: every <ID>.pdf / <ID>.pptx in OUT)
  --out DIR  where the artifacts are (default: out)
  --dpi N    resolution of the page images, ${MIN_DPI}-${MAX_DPI} (default: ${DEFAULT_DPI})
  --help     this text

Needs pdftoppm (Debian package poppler-utils) and, for decks, soffice
(Debian package libreoffice-impress).
`;

/** LibreOffice gets this long to convert one deck. */
const SOFFICE_TIMEOUT_MS = 120_000;
/** Room for whatever a tool prints; the images themselves go to files. */
const MAX_BUFFER = 64 * 1024 * 1024;

/** Which Debian package provides each tool, for the "not found" message. */
const DEBIAN_PACKAGE = { pdftoppm: 'poppler-utils', soffice: 'libreoffice-impress' } as const;
type Tool = keyof typeof DEBIAN_PACKAGE;

export interface SheetOptions {
  /** Height every page is scaled to, in pixels (the border comes on top). */
  height: number;
  /** Pages per row; fewer pages than this make a single, shorter row. */
  columns: number;
  /** Space between pages and around the edge, in pixels. */
  gap: number;
  /** Width of the grey frame drawn around each page, in pixels. */
  border: number;
}

/** Contact sheet of the PDF's pages: one row of up to 4, then more rows of 4. */
export const PDF_SHEET: SheetOptions = { height: 400, columns: 4, gap: 16, border: 1 };
/** Contact sheet of the deck's slides: rows of 4. */
export const DECK_SHEET: SheetOptions = { height: 270, columns: 4, gap: 16, border: 1 };

const BACKGROUND = 255;
const BORDER_GREY = 160;

/**
 * The absolute path of an executable `name` found on process.env.PATH, or undefined.
 * A name containing a slash is checked as a path itself.
 */
export function findTool(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [path.resolve(name)]
    : (process.env['PATH'] ?? '')
        .split(path.delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => path.resolve(dir, name));
  for (const file of candidates) {
    try {
      if (!fs.statSync(file).isFile()) continue;
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not there or not executable: try the next directory
    }
  }
  return undefined;
}

/** For each destination index, the source indices it covers and how much of each (box filter). */
function boxWeights(srcSize: number, dstSize: number): { first: number; weights: number[] }[] {
  const scale = srcSize / dstSize;
  const result: { first: number; weights: number[] }[] = [];
  for (let d = 0; d < dstSize; d++) {
    const start = d * scale;
    const end = Math.min(srcSize, (d + 1) * scale);
    const first = Math.floor(start);
    const weights: number[] = [];
    let total = 0;
    for (let s = first; s < end; s++) {
      const w = Math.min(end, s + 1) - Math.max(start, s);
      if (w <= 0) continue;
      weights.push(w);
      total += w;
    }
    result.push({ first, weights: weights.map((w) => w / total) });
  }
  return result;
}

/**
 * Resamples RGB pixels (3 floats each) by area averaging: every destination pixel is
 * the mean of the source area it covers. Separable: the rows, then (transposed) the columns.
 */
function resample(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const rows = resampleRows(src, sw, sh, dw);
  return transpose(resampleRows(transpose(rows, dw, sh), sh, dw, dh), dh, dw);
}

/** Each of `height` rows of `width` RGB pixels resampled to `dw` pixels. */
function resampleRows(src: Float32Array, width: number, height: number, dw: number): Float32Array {
  const xs = boxWeights(width, dw);
  const out = new Float32Array(dw * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < dw; x++) {
      const { first, weights } = xs[x]!;
      const o = (y * dw + x) * 3;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += src[(y * width + first + k) * 3 + c]! * weights[k]!;
        out[o + c] = sum;
      }
    }
  }
  return out;
}

/** RGB pixels of a `width` × `height` image, rows made columns. */
function transpose(src: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) out[(x * height + y) * 3 + c] = src[(y * width + x) * 3 + c]!;
  }
  return out;
}

/** The image's pixels as RGB floats, composited over white where not opaque. */
function toRgb(png: PNG): Float32Array {
  const rgb = new Float32Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) {
    const a = png.data[p * 4 + 3]! / 255;
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = png.data[p * 4 + c]! * a + BACKGROUND * (1 - a);
  }
  return rgb;
}

/**
 * Lays out PNG page images in a grid on a white sheet and returns the sheet as a PNG.
 * Every page is scaled (area average) to `height` keeping its aspect ratio and framed
 * by a grey border; cells are as wide as the widest page (narrower ones are centered).
 * Sheet size: width = cols*(cellWidth + 2*border) + (cols+1)*gap,
 * height = rows*(height + 2*border) + (rows+1)*gap, cols = min(columns, pages).
 */
export function contactSheet(pngs: Buffer[], options: SheetOptions): Buffer {
  const { height, columns, gap, border } = options;
  if (pngs.length === 0) throw new Error('contactSheet: no pages');
  for (const [name, value, min] of [
    ['height', height, 1],
    ['columns', columns, 1],
    ['gap', gap, 0],
    ['border', border, 0],
  ] as const) {
    if (!Number.isInteger(value) || value < min) throw new Error(`contactSheet: ${name} must be a whole number ≥ ${min}, got ${value}`);
  }
  const pages = pngs.map((buffer) => {
    const png = PNG.sync.read(buffer);
    const width = Math.max(1, Math.round((png.width * height) / png.height));
    return { width, rgb: resample(toRgb(png), png.width, png.height, width, height) };
  });
  const cols = Math.min(columns, pages.length);
  const rows = Math.ceil(pages.length / cols);
  const cellWidth = Math.max(...pages.map((p) => p.width));
  const tileWidth = cellWidth + 2 * border;
  const tileHeight = height + 2 * border;
  const sheetWidth = cols * tileWidth + (cols + 1) * gap;
  const sheetHeight = rows * tileHeight + (rows + 1) * gap;

  const sheet = new PNG({ width: sheetWidth, height: sheetHeight });
  sheet.data.fill(BACKGROUND);
  const put = (x: number, y: number, r: number, g: number, b: number): void => {
    const i = (y * sheetWidth + x) * 4;
    sheet.data[i] = r;
    sheet.data[i + 1] = g;
    sheet.data[i + 2] = b;
    sheet.data[i + 3] = 255;
  };
  pages.forEach((page, index) => {
    const col = index % cols;
    const row = Math.floor(index / cols);
    // Top-left corner of the framed page, centered in its cell.
    const left = gap + col * (tileWidth + gap) + Math.floor((cellWidth - page.width) / 2);
    const top = gap + row * (tileHeight + gap);
    const framedWidth = page.width + 2 * border;
    for (let y = 0; y < tileHeight; y++) {
      for (let x = 0; x < framedWidth; x++) {
        const inside = x >= border && x < border + page.width && y >= border && y < border + height;
        if (!inside) {
          put(left + x, top + y, BORDER_GREY, BORDER_GREY, BORDER_GREY);
          continue;
        }
        const s = ((y - border) * page.width + (x - border)) * 3;
        const channel = (c: number): number => Math.min(255, Math.max(0, Math.round(page.rgb[s + c]!)));
        put(left + x, top + y, channel(0), channel(1), channel(2));
      }
    }
  });
  return PNG.sync.write(sheet, { colorType: 2 });
}

/** A failure to report in one line (no stack trace) with the exit code to return. */
class PreviewError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function complain(line: string): void {
  process.stderr.write(`preview: ${line}\n`);
}

function missingToolMessage(tool: Tool): string {
  const pkg = DEBIAN_PACKAGE[tool];
  return `${tool} not found; install the Debian package ${pkg} (apt-get install ${pkg})`;
}

/** A path as the user would type it: relative to the working directory when inside it. */
function shown(file: string, isDir = false): string {
  const rel = path.relative(process.cwd(), file);
  const display = rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
  return isDir && !display.endsWith(path.sep) ? display + path.sep : display;
}

/** The last non-empty line a tool printed, to say why it failed. */
function lastLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines[lines.length - 1] ?? '';
}

/**
 * Renders every page of `pdf` with pdftoppm into `dir` as `<name>-<N>.png`, N zero-padded
 * to at least two digits (more when there are 100 pages or more). Returns the files in
 * page order.
 */
function renderPages(pdftoppm: string, pdf: string, dir: string, name: string, dpi: number): string[] {
  const raw = `.${name}-raw`;
  const result = spawnSync(pdftoppm, ['-png', '-r', String(dpi), pdf, path.join(dir, raw)], {
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const rawFiles = fs.readdirSync(dir).filter((f) => f.startsWith(`${raw}-`) && f.endsWith('.png'));
  if (result.error || result.status !== 0 || rawFiles.length === 0) {
    for (const f of rawFiles) fs.rmSync(path.join(dir, f), { force: true });
    const why = result.error?.message ?? (lastLine(result.stderr ?? '') || `exit status ${result.status ?? result.signal}`);
    throw new PreviewError(`pdftoppm could not render ${shown(pdf)}: ${why}`, 1);
  }
  // pdftoppm pads page numbers to the width of the page count; renumber with our own width.
  const numbered = rawFiles
    .map((f) => ({ file: f, page: Number(/-(\d+)\.png$/.exec(f)?.[1] ?? NaN) }))
    .filter((p) => Number.isInteger(p.page))
    .sort((a, b) => a.page - b.page);
  const width = Math.max(2, String(numbered.length).length);
  return numbered.map(({ file }, index) => {
    const target = path.join(dir, `${name}-${String(index + 1).padStart(width, '0')}.png`);
    fs.renameSync(path.join(dir, file), target);
    return target;
  });
}

/**
 * Converts `pptx` to a PDF in `tmp` with LibreOffice, using a throwaway profile under
 * `tmp` so it never touches (or waits on) the user's own. LibreOffice runs in its own
 * process group so that a timeout, or Ctrl-C here, ends all of its processes (on
 * Ctrl-C `tmp` is removed too, then the signal is raised again).
 */
async function deckToPdf(soffice: string, pptx: string, tmp: string): Promise<string> {
  const args = [
    `-env:UserInstallation=${pathToFileURL(path.join(tmp, 'profile')).href}`,
    '--headless',
    '--norestore',
    '--convert-to',
    'pdf',
    '--outdir',
    tmp,
    pptx,
  ];
  const child = spawn(soffice, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < MAX_BUFFER) output += chunk.toString('utf8');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const killGroup = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    killGroup();
    fs.rmSync(tmp, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, SOFFICE_TIMEOUT_MS);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const status = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
    const pdf = path.join(tmp, `${path.basename(pptx, path.extname(pptx))}.pdf`);
    if (timedOut) throw new PreviewError(`LibreOffice took more than ${SOFFICE_TIMEOUT_MS / 1000} s to convert ${shown(pptx)}; stopped it`, 1);
    if (status !== 0 || !fs.existsSync(pdf)) {
      const why = lastLine(output) || `exit status ${status ?? 'killed'}`;
      throw new PreviewError(`LibreOffice could not convert ${shown(pptx)} to PDF: ${why}`, 1);
    }
    return pdf;
  } catch (error) {
    if (error instanceof PreviewError) throw error;
    throw new PreviewError(`could not run ${soffice}: ${error instanceof Error ? error.message : String(error)}`, 1);
  } finally {
    clearTimeout(timer);
    killGroup();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

interface Options {
  ids: string[];
  outDir: string;
  dpi: number;
  help: boolean;
}

function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: 'string' },
        dpi: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // Node's message can run to several sentences; its first says what is wrong.
    const message = error instanceof Error ? error.message : String(error);
    const first = (message.split(/\.\s/)[0] ?? message).replace(/\.$/, '');
    throw new PreviewError(`${first}; usage: ${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const dpiText = values.dpi ?? String(DEFAULT_DPI);
  const dpi = /^\d+$/.test(dpiText) ? Number(dpiText) : NaN;
  if (!(dpi >= MIN_DPI && dpi <= MAX_DPI)) {
    throw new PreviewError(`--dpi must be a whole number from ${MIN_DPI} to ${MAX_DPI}, got ${JSON.stringify(dpiText)}`, 2);
  }
  if (values.out === '') throw new PreviewError('--out needs a directory', 2);
  for (const id of positionals) {
    if (!ID_PATTERN.test(id)) throw new PreviewError(`not a brief ID: ${JSON.stringify(id)} (${ID_RULE})`, 2);
  }
  return {
    ids: [...new Set(positionals)],
    outDir: path.resolve(values.out ?? 'out'),
    dpi,
    help: values.help === true,
  };
}

interface Job {
  id: string;
  pdf: string | undefined;
  pptx: string | undefined;
}

function findJobs(options: Options): Job[] {
  const { outDir } = options;
  const existing = (file: string): string | undefined => (fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? file : undefined);
  const jobFor = (id: string): Job => ({
    id,
    pdf: existing(path.join(outDir, `${id}.pdf`)),
    pptx: existing(path.join(outDir, `${id}.pptx`)),
  });
  if (options.ids.length > 0) {
    const jobs = options.ids.map(jobFor);
    const missing = jobs.find((job) => !job.pdf && !job.pptx);
    if (missing) {
      throw new PreviewError(`no ${shown(path.join(outDir, `${missing.id}.pdf`))} or ${shown(path.join(outDir, `${missing.id}.pptx`))} (build it first with npm run build:brief -- ${missing.id})`, 2);
    }
    return jobs;
  }
  if (!fs.statSync(outDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new PreviewError(`no folder ${shown(outDir, true)} (build first with npm run build:brief, or pass --out DIR)`, 2);
  }
  const ids = new Set<string>();
  for (const file of fs.readdirSync(outDir)) {
    const match = /^(.+)\.(pdf|pptx)$/.exec(file);
    if (match?.[1] && ID_PATTERN.test(match[1])) ids.add(match[1]);
  }
  const jobs = [...ids].sort().map(jobFor).filter((job) => job.pdf || job.pptx);
  if (jobs.length === 0) throw new PreviewError(`no <ID>.pdf or <ID>.pptx in ${shown(outDir, true)} (build first with npm run build:brief)`, 2);
  return jobs;
}

/** Runs the command with `argv` (the arguments after the script name); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const options = parseOptions(argv);
    if (options.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const jobs = findJobs(options);
    const pdftoppm = findTool('pdftoppm');
    if (!pdftoppm) throw new PreviewError(missingToolMessage('pdftoppm'), 1);
    const needsSoffice = jobs.some((job) => job.pptx);
    const soffice = needsSoffice ? findTool('soffice') : undefined;

    let exitCode = 0;
    let sofficeReported = false;
    for (const job of jobs) {
      const dir = path.join(options.outDir, 'preview', job.id);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });

      if (job.pdf) {
        try {
          const pages = renderPages(pdftoppm, job.pdf, dir, 'pdf-page', options.dpi);
          const sheet = path.join(dir, 'pdf-sheet.png');
          fs.writeFileSync(sheet, contactSheet(pages.map((p) => fs.readFileSync(p)), PDF_SHEET));
          say(`${job.id} pdf: ${plural(pages.length, 'page')} → ${shown(dir, true)} (sheet: ${shown(sheet)})`);
        } catch (error) {
          if (!(error instanceof PreviewError)) throw error;
          complain(error.message);
          exitCode = Math.max(exitCode, error.exitCode);
        }
      }

      if (job.pptx) {
        if (!soffice) {
          if (!sofficeReported) complain(missingToolMessage('soffice'));
          sofficeReported = true;
          complain(`${job.id} pptx: not rendered (${shown(job.pptx)})`);
          exitCode = Math.max(exitCode, 1);
          continue;
        }
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'briefpress-preview-'));
        try {
          const pdf = await deckToPdf(soffice, job.pptx, tmp);
          const slides = renderPages(pdftoppm, pdf, dir, 'slide', options.dpi);
          const sheet = path.join(dir, 'deck-sheet.png');
          fs.writeFileSync(sheet, contactSheet(slides.map((p) => fs.readFileSync(p)), DECK_SHEET));
          say(`${job.id} pptx: ${plural(slides.length, 'slide')} → ${shown(dir, true)} (sheet: ${shown(sheet)})`);
        } catch (error) {
          if (!(error instanceof PreviewError)) throw error;
          complain(error.message);
          exitCode = Math.max(exitCode, error.exitCode);
        } finally {
          fs.rmSync(tmp, { recursive: true, force: true });
        }
      }
    }
    return exitCode;
  } catch (error) {
    if (error instanceof PreviewError) {
      complain(error.message);
      return error.exitCode;
    }
    complain(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

if (isEntryPoint(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

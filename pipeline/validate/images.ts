// Image figures: an SVG, PNG or JPEG file in the brief's folder. The bytes must
// be what the name says; a raster image may not be a decompression bomb; an SVG
// may not run script or pull in anything from outside the file.
import { createRequire } from 'node:module';
import { DiagnosticCode } from '../core/diagnostics.ts';
import type { BriefData } from '../input/schema.ts';
import { errorAt, type Checks } from './context.ts';
import { readDataFile } from './data-files.ts';
import { decodeUtf8 } from '../input/files.ts';
import { pngRowsMissing } from './png-rows.ts';
import { animatedLink, decodeCssEscapes, decodeXmlReferences } from './svg-text.ts';

// The PNG decoder and the XML checker load only for a brief with such an image: most
// briefs have none, and every build would pay for loading them.
const require = createRequire(import.meta.url);
const pngDecoder = () => (require('pngjs') as typeof import('pngjs')).PNG;
const xmlValidator = () => (require('fast-xml-parser') as typeof import('fast-xml-parser')).XMLValidator;

export type ImageFormat = 'svg' | 'png' | 'jpeg';

export interface ImageData {
  readonly figureId: string;
  readonly format: ImageFormat;
  readonly bytes: Buffer;
  /** Pixels of a raster image; user units (the viewBox or width/height) of an SVG. */
  readonly width: number;
  readonly height: number;
}

export const imageLimits = {
  fileBytes: 20_000_000,
  /** Decoded, a 40-megapixel RGBA image is 160 MB: past that, refuse before decoding. */
  megapixels: 40,
} as const;

const FORMAT_BY_EXTENSION: Readonly<Record<string, ImageFormat>> = { svg: 'svg', png: 'png', jpg: 'jpeg', jpeg: 'jpeg' };
const FORMAT_NAME: Readonly<Record<ImageFormat, string>> = { svg: 'an SVG', png: 'a PNG', jpeg: 'a JPEG' };

export function readImages(checks: Checks, brief: { readonly figures: ReadonlyArray<Pick<BriefData['figures'][number], 'id' | 'image'>> }): { images: Map<string, ImageData>; files: string[] } {
  const images = new Map<string, ImageData>();
  const files: string[] = [];
  brief.figures.forEach((figure, f) => {
    if (figure.image === undefined) return;
    const path = ['figures', f, 'image'];
    const read = readDataFile(checks, figure.image, path, imageLimits.fileBytes);
    if (read === undefined) return;
    const { path: file, bytes } = read;
    const image = checkImage(checks, figure.id, figure.image, bytes, path);
    if (!image) return;
    images.set(figure.id, image);
    files.push(file);
  });
  return { images, files };
}

function checkImage(checks: Checks, figureId: string, name: string, bytes: Buffer, path: PropertyKey[]): ImageData | undefined {
  const extension = /\.([A-Za-z]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  const expected = FORMAT_BY_EXTENSION[extension];
  if (!expected) {
    errorAt(checks, DiagnosticCode.imageMismatch, path, `"${name}" is not an .svg, .png, .jpg or .jpeg file`);
    return undefined;
  }
  const actual = sniff(bytes);
  const prefixedRoot = expected === 'svg' && actual === undefined ? prefixedSvgRoot(bytes) : undefined;
  if (prefixedRoot) {
    errorAt(checks, DiagnosticCode.imageMismatch, path, `"${name}": its root element is <${prefixedRoot}>, which this build does not read`).hint('export it again as plain SVG (a root element <svg>, without a namespace prefix)');
    return undefined;
  }
  if (actual !== expected) {
    errorAt(checks, DiagnosticCode.imageMismatch, path, `"${name}" is named as ${FORMAT_NAME[expected]} file, but its content is ${actual ? FORMAT_NAME[actual] : 'not an image this build reads'}`).hint(
      'rename the file or export it again',
    );
    return undefined;
  }
  if (actual === 'svg') {
    const decoded = decodeUtf8(bytes);
    if (!decoded.ok) {
      errorAt(checks, DiagnosticCode.notUtf8, path, `"${name}" line ${decoded.line}, column ${decoded.column}: ${decoded.message}`).hint(decoded.hint);
      return undefined;
    }
  }
  const size = actual === 'png' ? pngSize(bytes) : actual === 'jpeg' ? jpegSize(bytes) : svgSize(bytes.toString('utf8'));
  if (!size) {
    errorAt(checks, DiagnosticCode.imageMismatch, path, `"${name}" is damaged: its size cannot be read`);
    return undefined;
  }
  if (actual !== 'svg' && size.width * size.height > imageLimits.megapixels * 1e6) {
    errorAt(checks, DiagnosticCode.imageTooLarge, path, `"${name}" is ${size.width} × ${size.height} pixels; the limit is ${imageLimits.megapixels} megapixels`).hint('scale it down: print needs about 300 pixels per inch');
    return undefined;
  }
  const orientation = actual === 'jpeg' ? exifOrientation(bytes) : 1;
  if (orientation !== 1) {
    errorAt(checks, DiagnosticCode.imageRotated, path, `"${name}" is stored turned or mirrored (EXIF orientation ${orientation}): a PDF viewer would turn it upright, a deck would not`).hint(
      'save it upright (most image editors do so on export)',
    );
    return undefined;
  }
  const damage = actual === 'png' ? pngDamage(bytes) : actual === 'jpeg' ? jpegDamage(bytes) : undefined;
  if (damage) {
    errorAt(checks, DiagnosticCode.imageDamaged, path, `"${name}" is damaged: ${damage}`).hint('export it again');
    return undefined;
  }
  if (actual === 'svg') {
    const problem = svgProblem(bytes.toString('utf8'));
    if (problem) {
      errorAt(checks, DiagnosticCode.imageUnsafe, path, `"${name}" ${problem}`).hint('an SVG figure must be self-contained: no script, no external files');
      return undefined;
    }
  }
  return { figureId, format: actual, bytes, width: size.width, height: size.height };
}

/**
 * Why a PNG cannot be drawn: it is decoded in full (its size was checked first), as the PDF writer will.
 * Its rows are counted first, as the decoder fills missing ones from uninitialised memory rather than refuse.
 */
function pngDamage(bytes: Buffer): string | undefined {
  const short = pngRowsMissing(bytes);
  if (short) return short;
  try {
    pngDecoder().sync.read(bytes);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The EXIF orientation of a JPEG (1 when it has none): the tag 0x0112 of the first image directory of its APP1 Exif segment. */
export function exifOrientation(bytes: Buffer): number {
  let at = 2;
  while (at + 4 < bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // the image data: no more metadata
    const length = bytes.readUInt16BE(at + 2);
    if (marker === 0xe1 && bytes.toString('latin1', at + 4, at + 10) === 'Exif\0\0') {
      const tiff = at + 10;
      if (tiff + 8 > bytes.length) return 1;
      const little = bytes.toString('latin1', tiff, tiff + 2) === 'II';
      const u16 = (o: number) => (o + 2 <= bytes.length ? (little ? bytes.readUInt16LE(o) : bytes.readUInt16BE(o)) : 0);
      const u32 = (o: number) => (o + 4 <= bytes.length ? (little ? bytes.readUInt32LE(o) : bytes.readUInt32BE(o)) : 0);
      const directory = tiff + u32(tiff + 4);
      const entries = u16(directory);
      for (let e = 0; e < entries; e++) {
        const entry = directory + 2 + e * 12;
        if (u16(entry) === 0x0112) {
          const value = u16(entry + 8);
          return value >= 1 && value <= 8 ? value : 1;
        }
      }
      return 1;
    }
    at += 2 + length;
  }
  return 1;
}

/** Why a JPEG cannot be drawn: the PDF embeds its data as it is, so it must hold a frame, its scan and its end. */
function jpegDamage(bytes: Buffer): string | undefined {
  if (bytes.length < 4 || bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) return 'the file ends before its end-of-image marker';
  if (bytes.indexOf(Buffer.from([0xff, 0xda])) < 0) return 'the file holds no image scan';
  return undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function sniff(bytes: Buffer): ImageFormat | undefined {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (new RegExp(`${SVG_PROLOG}<svg[\\s>]`, 'i').test(svgHead(bytes))) return 'svg';
  return undefined;
}

/**
 * What may come before an SVG's root: an XML declaration, comments and a DOCTYPE, whose
 * internal subset ([…], where entities are declared) holds ">" of its own; without it an
 * SVG that declares entities was "not an image" rather than refused for its entities.
 */
const SVG_PROLOG = String.raw`^\s*(<\?xml[^>]*\?>\s*)?((<!--[\s\S]*?-->|<!DOCTYPE[^>\[]*(\[[\s\S]*?\]\s*)?>)\s*)*`;
const svgHead = (bytes: Buffer) => bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');

/** The root's name when it is svg under a namespace prefix (<s:svg>): valid XML, but the drawing stages expect <svg>. */
function prefixedSvgRoot(bytes: Buffer): string | undefined {
  return new RegExp(`${SVG_PROLOG}<(?<root>[\\w.-]+:svg)[\\s>/]`, 'i').exec(svgHead(bytes))?.groups?.root;
}

function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The frame size from the first start-of-frame marker (SOF0–SOF15, less DHT, JPG and DAC). */
function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  return undefined;
}

/** The SVG's own size: its viewBox, else its width and height in user units. */
export function svgSize(svg: string): { width: number; height: number } | undefined {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0] ?? '';
  const viewBox = /\bviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*["']/i.exec(root);
  if (viewBox) return positive(Number(viewBox[1]), Number(viewBox[2]));
  const length = (name: string) => Number(new RegExp(`\\b${name}\\s*=\\s*["']\\s*([\\d.]+)(px|pt)?\\s*["']`, 'i').exec(root)?.[1]);
  return positive(length('width'), length('height'));
}

const positive = (width: number, height: number) => (width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height) ? { width, height } : undefined);

/** Why an SVG cannot be drawn as a self-contained figure, if it cannot. */
function svgProblem(svg: string): string | undefined {
  // Before well-formedness: the XML checker stumbles on the DOCTYPE that declares them,
  // and "not well-formed" would not say what is wrong.
  if (/<!ENTITY/i.test(svg)) return 'declares XML entities';
  const wellFormed = xmlValidator().validate(svg);
  if (wellFormed !== true) return `is not well-formed XML (line ${wellFormed.err.line}: ${wellFormed.err.msg})`;
  // Any prefix may be bound to the SVG namespace (<h:script>): match the local name.
  if (/<(?:[\w.-]+:)?script\b/i.test(svg)) return 'contains a script';
  if (/\s(?:[\w.-]+:)?on[a-z]+\s*=/i.test(svg)) return 'contains an event handler (on…= attribute)';
  if (/<(?:[\w.-]+:)?foreignObject\b/i.test(svg)) return 'contains a foreignObject (HTML inside the SVG)';
  const animated = animatedLink(svg);
  if (animated) return `animates a link (<${animated.element} attributeName="${animated.attribute}">), which could load an outside file`;
  // Attribute values as the XML parser hands them on, then style text as a CSS parser
  // reads it: the whole file is decoded (<style>, style= and presentation attributes
  // alike), which can only add matches. The raw text is checked too, so that decoding
  // can never hide what was plainly written.
  const xml = decodeXmlReferences(svg);
  const css = `${svg}\n${decodeCssEscapes(xml)}`;
  if (/@import/i.test(css)) return 'imports a style sheet';
  for (const match of `${svg}\n${xml}`.matchAll(/\b(?:xlink:)?href\s*=\s*["']\s*([^"']*)["']/gi)) {
    if (!match[1]!.startsWith('#')) return outside(match[1]!);
  }
  for (const match of css.matchAll(/url\(\s*['"]?\s*([^'")\s]*)/gi)) {
    if (!match[1]!.startsWith('#')) return outside(match[1]!);
  }
  // image-set() takes bare strings as addresses; nothing in a figure needs it.
  if (/image-set\(/i.test(css)) return 'uses image-set(), which loads outside images';
  return undefined;
}

const outside = (address: string) => `refers to an outside file or address ("${address.slice(0, 60)}")`;

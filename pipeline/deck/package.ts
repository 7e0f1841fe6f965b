// Post-processing of the zip pptxgenjs writes, so that the deck is byte-identical
// across builds and opens without a repair prompt:
// - every entry (and every entry of embedded chart workbooks) gets a fixed timestamp;
// - docProps dates come from the brief, not the clock;
// - [Content_Types].xml lists exactly the parts that exist (pptxgenjs 4.0.1 adds
//   overrides for slide masters it never writes: gitbrent/PptxGenJS#1444) and
//   registers no extension that no part has (#1449);
// - every shape has a text body, as PowerPoint's repair adds to text-less
//   rectangles and lines (#1441);
// - the notes master has the empty shape tree PowerPoint's repair leaves of the
//   six placeholders pptxgenjs writes (#1443); notes keep their text;
// - no folder entries in the zip (#1449);
// - a paragraph holds one <a:pPr>: pptxgenjs writes one per run, so a paragraph
//   of several runs (a link followed by plain text) is invalid and viewers disagree
//   about which properties win;
// - characters XML 1.0 forbids are removed from every part (validate strips them
//   from the data with a warning; this is the last guard for template text);
// - every `lang` attribute names the brief's language: pptxgenjs 4.0.1 writes
//   lang="en-US" on notes, paragraph ends, slide numbers and the masters' defaults
//   with no option to change it, and its text-run option adds altLang="en-US".
import JSZip from 'jszip';
import { FORBIDDEN_CHARS } from '../core/text.ts';

async function rezip(zip: JSZip, date: Date, transform: (name: string, data: Uint8Array) => Promise<Uint8Array | string>): Promise<Buffer> {
  const out = new JSZip();
  // Keep pptxgenjs's entry order ([Content_Types].xml first), which is deterministic.
  for (const name of Object.keys(zip.files)) {
    const entry = zip.files[name]!;
    if (entry.dir) continue;
    const data = await entry.async('uint8array');
    out.file(name, await transform(name, data), { date, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
}

function fixCoreDates(xml: string, isoDateTime: string): string {
  return xml
    .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${isoDateTime}$2`)
    .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${isoDateTime}$2`);
}

function fixContentTypes(xml: string, names: ReadonlySet<string>): string {
  const extensions = new Set([...names].map((n) => n.slice(n.lastIndexOf('.') + 1).toLowerCase()));
  return xml
    .replace(/<Override\s+PartName="\/([^"]+)"[^>]*\/>/g, (whole, part: string) => (names.has(part) ? whole : ''))
    .replace(/<Default\s+Extension="([^"]+)"[^>]*\/>/g, (whole, ext: string) => (extensions.has(ext.toLowerCase()) ? whole : ''));
}

const EMPTY_TEXT_BODY = '<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-US"/></a:p></p:txBody>';

export function textBodyForEveryShape(xml: string): string {
  return xml.replace(/<p:sp>([\s\S]*?)<\/p:sp>/g, (whole, inner: string) => {
    if (inner.includes('<p:txBody>')) return whole;
    const ext = inner.lastIndexOf('<p:extLst>');
    return ext >= 0 ? `<p:sp>${inner.slice(0, ext)}${EMPTY_TEXT_BODY}${inner.slice(ext)}</p:sp>` : `<p:sp>${inner}${EMPTY_TEXT_BODY}</p:sp>`;
  });
}

export function emptyNotesMasterShapes(xml: string): string {
  return xml.replace(/(<p:spTree>[\s\S]*?<\/p:grpSpPr>)[\s\S]*?(<\/p:spTree>)/, '$1$2');
}

export function onePropertiesPerParagraph(xml: string): string {
  return xml.replace(/<a:p>([\s\S]*?)<\/a:p>/g, (_whole, inner: string) => {
    let seen = false;
    const cleaned = inner.replace(/<a:pPr\b[^>]*\/>|<a:pPr\b[^>]*>[\s\S]*?<\/a:pPr>/g, (pPr) => {
      if (seen) return '';
      seen = true;
      return pPr;
    });
    return `<a:p>${cleaned}</a:p>`;
  });
}

/** `language` is a validated language tag (letters, digits and '-'), safe inside an attribute. */
export function setLanguage(xml: string, language: string): string {
  return xml.replace(/(?<=\s)lang="en-US"/g, `lang="${language}"`);
}

export async function normalizePptx(bytes: Uint8Array, date: Date, language: string): Promise<Buffer> {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const decoder = new TextDecoder();
  const zip = await JSZip.loadAsync(bytes);
  const names = new Set(Object.keys(zip.files).filter((n) => !zip.files[n]!.dir));
  return rezip(zip, date, async (name, data) => {
    if (name.endsWith('.xlsx')) {
      const inner = await JSZip.loadAsync(data);
      return rezip(inner, date, async (innerName, innerData) =>
        innerName === 'docProps/core.xml' ? fixCoreDates(decoder.decode(innerData), iso) : innerData,
      );
    }
    if (!name.endsWith('.xml') && !name.endsWith('.rels')) return data;
    let xml = decoder.decode(data).replace(FORBIDDEN_CHARS, '');
    if (name === 'docProps/core.xml') xml = fixCoreDates(xml, iso);
    if (name === '[Content_Types].xml') xml = fixContentTypes(xml, names);
    if (/^ppt\/(slides|slideLayouts|slideMasters|notesSlides)\/[^/]+\.xml$/.test(name)) xml = textBodyForEveryShape(onePropertiesPerParagraph(xml));
    if (/^ppt\/notesMasters\/[^/]+\.xml$/.test(name)) xml = emptyNotesMasterShapes(xml);
    // Last, so the text bodies added above carry the language too.
    return setLanguage(xml, language);
  });
}

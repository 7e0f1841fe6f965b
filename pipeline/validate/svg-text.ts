// The text of an SVG as the programs that draw it read it. A reference check that
// matches the raw bytes is bypassed by spelling: the XML parser resolves &#x72; before
// anything sees an attribute or a <style>, and the CSS parser then reads u\72l( as
// url( and @im\port as @import (CSS Syntax 3, "consume an escaped code point").

const XML_NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** A code point as a string, or U+FFFD where CSS and XML have no character (0, a surrogate, past U+10FFFF). */
function character(codePoint: number): string {
  return codePoint === 0 || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff ? '\uFFFD' : String.fromCodePoint(codePoint);
}

/** Resolves XML character references and the five predefined entities (declared entities are refused, not resolved). */
export function decodeXmlReferences(text: string): string {
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|amp|quot|apos));/gi, (whole, hex: string | undefined, decimal: string | undefined, name: string | undefined) => {
    if (hex !== undefined) return character(Number.parseInt(hex, 16));
    if (decimal !== undefined) return character(Number.parseInt(decimal, 10));
    return XML_NAMED[name!.toLowerCase()] ?? whole;
  });
}

/**
 * Resolves CSS escapes: a backslash and 1–6 hex digits (and one whitespace after them),
 * or a backslash and any other character, which stands for itself. A backslash before a
 * newline (a line continuation inside a CSS string) is dropped: where it is not one,
 * dropping it can only make a match that was not there, never hide one.
 */
export function decodeCssEscapes(text: string): string {
  return text.replace(/\\(?:([0-9a-fA-F]{1,6})(?:\r\n|[ \t\r\n\f])?|(\r\n|[\r\n\f])|([\s\S]))/g, (_whole, hex: string | undefined, _newline: string | undefined, other: string | undefined) => {
    if (hex !== undefined) return character(Number.parseInt(hex, 16));
    return other ?? '';
  });
}

/** SMIL elements that change an attribute (or remove an element) over time. */
const ANIMATION = /<(?:[\w.-]+:)?(set|animate|animateMotion|animateTransform|animateColor|discard)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;

/**
 * The first animation element that targets a link (attributeName href or xlink:href), as
 * written: `<set attributeName="href" to="http://…">` swaps an image's source for an
 * outside file after the href check has seen only the element's own, harmless one.
 */
export function animatedLink(svg: string): { element: string; attribute: string } | undefined {
  for (const [, element, attributes] of svg.matchAll(ANIMATION)) {
    const value = /(?:^|\s)attributeName\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attributes!);
    const name = decodeXmlReferences(value?.[1] ?? value?.[2] ?? '').trim();
    if (/^(?:[\w.-]+:)?href$/i.test(name)) return { element: element!, attribute: name };
  }
  return undefined;
}

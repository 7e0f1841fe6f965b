// Colours as the theme and briefs write them (#RRGGBB, validated as such), read
// into channels for the places that paint without a library's colour parser: the
// PDF's header and footer forms and the catalog's thumbnail.

export type Rgb = readonly [number, number, number];

/** `#RRGGBB` or `#RGB` as 0–255 channels; undefined for anything else. */
export function hexColor(color: string): Rgb | undefined {
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (long) return [parseInt(long[1]!, 16), parseInt(long[2]!, 16), parseInt(long[3]!, 16)];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short) return [parseInt(short[1]!, 16) * 17, parseInt(short[2]!, 16) * 17, parseInt(short[3]!, 16) * 17];
  return undefined;
}

/** 0–255 channels as `#rrggbb` (hexColor's inverse; channels are rounded). */
export function rgbHex(color: Rgb): string {
  return `#${color.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

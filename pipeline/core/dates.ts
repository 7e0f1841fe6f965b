// Dates come from the brief's data, never the clock: the same input always gives
// the same words and the same bytes, in any time zone.
import { BriefpressError, ErrorCode } from './diagnostics.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2019-05-14" → "May 14, 2019". */
export function longDate(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new BriefpressError(ErrorCode.internal, `longDate: "${iso}" is not YYYY-MM-DD`);
  return `${MONTHS[Number(match[2]) - 1]} ${Number(match[3])}, ${match[1]}`;
}

/** Midnight UTC of the brief's date, for file metadata. */
export function briefDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

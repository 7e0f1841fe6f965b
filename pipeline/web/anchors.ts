// Ids for deep links: each heading gets the slug of its text, unique on the page
// and never one a figure or table already has (their ids are the brief's, which
// the text's cross-references (#id) name).
export class Anchors {
  private readonly taken: Set<string>;

  constructor(reserved: Iterable<string>) {
    this.taken = new Set(reserved);
  }

  /** A new id for `text`: "trade-in-goods", then "trade-in-goods-2" for the next heading of the same words. */
  slug(text: string, fallback = 'section'): string {
    const base =
      text
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60)
        .replace(/-+$/, '') || fallback;
    // An id that starts with a digit is valid HTML but needs escaping in a CSS selector; a letter first keeps links simple.
    const lead = /^\p{L}/u.test(base) ? base : `${fallback}-${base}`;
    let id = lead;
    for (let n = 2; this.taken.has(id); n++) id = `${lead}-${n}`;
    this.taken.add(id);
    return id;
  }
}

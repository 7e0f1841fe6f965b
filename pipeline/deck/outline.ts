// What the deck says, slide by slide, before anything is measured: the key
// points, then each section's points and exhibits, then the reference slides.
// The slide plan follows the content, not one slide per section: a section whose
// text makes a single point joins its sub-section (under its heading as the
// kicker), the section before or after it (under a bold lead-in of its heading),
// or the key points; a long one continues on "(cont.)" slides; a list stays a
// list, its lead-in sentence over its items; a section of citations becomes a
// reference slide. Authored `summary` and `keyPoints` are used as written.
import type { ComposedBrief, DeckExhibit, DeckSection, Notes } from '../compose/compose.ts';
import { crossReferenceTarget } from '../input/inline.ts';
import { joinRuns, plainRun, plainText, type Run } from '../core/text.ts';
import { choose, countWords, isReferenceSection, itemCandidate, paragraphCandidates, pointScores, shorten, sliceRuns, type Candidate, type PointLimits } from './keypoints.ts';
import { sentences } from './sentences.ts';

/** A bullet (level 1), a list item under its lead-in (level 2), or a section's heading as a lead-in (no bullet, bold). */
export interface OutlinePoint {
  readonly runs: readonly Run[];
  readonly level: 0 | 1 | 2;
  /** The whole sentence, when the slide shows its head. */
  readonly shortenedFrom?: readonly Run[];
  /** A point chosen from the text: its score, by which it gives way when a section joins its slide. */
  readonly score?: number;
}

/** Points on as many slides as they need. `paged`: split by the limits of bullets and words per slide (authored points flow by height alone). */
export interface PointsItem {
  readonly kind: 'points';
  readonly title: string;
  readonly continuedTitle: string;
  readonly kicker?: string;
  readonly points: readonly OutlinePoint[];
  readonly notes: Notes;
  readonly paged: boolean;
}

export interface ExhibitItem {
  readonly kind: 'exhibit';
  readonly exhibit: DeckExhibit;
  readonly kicker?: string;
  /** A one-line title the citing sentence gives ("U.S. goods exports to Mexico rose …"); the caption then goes under it. */
  readonly takeaway?: string;
  /** A text box too long for one slide: the points chosen from it (its whole text is in the notes). */
  readonly points?: readonly OutlinePoint[];
  readonly notes?: Notes;
}

export type OutlineItem = PointsItem | ExhibitItem;

export interface Outline {
  readonly keyPoints: PointsItem;
  readonly sections: readonly OutlineItem[];
}

export interface OutlineOptions {
  readonly language: string;
  readonly limits: PointLimits;
  /** Words of a section's paragraphs per bullet chosen from them. */
  readonly wordsPerPoint: number;
  /** The notes' line before a shortened sentence, from the templates. */
  readonly shortenedLabel: string;
}

/** A section's text in one place: its candidates and its chosen points. */
interface Unit {
  readonly section: DeckSection;
  readonly index: number;
  readonly kicker?: string;
  points: OutlinePoint[];
  readonly exhibits: readonly DeckExhibit[];
  notes: Notes;
  readonly authored: boolean;
  readonly hasList: boolean;
}

export function outline(deck: ComposedBrief['deck'], options: OutlineOptions): Outline {
  const { language, limits } = options;
  const references = deck.sections.map((s) => isReferenceSection(s.heading, referenceItems(s)));
  // Every sentence of the brief's argument (not its reference lists) is a candidate; centrality is over all of them.
  const candidates: Candidate[] = [];
  deck.sections.forEach((section, s) => {
    if (references[s]) return;
    section.blocks.forEach((block, b) => {
      if (block.kind === 'paragraph') candidates.push(...paragraphCandidates(block.runs, s, b, language));
      else block.items.forEach((item, i) => candidates.push(itemCandidate(item, s, b, i)));
    });
  });
  const scores = pointScores(candidates, language, limits);

  let parent: string | undefined;
  const units: Unit[] = [];
  const referenceSlidesList: OutlineItem[] = [];
  deck.sections.forEach((section, s) => {
    if (section.level === 1) parent = section.title;
    const kicker = section.level === 2 ? parent : undefined;
    if (references[s]) {
      referenceSlidesList.push(referenceSlides(section, kicker));
      return;
    }
    const authored = section.keyPoints !== undefined;
    const points = authored ? section.keyPoints!.map((runs): OutlinePoint => ({ runs, level: 1 })) : sectionPoints(section, s, candidates, scores, options);
    units.push({ section, index: s, ...(kicker === undefined ? {} : { kicker }), points, exhibits: section.exhibits, notes: section.notes, authored, hasList: section.blocks.some((b) => b.kind === 'list') });
  });

  const keyPoints = keyPointsItem(deck, candidates, scores, options);
  const joined = joinTinySections(units, keyPoints, options);
  const sections: OutlineItem[] = joined.units.flatMap((unit): OutlineItem[] => [
    ...(unit.points.length > 0
      ? [
          {
            kind: 'points' as const,
            title: unit.section.title,
            continuedTitle: unit.section.continuedTitle,
            ...(unit.kicker === undefined ? {} : { kicker: unit.kicker }),
            points: unit.points,
            notes: withShortened(unit.notes, unit.points, options.shortenedLabel),
            paged: !unit.authored,
          },
        ]
      : []),
    ...unit.exhibits.map((exhibit): ExhibitItem => {
      if (exhibit.kind === 'textbox') return textboxItem(exhibit, unit.kicker, options);
      const takeaway = takeawayOf(exhibit.id, deck.sections, options);
      return { kind: 'exhibit', exhibit, ...(unit.kicker === undefined ? {} : { kicker: unit.kicker }), ...(takeaway === undefined ? {} : { takeaway }) };
    }),
  ]);
  return { keyPoints: joined.keyPoints, sections: [...sections, ...referenceSlidesList] };
}

/**
 * A text box that keeps to a slide's limits as it stands is shown whole; a longer
 * one by the points chosen from its own text, as a section's are.
 */
function textboxItem(exhibit: Extract<DeckExhibit, { kind: 'textbox' }>, kicker: string | undefined, options: OutlineOptions): ExhibitItem {
  const base = { kind: 'exhibit' as const, exhibit, ...(kicker === undefined ? {} : { kicker }) };
  const blocks = exhibit.textbox.blocks.map((b): DeckSection['blocks'][number] => (b.kind === 'paragraph' ? { kind: 'paragraph', runs: b.runs } : { kind: 'list', items: b.items }));
  const whole = blocks.flatMap((b): OutlinePoint[] => (b.kind === 'list' ? b.items.map((runs) => ({ runs, level: 1 })) : [{ runs: b.runs, level: 0 }]));
  if (whole.length <= options.limits.slideBullets && wordsOf(whole) <= options.limits.slideWords) return base;
  const candidates: Candidate[] = [];
  blocks.forEach((block, b) => {
    if (block.kind === 'paragraph') candidates.push(...paragraphCandidates(block.runs, 0, b, options.language));
    else block.items.forEach((item, i) => candidates.push(itemCandidate(item, 0, b, i)));
  });
  const points = sectionPoints({ blocks }, 0, candidates, pointScores(candidates, options.language, options.limits), options);
  return { ...base, points, notes: withShortened(exhibit.notes, points, options.shortenedLabel) };
}

/** The items a reference check reads: a list's items, or each paragraph. */
function referenceItems(section: DeckSection): Array<readonly Run[]> {
  return section.blocks.flatMap((b) => (b.kind === 'list' ? [...b.items] : [b.runs]));
}

/** A reference section as it stands: each citation a bullet, links and italics kept, never shortened. */
function referenceSlides(section: DeckSection, kicker: string | undefined): PointsItem {
  const points = section.blocks.flatMap((b): OutlinePoint[] => (b.kind === 'list' ? b.items.map((runs) => ({ runs, level: 1 })) : [{ runs: b.runs, level: 1 }]));
  return { kind: 'points', title: section.title, continuedTitle: section.continuedTitle, ...(kicker === undefined ? {} : { kicker }), points, notes: section.notes, paged: true };
}

/**
 * A section's points: from its paragraphs, about one per `wordsPerPoint` words (at
 * least one, at most what two slides hold), the best by score in the text's order;
 * each list whole, as level-2 items under the sentence that leads into it (which is
 * always taken) or as bullets when nothing does.
 */
function sectionPoints(section: Pick<DeckSection, 'blocks'>, s: number, candidates: readonly Candidate[], scores: readonly number[], options: OutlineOptions): OutlinePoint[] {
  const { limits } = options;
  const own = candidates.map((c, i) => ({ c, i })).filter(({ c }) => c.section === s && !c.listItem);
  const words = own.reduce((sum, { c }) => sum + c.words, 0);
  const lists = new Map(section.blocks.flatMap((b, index) => (b.kind === 'list' ? [[index, b] as const] : [])));
  // The last sentence of a paragraph right before a list leads into it ("… by:").
  const leads = own.filter(({ c }) => lists.has(c.block + 1) && own.every((o) => o.c.block !== c.block || o.c.index <= c.index)).map(({ i }) => i);
  // A second slide only for a long section (over five slides' worth of words), never a third.
  const slides = words > limits.slideWords * 5 ? 2 : 1;
  // A list is shown whole: what it takes of the slides is not left for sentences.
  const listItems = [...lists.values()].reduce((sum, list) => sum + list.items.length, 0);
  const listWords = [...lists.values()].reduce((sum, list) => sum + list.items.reduce((w, item) => w + countWords(item.map((r) => r.text).join('')), 0), 0);
  const roomFor = (perSlide: number, used: number) => Math.max(0, perSlide * Math.max(slides, Math.ceil((used + 1) / perSlide)) - used);
  // Two slides' words less a bullet's: whole bullets rarely fill the first slide to the word, and a third must not follow.
  const wordRoom = roomFor(limits.slideWords, listWords) - (slides > 1 ? limits.bulletWords : 0);
  const count = Math.max(1, Math.min(roomFor(limits.slideBullets, listItems), Math.max(1, Math.round(words / options.wordsPerPoint)) + leads.length));
  const local = own.map(({ c }) => c);
  const localScores = own.map(({ i }) => scores[i]!);
  const chosen = local.length === 0 ? [] : choose(local, localScores, { count, words: wordRoom, limits, language: options.language, forced: leads.map((i) => own.findIndex((o) => o.i === i)) });
  const byBlock = new Map<number, OutlinePoint[]>();
  for (const { candidate, point } of chosen) {
    const block = local[candidate]!.block;
    const forced = leads.includes(own[candidate]!.i);
    byBlock.set(block, [
      ...(byBlock.get(block) ?? []),
      { runs: point.runs, level: 1, ...(point.shortenedFrom ? { shortenedFrom: point.shortenedFrom } : {}), ...(forced ? {} : { score: localScores[candidate]! }) },
    ]);
  }
  const led = new Set(leads.map((i) => candidates[i]!.block + 1));
  return section.blocks.flatMap((block, b): OutlinePoint[] => {
    if (block.kind === 'paragraph') return byBlock.get(b) ?? [];
    return block.items.map((item) => {
      const point = shorten({ runs: item, text: item.map((r) => r.text).join(''), words: countWords(item.map((r) => r.text).join('')) }, limits.bulletWords);
      return { runs: point.runs, level: led.has(b) ? 2 : 1, ...(point.shortenedFrom ? { shortenedFrom: point.shortenedFrom } : {}) };
    });
  });
}

/** The key points: the authors' `summary`, else the brief's best sentences, at most one a section while sections remain, within one slide. */
function keyPointsItem(deck: ComposedBrief['deck'], candidates: readonly Candidate[], scores: readonly number[], options: OutlineOptions): PointsItem {
  const base = { kind: 'points' as const, title: deck.keyPoints.title, continuedTitle: deck.keyPoints.continuedTitle };
  if (deck.keyPoints.authored) return { ...base, points: deck.keyPoints.authored.map((runs) => ({ runs, level: 1 })), notes: [], paged: false };
  const { limits } = options;
  const paragraphs = candidates.filter((c) => !c.listItem);
  const paragraphScores = candidates.flatMap((c, i) => (c.listItem ? [] : [scores[i]!]));
  const sectionsWithText = new Set(paragraphs.map((c) => c.section)).size;
  const perSection = sectionsWithText >= limits.slideBullets ? 1 : 2;
  const chosen = choose(paragraphs, paragraphScores, { count: limits.slideBullets, words: limits.slideWords, limits, language: options.language, perSection });
  const points = chosen.map(({ point }): OutlinePoint => ({ runs: point.runs, level: 1, ...(point.shortenedFrom ? { shortenedFrom: point.shortenedFrom } : {}) }));
  return { ...base, points, notes: withShortened([], points, options.shortenedLabel), paged: true };
}

const wordsOf = (points: readonly OutlinePoint[]) => points.reduce((sum, p) => sum + countWords(p.runs.map((r) => r.text).join('')), 0);
const bulletsOf = (points: readonly OutlinePoint[]) => points.filter((p) => p.level > 0).length;

/**
 * A section whose text makes one point, with no list and no exhibit, does not get
 * a slide of its own: it joins its first sub-section (whose slides carry its
 * heading as the kicker), else the key points when it is the untitled opening and
 * they have room, else the section before or after it in the same part of the
 * brief, under a bold lead-in of its heading, when that slide has room; else, when
 * its point is already a key point, it is dropped (its notes go to the key points),
 * or it joins the key points under its bold lead-in when they have room.
 */
function joinTinySections(units: readonly Unit[], keyPoints: PointsItem, options: OutlineOptions): { units: Unit[]; keyPoints: PointsItem } {
  const { limits } = options;
  const out: Unit[] = units.map((u) => ({ ...u, points: [...u.points] }));
  let key = keyPoints;
  const fits = (points: readonly OutlinePoint[]) => bulletsOf(points) <= limits.slideBullets && wordsOf(points) <= limits.slideWords;
  /** The points with the host's weakest chosen ones left out until they fit one slide; undefined if they cannot. */
  const fitted = (points: readonly OutlinePoint[], kept: readonly OutlinePoint[]): OutlinePoint[] | undefined => {
    const rest = [...points];
    while (!fits(rest)) {
      let weakest = -1;
      rest.forEach((p, i) => {
        if (p.score !== undefined && !kept.includes(p) && (weakest < 0 || p.score < rest[weakest]!.score!)) weakest = i;
      });
      if (weakest < 0) return undefined;
      rest.splice(weakest, 1);
    }
    return rest;
  };
  const textOf = (p: OutlinePoint) => p.runs.map((r) => r.text).join('');
  // The untitled opening says what the key points say: it keeps only what they do not.
  const opening = out.find((u) => u.section.heading === undefined && !u.authored);
  if (opening !== undefined && key.paged) opening.points = opening.points.filter((p) => !key.points.some((k) => textOf(k) === textOf(p)));
  for (let i = 0; i < out.length; i++) {
    const unit = out[i]!;
    if (unit.authored || unit.hasList || unit.exhibits.length > 0 || bulletsOf(unit.points) !== 1) continue;
    const next = out[i + 1];
    const previous = out[i - 1];
    const lead: OutlinePoint = { runs: [{ text: unit.section.title, bold: true, italic: false }], level: 0 };
    const own = unit.points;
    const joinNotes = (host: Unit, before: boolean) => joinRuns(before ? [unit.notes, host.notes] : [host.notes, unit.notes], '\n\n');
    let joined: OutlinePoint[] | undefined;
    if (unit.section.level === 1 && next?.section.level === 2 && !next.authored && (joined = fitted([...own, ...next.points], own))) {
      next.points = joined;
      next.notes = joinNotes(next, true);
    } else if (unit.section.heading === undefined && key.paged && (joined = fitted([...key.points, ...own], own))) {
      key = { ...key, points: joined, notes: joinRuns([key.notes, unit.notes].filter(hasText), '\n\n') };
    } else if (previous !== undefined && !previous.authored && previous.kicker === unit.kicker && previous.points.length > 0 && (joined = fitted([...previous.points, lead, ...own], [lead, ...own]))) {
      previous.points = joined;
      previous.notes = joinNotes(previous, false);
    } else if (next !== undefined && !next.authored && next.kicker === unit.kicker && next.section.level === unit.section.level) {
      // The next section's slide starts with its own heading too, so the two parts stay apart.
      const nextLead: OutlinePoint = { runs: [{ text: next.section.title, bold: true, italic: false }], level: 0 };
      if (!(joined = fitted([lead, ...own, nextLead, ...next.points], [lead, ...own, nextLead]))) continue;
      next.points = joined;
      next.notes = joinNotes(next, true);
    } else if (key.paged && own.every((p) => key.points.some((k) => textOf(k) === textOf(p)))) {
      // Its one point is already a key point: a slide that repeats it alone adds nothing; its notes go with the key points.
      key = { ...key, notes: joinRuns([key.notes, unit.notes].filter(hasText), '\n\n') };
    } else if (key.paged && (joined = fitted([...key.points, lead, ...own], [lead, ...own]))) {
      key = { ...key, points: joined, notes: joinRuns([key.notes, unit.notes].filter(hasText), '\n\n') };
    } else continue;
    unit.points = [];
  }
  // A unit that joined another keeps only its exhibits (none, by the rule above): it is gone.
  return { units: out.filter((u) => u.points.length > 0 || u.exhibits.length > 0), keyPoints: key };
}

/** The notes, then each shortened sentence after the label that says the slide shows only its head. */
function withShortened(notes: Notes, points: readonly OutlinePoint[], label: string): Notes {
  const shortened = points.flatMap((p) => (p.shortenedFrom ? [[plainRun(`${label} `), ...p.shortenedFrom]] : []));
  return joinRuns([notes, ...shortened].filter(hasText), '\n\n');
}

/** Notes that say something, as a non-empty string does. */
const hasText = (notes: Notes): boolean => plainText(notes) !== '';

/**
 * The sentence that cites an exhibit in brackets ("… a 150% increase (Figure 1).")
 * without the citation, as a title: only when the brackets hold the citation
 * alone, so nothing but the citation is taken out; shortened at a clause boundary.
 */
function takeawayOf(id: string, sections: readonly DeckSection[], options: OutlineOptions): string | undefined {
  for (const section of sections) {
    for (const block of section.blocks) {
      if (block.kind !== 'paragraph') continue;
      const text = block.runs.map((r) => r.text).join('');
      let at = 0;
      const spans: Array<{ start: number; end: number }> = [];
      for (const run of block.runs) {
        if (run.href !== undefined && crossReferenceTarget(run.href) === id) spans.push({ start: at, end: at + run.text.length });
        at += run.text.length;
      }
      for (const span of spans) {
        const open = text.lastIndexOf('(', span.start);
        const close = text.indexOf(')', span.end);
        if (open < 0 || close < 0 || text.slice(open + 1, span.start).trim() !== '' || text.slice(span.end, close).trim() !== '') continue;
        const sentence = sentences(text, options.language).find((s) => s.start <= open && close < s.end);
        if (sentence === undefined) continue;
        const runs = [...sliceRuns(block.runs, sentence.start, open), ...sliceRuns(block.runs, close + 1, sentence.end)];
        const joined = runs.map((r) => r.text).join('').replace(/\s+([.,;:])/g, '$1').replace(/\s{2,}/g, ' ').trim();
        const cleaned = joined.replace(/[.]$/, '');
        const point = shorten({ runs: [{ text: cleaned, bold: false, italic: false }], text: cleaned, words: countWords(cleaned) }, options.limits.bulletWords);
        return point.runs.map((r) => r.text).join('');
      }
    }
  }
  return undefined;
}

/** Points split into slides: at most `slideBullets` bullets and `slideWords` words each; a lead-in stays with what follows it. */
export function pagePoints(points: readonly OutlinePoint[], limits: PointLimits): OutlinePoint[][] {
  const pages: OutlinePoint[][] = [[]];
  for (let i = 0; i < points.length; i++) {
    const point = points[i]!;
    // A lead-in (a heading, or the sentence a list hangs from) travels with the point after it.
    const group = point.level === 0 || (point.level === 1 && points[i + 1]?.level === 2) ? [point, points[i + 1]!].filter(Boolean) : [point];
    const page = pages[pages.length - 1]!;
    if (page.length > 0 && !(bulletsOf([...page, ...group]) <= limits.slideBullets && wordsOf([...page, ...group]) <= limits.slideWords)) pages.push([]);
    pages[pages.length - 1]!.push(...group);
    i += group.length - 1;
  }
  const filled = pages.filter((p) => p.length > 0);
  // A last slide of one bullet takes the point before it when both still keep to the limits.
  const last = filled[filled.length - 1];
  const before = filled[filled.length - 2];
  if (last !== undefined && before !== undefined && bulletsOf(last) === 1 && bulletsOf(before) >= 3) {
    const moved = before[before.length - 1]!;
    const stays = before.slice(0, -1);
    const moves = moved.level === 2 || stays[stays.length - 1]?.level === 0 ? undefined : [moved, ...last];
    if (moves !== undefined && bulletsOf(moves) <= limits.slideBullets && wordsOf(moves) <= limits.slideWords) {
      filled[filled.length - 2] = stays;
      filled[filled.length - 1] = moves;
    }
  }
  return filled;
}

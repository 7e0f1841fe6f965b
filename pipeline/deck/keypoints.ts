// Key points chosen from a brief's own sentences, for a deck whose brief has no
// `summary` or `keyPoints` (the authors' override). Extractive and deterministic:
// every sentence is scored by its centrality in the brief (TextRank: PageRank
// over a graph whose edges are the words two sentences share), weighted by where
// it stands (a section's and a paragraph's first sentence lead) and by what it
// carries (numbers, a defined term); the best are taken in the brief's order.
// A sentence too long for a bullet is shortened only where a clause ends (before
// "; ", "—", ", which", ", including" …), never inside one, and ends with "…";
// the notes say so. Sections that are reference lists never give key points.
import type { Run } from '../core/text.ts';
import { sentences } from './sentences.ts';

/** A sentence of the brief (or a list item), with its place. */
export interface Candidate {
  readonly section: number;
  readonly block: number;
  /** Its place in its paragraph (0: the first sentence). */
  readonly index: number;
  readonly runs: readonly Run[];
  readonly text: string;
  readonly words: number;
  readonly listItem: boolean;
}

/** A bullet as the slide shows it: the sentence, or its head up to a clause boundary and "…". */
export interface Point {
  readonly runs: readonly Run[];
  readonly words: number;
  /** The whole sentence, when the slide shows only its head (for the notes, in its styles). */
  readonly shortenedFrom?: readonly Run[];
}

/** How long a bullet may be, and how many words a slide may hold. */
export interface PointLimits {
  /** A sentence longer than this is shortened at a clause boundary when it can be. */
  readonly bulletWords: number;
  /** Bullets on one slide. */
  readonly slideBullets: number;
  /** Words on one slide. */
  readonly slideWords: number;
}

/** Words as a reader counts them: what stands between spaces. */
export const countWords = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** The runs from `from` to `to` of the text they make, each run keeping its style and link. */
export function sliceRuns(runs: readonly Run[], from: number, to: number): Run[] {
  const out: Run[] = [];
  let start = 0;
  for (const run of runs) {
    const end = start + run.text.length;
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a < b) out.push(a === start && b === end ? run : { ...run, text: run.text.slice(a - start, b - start) });
    start = end;
  }
  return out;
}

const plain = (runs: readonly Run[]) => runs.map((r) => r.text).join('');

/** The sentences of a paragraph as candidates; a list's items are candidates whole. */
export function paragraphCandidates(runs: readonly Run[], section: number, block: number, language: string): Candidate[] {
  const text = plain(runs);
  return sentences(text, language).map((s, index) => ({ section, block, index, runs: sliceRuns(runs, s.start, s.end), text: s.text, words: countWords(s.text), listItem: false }));
}

export function itemCandidate(runs: readonly Run[], section: number, block: number, index: number): Candidate {
  const text = plain(runs).trim();
  return { section, block, index, runs, text, words: countWords(text), listItem: true };
}

// ---- Scoring --------------------------------------------------------------

/** Words that say nothing about a sentence's topic (English; other languages rank on all their words). */
const STOPWORDS = new Set(
  ('a an the and or nor but of to in on at by for from with as is are was were be been being has have had do does did it its this that these those ' +
    'which who whom whose what when where while than then there their they them he she his her we our you your i not no also such may might can could ' +
    'would should will shall more most other some any each many much into over under about after before between during through since per via both ' +
    'including include includes included')
    .split(' '),
);

function terms(text: string, english: boolean): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  // A plural and its singular are one term ("grants", "grant"); short words and stop words are not terms.
  // A loop, not callbacks made at each call (see core/totalfit.ts's atoms).
  const found = new Set<string>();
  for (const w of words) {
    if (w.length <= 2 || (english && STOPWORDS.has(w))) continue;
    found.add(w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);
  }
  return found;
}

const DAMPING = 0.85;
const ITERATIONS = 60;

/** TextRank centrality of each candidate: PageRank over shared-term similarity (Mihalcea & Tarau 2004). */
export function centrality(candidates: readonly Candidate[], language: string): number[] {
  // Each step is a function of its own: V8 optimises a long loop while it runs (on-stack
  // replacement), and the code after it, never run before, then threw the optimised
  // code away. A worker compiled this function seven times over its first briefs.
  const { termCounts, postings } = termPostings(candidates, /^en\b/i.test(language));
  const links = linksOf(similarity(sharedTerms(postings, candidates.length), termCounts));
  return Array.from(pageRank(links));
}

/** Each candidate's number of terms, and each term's sentences in order. */
function termPostings(candidates: readonly Candidate[], english: boolean): { termCounts: Int32Array; postings: number[][] } {
  // Two sentences' shared terms are counted by walking each term's list once, not by
  // comparing every pair of sentences (a brief has a hundred or more sentences, and
  // most pairs share nothing).
  const ids = new Map<string, number>();
  const postings: number[][] = [];
  const termCounts = new Int32Array(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const sentenceTerms = terms(candidates[i]!.text, english);
    termCounts[i] = sentenceTerms.size;
    // A sentence of one term has no similarity (log 1 + log x would weigh it by nothing shared).
    if (sentenceTerms.size < 2) continue;
    for (const term of sentenceTerms) {
      let id = ids.get(term);
      if (id === undefined) {
        ids.set(term, (id = postings.length));
        postings.push([]);
      }
      postings[id]!.push(i);
    }
  }
  return { termCounts, postings };
}

/** shared[i][j], i < j: the terms sentences i and j have in common. */
function sharedTerms(postings: readonly number[][], n: number): Int32Array[] {
  const shared = Array.from({ length: n }, () => new Int32Array(n));
  for (const sentences of postings) {
    for (let a = 0; a < sentences.length; a++) {
      const row = shared[sentences[a]!]!;
      for (let b = a + 1; b < sentences.length; b++) row[sentences[b]!]!++;
    }
  }
  return shared;
}

/** The similarity matrix: symmetric, so each pair is worked out once. */
function similarity(shared: readonly Int32Array[], termCounts: Int32Array): Float64Array[] {
  const n = termCounts.length;
  const logs = Array.from(termCounts, (count) => Math.log(count));
  const weights = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const counts = shared[i]!;
    for (let j = i + 1; j < n; j++) {
      if (counts[j] === 0) continue;
      weights[i]![j] = weights[j]![i] = counts[j]! / (logs[i]! + logs[j]!);
    }
  }
  return weights;
}

/**
 * Who links to each sentence, and with what share of their weight: the same terms, in
 * the same order, as summing over the whole matrix each iteration, without the zeros.
 * The matrix is symmetric, so what links to i is read along its row (weights[i][j] is
 * weights[j][i]). Sentence i's links are from[start[i]] to from[start[i + 1] - 1], in
 * flat arrays: the iterations read a row as a run of memory, not an object per sentence.
 */
function linksOf(weights: readonly Float64Array[]): { start: Int32Array; from: Int32Array; share: Float64Array } {
  const n = weights.length;
  const outSum = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let sum = 0;
    for (const w of weights[j]!) sum += w;
    outSum[j] = sum;
  }
  // Counted first, then filled: the links go straight into arrays of their size.
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const row = weights[i]!;
    let count = 0;
    for (let j = 0; j < n; j++) if (row[j]! > 0) count++;
    start[i + 1] = start[i]! + count;
  }
  const from = new Int32Array(start[n]!);
  const share = new Float64Array(start[n]!);
  for (let i = 0, m = 0; i < n; i++) {
    const row = weights[i]!;
    for (let j = 0; j < n; j++) {
      if (row[j]! > 0) {
        from[m] = j;
        share[m++] = row[j]! / outSum[j]!;
      }
    }
  }
  return { start, from, share };
}

function pageRank({ start, from, share }: { start: Int32Array; from: Int32Array; share: Float64Array }): Float64Array {
  const n = start.length - 1;
  let score = new Float64Array(n).fill(1);
  let next = new Float64Array(n);
  for (let k = 0; k < ITERATIONS; k++) {
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let m = start[i]!, end = start[i + 1]!; m < end; m++) sum += share[m]! * score[from[m]!]!;
      next[i] = 1 - DAMPING + DAMPING * sum;
    }
    [score, next] = [next, score];
  }
  return score;
}

/** A number, an amount or a year: the facts a slide is for. */
const HAS_NUMBER = /\d/;
/** A term the text defines: an acronym introduced in brackets ("(NSGP)"), a quoted name, "known as". */
const DEFINES_TERM = /\((?:the )?[A-Z][A-Za-z]*[A-Z]s?\)|[“"][^”"]{2,60}[”"]|\bknown as\b|\breferred to as\b/;

/** Centrality weighted by place and content: what makes a sentence a point. */
export function pointScores(candidates: readonly Candidate[], language: string, limits: PointLimits): number[] {
  const rank = centrality(candidates, language);
  return candidates.map((c, i) => {
    let w = rank[i]!;
    if (c.index === 0 && !c.listItem) w *= c.block === 0 ? 1.5 : 1.25;
    if (HAS_NUMBER.test(c.text)) w *= 1.2;
    if (DEFINES_TERM.test(c.text)) w *= 1.15;
    // A fragment says little; a sentence no clause boundary shortens is a paragraph on a slide.
    if (c.words < 6) w *= 0.5;
    if (shorten(c, limits.bulletWords).words > limits.bulletWords * 1.5) w *= 0.6;
    return w;
  });
}

// ---- Shortening -------------------------------------------------------------

/**
 * Where a trailing clause or phrase begins: a semicolon, a dash, or a comma before
 * a word that opens a dependent clause or a phrase hung on the main one. The head
 * before it is a whole clause.
 */
const CLAUSE_BOUNDARY =
  /(?:;\s+|\s*[—–]\s*|,\s+(?=(?:which|who|whom|whose|while|whereas|although|though|but|because|since|including|particularly|especially|notably|such as|despite|compared (?:to|with)|according to|with|accounting for|followed by|making|demonstrating|reflecting|provided|unless|where|respectively|an increase|a \d|up from|down from|as well as)\b))/g;

/** The sentence as a bullet: whole, or its longest head up to a clause boundary that stays within `maxWords`. */
export function shorten(candidate: Pick<Candidate, 'runs' | 'text' | 'words'>, maxWords: number): Point {
  if (candidate.words <= maxWords) return { runs: candidate.runs, words: candidate.words };
  const text = plain(candidate.runs);
  let best: number | undefined;
  for (const m of text.matchAll(CLAUSE_BOUNDARY)) {
    const head = text.slice(0, m.index);
    const words = countWords(head);
    // A head of a few words is a fragment, and one inside brackets or quotes would leave them open.
    if (words < 6 || words > maxWords || !balanced(head)) continue;
    best = m.index;
  }
  if (best === undefined) return { runs: candidate.runs, words: candidate.words };
  const head = sliceRuns(candidate.runs, 0, best);
  const last = head[head.length - 1]!;
  const runs = [...head.slice(0, -1), { ...last, text: last.text.replace(/[\s,;:]+$/, '') + '…' }];
  return { runs, words: countWords(plain(runs)), shortenedFrom: candidate.runs };
}

function balanced(text: string): boolean {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return count(/\(/g) === count(/\)/g) && count(/\[/g) === count(/\]/g) && count(/“/g) === count(/”/g) && count(/"/g) % 2 === 0;
}

// ---- Choosing ---------------------------------------------------------------

/** Terms shared with a chosen point above this share make a candidate say the same thing again. */
const REDUNDANT = 0.5;

function overlap(a: string, b: string, english: boolean): number {
  const x = terms(a, english);
  const y = terms(b, english);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared / Math.min(x.size, y.size);
}

/**
 * The best candidates by score, at most `count` and `words` in all (as shortened),
 * none repeating one already taken, returned in the brief's order. `perSection`
 * limits how many come from one section (the key points of a whole brief spread
 * over it); `forced` are taken first.
 */
export function choose(
  candidates: readonly Candidate[],
  scores: readonly number[],
  options: { count: number; words: number; limits: PointLimits; language: string; perSection?: number; forced?: readonly number[] },
): Array<{ candidate: number; point: Point }> {
  const english = /^en\b/i.test(options.language);
  const order = candidates.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const taken: Array<{ candidate: number; point: Point }> = [];
  const fromSection = new Map<number, number>();
  let words = 0;
  const take = (i: number, force: boolean) => {
    if (taken.some((t) => t.candidate === i)) return;
    const c = candidates[i]!;
    const point = c.listItem ? shorten(c, options.limits.bulletWords) : shorten(c, options.limits.bulletWords);
    if (!force) {
      if (taken.length >= options.count || words + point.words > options.words) return;
      if ((fromSection.get(c.section) ?? 0) >= (options.perSection ?? Infinity)) return;
      if (taken.some((t) => overlap(candidates[t.candidate]!.text, c.text, english) > REDUNDANT)) return;
    }
    taken.push({ candidate: i, point });
    fromSection.set(c.section, (fromSection.get(c.section) ?? 0) + 1);
    words += point.words;
  };
  for (const i of options.forced ?? []) take(i, true);
  for (const i of order) take(i, false);
  // The best one is always taken, even when alone it is over the budget: a section is never left without a point.
  if (taken.length === 0 && order.length > 0) take(order[0]!, true);
  return taken.sort((a, b) => a.candidate - b.candidate);
}

// ---- Reference lists --------------------------------------------------------

/** Headings of sections that list sources rather than argue (English). */
const REFERENCE_HEADING =
  /^(?:additional (?:information|resources|reading)|(?:other |related |selected |further |key )?(?:crs |gao |oig )?(?:resources|reports|products|readings?|references|citations|sources|publications)|for (?:more|further|additional) information|bibliography|see also|further reading)\b/i;

/** What a citation looks like: a report number, a publisher's report series, a date at the end, a link or a title in italics. */
const CITATION_SIGNS = [/\b(?:Report|Rept\.|Pub\.|Publication|Testimony)\s+(?:No\.\s*)?[A-Z0-9][\w-]*\d/, /\bNo\.\s*[A-Z0-9-]*\d/, /\b(?:CRS|GAO|OIG|Office of Inspector General|Inspector General)\b/, /(?:January|February|March|April|May|June|July|August|September|October|November|December|\b\d{4})[^.]{0,12}\.?\s*$/];

export function looksLikeCitation(runs: readonly Run[]): boolean {
  const text = plain(runs).trim();
  const styled = runs.some((r) => (r.italic && r.text.trim().length > 3) || (r.href !== undefined && !r.href.startsWith('#')));
  const signs = CITATION_SIGNS.filter((re) => re.test(text)).length + (styled ? 1 : 0);
  return signs >= 2;
}

/** A section that lists sources (by its heading, or because most of its items are citations) becomes a reference slide, never key points. */
export function isReferenceSection(heading: string | undefined, items: ReadonlyArray<readonly Run[]>): boolean {
  if (heading !== undefined && REFERENCE_HEADING.test(heading.trim())) return true;
  const citations = items.filter(looksLikeCitation).length;
  return items.length >= 3 && citations * 3 >= items.length * 2;
}

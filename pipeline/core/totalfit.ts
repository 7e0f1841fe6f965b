// Total-fit line breaking (Knuth and Plass, "Breaking Paragraphs into Lines",
// 1981), as TeX sets a paragraph: the breaks of the whole paragraph are chosen at
// once, so that no line has to be set much looser than its neighbours, where
// first-fit filling breaks each line as soon as it is full and leaves a loose or
// ragged line behind when the next word does not fit.
//
// The paragraph is a row of boxes (words, or their syllables), glue (the spaces,
// which stretch and shrink) and penalties (hyphenation points, breaks after a dash).
// Passes as in TeX: first without hyphenation; then with it; then with emergency
// stretch; and last, a pass that always succeeds, so every paragraph is set.
// Because the active breakpoints are told apart by line number, one pass also
// yields the best setting one line shorter or longer (TeX's \looseness), which the
// layout reads to bring a brief back inside its page budget.
import type { Measurer } from './fonts.ts';
import { hasRtl } from './fonts.ts';
import { hyphenationPoints, prepareHyphenation } from './hyphenate.ts';
import { adjustInto, DEFAULT_JUSTIFICATION, type Justification } from './justification.ts';
import type { Run } from './text.ts';
import { buildLine, segmentsOf, splitWide, trailingSpaceCount, type Piece, type Segment, type SetLine, type TextStyle } from './typeset.ts';

export interface TotalFitOptions {
  /** Break words at hyphenation points by the patterns of this language. */
  readonly hyphenate?: { readonly language: string };
  readonly justification?: Justification;
}

/** One way to set the paragraph. */
export interface ParagraphSetting {
  readonly lines: readonly SetLine[];
  /** The sum of the lines' demerits: what the breaking minimises. */
  readonly demerits: number;
}

/** A paragraph's settings: the best, and on demand the best one line shorter or longer. */
export interface TotalFit {
  readonly best: ParagraphSetting;
  /**
   * The best setting with `best.lines.length + looseness` lines whose every line
   * keeps within the tolerance (never an emergency setting), if the breaks allow one.
   */
  variant(looseness: number): ParagraphSetting | undefined;
  /** Words wider than the line, cut between letters and set on lines of their own. */
  readonly wideWords: number;
}

type Break =
  | { readonly kind: 'glue'; readonly width: number; /** Word spaces that stretch and shrink: none in right-to-left text. */ readonly spaces: number }
  | { readonly kind: 'penalty'; readonly width: number; readonly cost: number; readonly flagged: boolean }
  | { readonly kind: 'forced' };

interface Atom {
  /** The segment (word with its trailing spaces) it is all or part of. */
  readonly segment: number;
  /** Its glyphs, near enough: its characters. */
  readonly glyphs: number;
  /**
   * For a syllable: its text, and whether it is the segment's last. Present, if
   * undefined, on every atom: atoms of one shape keep the breaker's optimised code,
   * which a second shape threw away.
   */
  readonly syllable: { readonly text: string; readonly last: boolean } | undefined;
  readonly width: number;
  readonly after: Break;
}

interface Node {
  /** The atom after which the line breaks; -1 for the paragraph's start. */
  readonly atom: number;
  readonly line: number;
  readonly fitness: number;
  /** Hyphenated lines in a row ending here. */
  readonly hyphens: number;
  readonly flagged: boolean;
  readonly demerits: number;
  readonly prev: Node | undefined;
}

const HYPHEN = '-';
/** The emergency pass's limit: its lines are judged by the width of their word spaces (`emergencySpace`). */
const EMERGENCY = -1;
/** How far inside the word-space limits a line must stay, × the font's space. */
const SPACE_MARGIN = 0.003;
/** Demerits of a line looser than the tolerance: more than any setting's lines within it can add up to. */
const BEYOND_TOLERANCE = 1e9;
/** A word's leading and trailing punctuation stays on its first and last syllable. */
const WORD_PARTS = /^([(\[“‘"']*)(.*?)([.,;:!?)\]”’"']*)(\s*)$/u;
const LETTER = /\p{L}/gu;
/** Letters in `text`: ASCII counted here, the rest by the regular expression (no array of matches for a plain word). */
function letters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) return count + (text.slice(i).match(LETTER)?.length ?? 0);
    if ((unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a)) count++;
  }
  return count;
}
/** Code points in `text` (a surrogate pair is one), without making an array of them. */
function glyphsIn(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one: the pair is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** Code points of the pieces' text joined, without trailing white space: counted, not joined, when the text ends in ASCII. */
function glyphsUntrimmed(pieces: readonly Pick<Piece, 'text'>[]): number {
  // Counted across the pieces, so that a surrogate pair split between two is one code point, as in the joined text.
  let count = 0;
  let high = false;
  for (const piece of pieces) {
    const text = piece.text;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (high && unit >= 0xdc00 && unit <= 0xdfff) {
        high = false;
        continue;
      }
      count++;
      high = unit >= 0xd800 && unit <= 0xdbff;
    }
  }
  // Trailing ASCII spaces and tabs come off the count; anything else at the end goes the long way (trimEnd's white space is Unicode's).
  for (let p = pieces.length - 1; p >= 0; p--) {
    const text = pieces[p]!.text;
    for (let i = text.length - 1; i >= 0; i--) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) return glyphsIn(pieces.map((q) => q.text).join('').trimEnd());
      if (unit !== 0x20 && (unit < 0x09 || unit > 0x0d)) return count;
      count--;
    }
  }
  return count;
}

/** The break after a segment with no space after it: flagged and charged like a hyphenation when it follows a hyphen. */
const explicitBreak = (hyphen: boolean, hyphenPenalty: number): Break => ({ kind: 'penalty', width: 0, cost: hyphen ? hyphenPenalty : 0, flagged: hyphen });

/** Sets a paragraph by total fit; every line but the paragraph's (and a forced break's) last is to be justified. */
export function setTotalFit(runs: readonly Run[], style: TextStyle, measurer: Measurer, widths: (line: number) => number, options: TotalFitOptions = {}): TotalFit {
  return new Paragraph(runs, style, measurer, widths, options).set();
}

class Paragraph {
  private readonly rules: Justification;
  private readonly segments: Segment[];
  private readonly space: number;
  wideWords = 0;
  /** The settings of a pass by line count, kept for `variant`. */
  private readonly passes = new Map<number, Map<number, Node> | undefined>();
  private readonly atomsOf = new Map<boolean, Atom[]>();

  constructor(
    runs: readonly Run[],
    private readonly style: TextStyle,
    private readonly measurer: Measurer,
    private readonly widths: (line: number) => number,
    private readonly options: TotalFitOptions,
  ) {
    this.rules = options.justification ?? DEFAULT_JUSTIFICATION;
    const regular = { face: style.face, weight: 'regular' as const };
    this.space = measurer.width(' ', regular, style.size);
    // A word wider than the line is cut between letters first, as first-fit does.
    const width = widths(0);
    this.segments = [];
    for (const segment of segmentsOf(runs, style, measurer)) {
      if (segment.trimmed <= width || segment.cut) this.segments.push(segment);
      else {
        this.wideWords++;
        for (const part of splitWide(segment, width, measurer)) this.segments.push(part);
      }
    }
  }

  set(): TotalFit {
    const empty: ParagraphSetting = { lines: [], demerits: 0 };
    if (this.segments.length === 0) return { best: empty, variant: () => undefined, wideWords: 0 };
    const hyphenates = this.options.hyphenate !== undefined;
    // Passes: 1 no hyphenation, 2 hyphenation, 3 emergency stretch, 4 anything that fits.
    const plan: Array<{ pass: number; hyphenate: boolean; limit: number }> = [
      { pass: 1, hyphenate: false, limit: this.rules.tolerance },
      ...(hyphenates ? [{ pass: 2, hyphenate: true, limit: this.rules.tolerance }] : []),
      { pass: 3, hyphenate: hyphenates, limit: EMERGENCY },
      { pass: 4, hyphenate: hyphenates, limit: Infinity },
    ];
    let best: ParagraphSetting | undefined;
    for (const step of plan) {
      const ends = this.run(step.pass, step.hyphenate, step.limit);
      if (!ends) continue;
      best = this.settingOf(this.cheapest(ends), step.hyphenate);
      break;
    }
    const found = best!;
    // Pass 2 sees every break pass 1 sees and the hyphenation points besides, so it finds the best of each line count.
    const variantPass = hyphenates ? 2 : 1;
    const variant = (looseness: number): ParagraphSetting | undefined => {
      if (looseness === 0) return found;
      const node = this.run(variantPass, hyphenates, this.rules.tolerance)?.get(found.lines.length + looseness);
      return node ? this.settingOf(node, hyphenates) : undefined;
    };
    return { best: found, variant, wideWords: this.wideWords };
  }

  private cheapest(ends: Map<number, Node>): Node {
    let best: Node | undefined;
    for (const node of ends.values()) if (!best || node.demerits < best.demerits || (node.demerits === best.demerits && node.line < best.line)) best = node;
    return best!;
  }

  // Loops here and below, not callbacks: V8 keeps a function's optimised code only
  // while a closure of it lives, and a callback made afresh at each call dies with the
  // call, so every full collection threw its code away and the next paragraphs had it
  // compiled again (this method's forEach callback six times over 100 briefs).
  private atoms(hyphenate: boolean): Atom[] {
    let atoms = this.atomsOf.get(hyphenate);
    if (atoms) return atoms;
    atoms = [];
    const segments = this.segments;
    const lastIndex = segments.length - 1;
    if (hyphenate) {
      const words: string[] = [];
      for (const s of segments) if (s.pieces.length === 1) words.push(WORD_PARTS.exec(s.pieces[0]!.text)![2]!);
      prepareHyphenation(words, this.options.hyphenate!.language);
    }
    for (let index = 0; index <= lastIndex; index++) {
      const segment = segments[index]!;
      const trailing = segment.full - segment.trimmed;
      let spaces = 0;
      let rtl = false;
      for (const piece of segment.pieces) {
        spaces += trailingSpaceCount(piece.text);
        rtl ||= hasRtl(piece.text);
      }
      const after: Break =
        index === lastIndex || segment.required
          ? { kind: 'forced' }
          : trailing > 0
            ? // Spaces inside right-to-left text are not stretched by justify.
              { kind: 'glue', width: trailing, spaces: rtl ? 0 : spaces }
            : // A break after a hyphen or dash, or between CJK characters: an explicit hyphen counts as a hyphenated line.
              explicitBreak(/[-\u2010]$/u.test(segment.pieces.at(-1)?.text ?? ''), this.rules.hyphenPenalty);
      const syllables = hyphenate && !segment.cut ? this.syllables(segment) : undefined;
      if (!syllables) {
        atoms.push({ segment: index, glyphs: glyphsUntrimmed(segment.pieces), syllable: undefined, width: segment.trimmed, after });
        continue;
      }
      const piece = segment.pieces[0]!;
      // The parts' widths as the whole word sets them (kerning across a cut aside), without shaping each part.
      const prefix = this.measurer.prefixWidths?.(piece.text.trimEnd(), piece.font);
      const toPoints = piece.size / 1000;
      let used = 0;
      let offset = 0;
      for (let k = 0; k < syllables.length; k++) {
        const text = syllables[k]!;
        const last = k === syllables.length - 1;
        const end = offset + text.length;
        // The last syllable takes the rest of the whole word's width, so a word that is not broken measures exactly as set.
        const width = last ? segment.trimmed - used : prefix ? (prefix[end]! - prefix[offset]!) * toPoints : this.measurer.width(text, piece.font, piece.size);
        offset = end;
        used += width;
        atoms.push({
          segment: index,
          glyphs: glyphsIn(text.trimEnd()),
          syllable: { text, last },
          width,
          after: last ? after : { kind: 'penalty', width: this.measurer.width(HYPHEN, piece.font, piece.size), cost: this.rules.hyphenPenalty, flagged: true },
        });
      }
    }
    this.atomsOf.set(hyphenate, atoms);
    return atoms;
  }

  /** The parts of a one-piece word between which a hyphen may go, with at least the rules' letters on either side. */
  private syllables(segment: Segment): string[] | undefined {
    if (segment.pieces.length !== 1) return undefined;
    const text = segment.pieces[0]!.text;
    if (hasRtl(text)) return undefined;
    const [, lead, word, punctuation, spaces] = WORD_PARTS.exec(text)!;
    const points = hyphenationPoints(word!, this.options.hyphenate!.language);
    if (points.length < 2) return undefined;
    const total = letters(word!);
    const parts: string[] = [];
    let current = lead!;
    let before = 0;
    for (let k = 0; k < points.length; k++) {
      current += points[k];
      before += letters(points[k]!);
      const isLast = k === points.length - 1;
      if (!isLast && before >= this.rules.hyphenMinBefore && total - before >= this.rules.hyphenMinAfter) {
        parts.push(current);
        current = '';
      }
    }
    parts.push(current + punctuation! + spaces!);
    return parts.length > 1 ? parts : undefined;
  }

  /** One pass of the algorithm; the best final breakpoint for each line count, or undefined when no setting keeps within `limit`. */
  private run(pass: number, hyphenate: boolean, limit: number): Map<number, Node> | undefined {
    // The lookup is kept out of the pass itself: optimised before any paragraph had
    // asked for a pass twice, the pass's code had no feedback for this branch and was
    // thrown away and compiled again (~45 ms of V8's compiler in every batch worker).
    if (this.passes.has(pass)) return this.passes.get(pass);
    const result = this.search(pass <= 2, hyphenate, limit);
    this.passes.set(pass, result);
    return result;
  }

  /** The pass itself. `byLine` (passes 1 and 2): each line count keeps its best breakpoint, for `variant`. */
  private search(byLine: boolean, hyphenate: boolean, limit: number): Map<number, Node> | undefined {
    const atoms = this.atoms(hyphenate);
    const n = atoms.length;
    // Running sums of width, word spaces and glyphs: a line's measures are differences of two.
    const width = new Float64Array(n + 1);
    const spaces = new Float64Array(n + 1);
    const glyphs = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const atom = atoms[i]!;
      const glue = atom.after.kind === 'glue' ? atom.after : undefined;
      width[i + 1] = width[i]! + atom.width + (glue?.width ?? 0);
      spaces[i + 1] = spaces[i]! + (glue?.spaces ?? 0);
      glyphs[i + 1] = glyphs[i]! + atom.glyphs + (glue?.spaces ?? 0);
    }
    const rules = this.rules;
    // The rules' limits read once here, not in the branches of the loop that only some
    // paragraphs reach: code optimised before a paragraph reached one had no record of
    // the read, and was thrown away when one did.
    const shrinkLimit = 1 - rules.shrink + SPACE_MARGIN;
    const emergencyLimit = rules.emergencySpace - SPACE_MARGIN;
    const stretchLimit = 1 + rules.stretch * limit - SPACE_MARGIN;
    const { tolerance, maxConsecutiveHyphens, linePenalty, doubleHyphenDemerits, finalHyphenDemerits, fitnessDemerits } = rules;
    const adjusted = { ratio: 0, scale: 1, letterSpacing: 0, wordSpacing: 0, spaceFactor: 1 };
    // The lists are reused from breakpoint to breakpoint with counts of their own:
    // emptying an array by setting its length to 0 gives its storage back, and the
    // next pushes allocated it anew, a few hundred bytes at each of a brief's thousands of atoms.
    const candidates: Node[] = [];
    const keys: number[] = [];
    let spare: Node[] = [];
    let active: Node[] = [{ atom: -1, line: 0, fitness: 1, hyphens: 0, flagged: false, demerits: 0, prev: undefined }];
    let activeCount = 1;
    let ends: Map<number, Node> | undefined;
    for (let b = 0; b < n; b++) {
      const after = atoms[b]!.after;
      const glue = after.kind === 'glue' ? after : undefined;
      const forced = after.kind === 'forced';
      const flagged = after.kind === 'penalty' && after.flagged;
      const cost = after.kind === 'penalty' ? after.cost : 0;
      // The best new breakpoint for each key (line, fitness, hyphens in a row): a handful, so a list.
      let candidateCount = 0;
      const kept: Node[] = spare;
      let keptCount = 0;
      for (let index = 0; index < activeCount; index++) {
        const a = active[index]!;
        const lineWidth = this.widths(a.line);
        const natural = width[b + 1]! - width[a.atom + 1]! - (glue?.width ?? 0) + (after.kind === 'penalty' ? after.width : 0);
        const lineSpaces = spaces[b + 1]! - spaces[a.atom + 1]! - (glue?.spaces ?? 0);
        const lineGlyphs = glyphs[b + 1]! - glyphs[a.atom + 1]! - (glue?.spaces ?? 0) + (flagged && after.kind === 'penalty' && after.width > 0 ? 1 : 0);
        adjustInto(adjusted, natural, lineSpaces, lineGlyphs, this.space, this.style.size, lineWidth, rules);
        // A line ended by force keeps its natural spacing when short: it is set ragged.
        const ratio = forced && natural <= lineWidth ? 0 : adjusted.ratio;
        // The word spaces are held to their limits as well as the ratio: past ratio 1 they alone give, and the
        // glyphs' share moves them a little. SPACE_MARGIN covers the estimates here (a word's width as the sum of
        // its syllables', its glyphs as its characters) that justify then replaces with exact measures.
        const factor = adjusted.spaceFactor;
        const shrinks = ratio >= 0 || lineSpaces === 0 || factor >= shrinkLimit;
        // Both tests are worked out in every pass, so that the emergency pass, which few
        // paragraphs reach, runs code that has seen its operations before.
        const finite = Number.isFinite(ratio);
        const withinEmergency = finite && shrinks && (ratio <= 0 || factor <= emergencyLimit);
        const withinLimit = ratio <= limit && (limit === Infinity || (shrinks && (ratio <= 0 || lineSpaces === 0 || factor <= stretchLimit)));
        const within = limit === EMERGENCY ? withinEmergency : withinLimit;
        // A line that cannot shrink to fit only gets longer from here on: its start is done with.
        const overfull = ratio < -1;
        // The last pass sets even an overfull line when it holds a single atom (a part of a cut word).
        const lone = overfull && limit === Infinity && b === a.atom + 1;
        if (!overfull && !forced) kept[keptCount++] = a;
        if ((overfull && !lone) || !within) continue;
        if (flagged && a.hyphens >= maxConsecutiveHyphens) continue;
        const badness = Math.min(10000, 100 * Math.abs(ratio) ** 3);
        const fitness = ratio < -0.5 ? 0 : ratio <= 0.5 ? 1 : ratio <= 1 ? 2 : 3;
        let demerits = (linePenalty + badness) ** 2 + (cost > 0 ? cost * cost : 0);
        // Added as nothing when they do not apply (x + 0 is x), rather than in branches some
        // paragraphs never reach, for the same reason as the tests above.
        demerits += flagged && a.flagged ? doubleHyphenDemerits : 0;
        demerits += forced && a.flagged ? finalHyphenDemerits : 0;
        demerits += Math.abs(fitness - a.fitness) > 1 ? fitnessDemerits : 0;
        // In the emergency pass, first as few lines as can be past the tolerance, then the best of those settings.
        demerits += ratio > tolerance ? BEYOND_TOLERANCE : 0;
        const line = a.line + 1;
        const hyphens = flagged ? a.hyphens + 1 : 0;
        const total = a.demerits + demerits;
        // Passes 1 and 2 tell breakpoints apart by line number too, so that each line count keeps its best setting;
        // the later passes do not, or a paragraph allowed lines of one word would keep a node for every count.
        const key = ((byLine ? line : 0) * 4 + fitness) * 8 + hyphens;
        let at = 0;
        while (at < candidateCount && keys[at] !== key) at++;
        // A node is made only when it is kept: most feasible lines lose to one found before.
        if (at < candidateCount && !(total < candidates[at]!.demerits)) continue;
        const node: Node = { atom: b, line, fitness, hyphens, flagged, demerits: total, prev: a };
        if (at === candidateCount) {
          keys[candidateCount] = key;
          candidates[candidateCount++] = node;
        } else candidates[at] = node;
      }
      for (let c = 0; c < candidateCount; c++) kept[keptCount++] = candidates[c]!;
      // The two lists trade places: what was active is the next breakpoint's spare.
      spare = active;
      active = kept;
      activeCount = keptCount;
      if (b === n - 1) {
        ends = new Map();
        for (let c = 0; c < candidateCount; c++) {
          const node = candidates[c]!;
          const held = ends.get(node.line);
          if (!held || node.demerits < held.demerits) ends.set(node.line, node);
        }
      }
      if (activeCount === 0) break;
    }
    return ends && ends.size > 0 ? ends : undefined;
  }

  private settingOf(end: Node, hyphenate: boolean): ParagraphSetting {
    const atoms = this.atoms(hyphenate);
    const breaks: Node[] = [];
    for (let node: Node | undefined = end; node && node.atom >= 0; node = node.prev) breaks.unshift(node);
    let from = 0;
    const lines: SetLine[] = [];
    for (const node of breaks) {
      lines.push(this.lineOf(atoms, from, node.atom));
      from = node.atom + 1;
    }
    return { lines, demerits: end.demerits };
  }

  /** The set line of atoms `from`..`to`: whole words as they were measured, a broken word's parts as one piece, with the hyphen. */
  private lineOf(atoms: readonly Atom[], from: number, to: number): SetLine {
    const parts: Array<Pick<Segment, 'pieces'>> = [];
    for (let i = from; i <= to; ) {
      const atom = atoms[i]!;
      const segment = this.segments[atom.segment]!;
      let j = i;
      while (j + 1 <= to && atoms[j + 1]!.segment === atom.segment) j++;
      const whole = !atom.syllable || ((i === 0 || atoms[i - 1]!.segment !== atom.segment) && atoms[j]!.syllable!.last);
      if (whole) parts.push(segment);
      else {
        const piece: Piece = segment.pieces[0]!;
        let text = atoms
          .slice(i, j + 1)
          .map((a) => a.syllable!.text)
          .join('');
        if (!atoms[j]!.syllable!.last) text += HYPHEN;
        parts.push({ pieces: [{ ...piece, text }] });
      }
      i = j + 1;
    }
    const forced = atoms[to]!.after.kind === 'forced';
    return buildLine(parts, this.style, this.measurer, forced);
  }
}

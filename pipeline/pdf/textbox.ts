// Text boxes: a shaded frame under a rule, holding a title, paragraphs and bullets
// set like body text (narrower by the padding) and a source line. Measured once as
// a sequence of lines; a box taller than the room it is given splits between two
// lines where the widow and orphan rule allows, and each part gets its own frame.
import type { ComposedTextbox } from '../compose/compose.ts';
import type { Run } from '../core/text.ts';
import type { SetLine, TextStyle } from '../core/typeset.ts';
import type { PlacedBoxPiece, PlacedLine, PlacedTextbox } from './layout.ts';
import type { MeasuredCommon } from './measure.ts';
import { mayBreakAfter, type WidowRule } from './widows.ts';
import { bold, plain, type Typesetter } from './typesetter.ts';

const TOLERANCE = 0.01;

/** A title, a paragraph, one list item or the source line, as set inside the box. */
export interface BoxPiece {
  readonly role: PlacedBoxPiece['role'];
  readonly inner: number;
  readonly item?: number;
  readonly lines: readonly SetLine[];
  readonly style: TextStyle;
  readonly leading: number;
  /** From the box's inner left edge to the lines (a list item's hanging indent). */
  readonly indent: number;
  readonly label?: SetLine;
  /** Space above the piece, dropped at the top of a part. */
  readonly gapBefore: number;
  /** For a justified paragraph or list item: the measure its lines were set to. */
  readonly justifiedWidth?: number;
}

/** One line of the box: where the box may break, and what breaking costs. */
export interface BoxAtom {
  readonly piece: number;
  readonly line: number;
  readonly height: number;
  readonly gapBefore: number;
  /** A part may end before this line. */
  readonly breakBefore: boolean;
}

export type MeasuredTextbox = MeasuredCommon & {
  readonly kind: 'textbox';
  readonly textbox: ComposedTextbox;
  readonly span: boolean;
  readonly titleRole: PlacedTextbox['titleRole'];
  readonly pieces: readonly BoxPiece[];
  readonly atoms: readonly BoxAtom[];
  /** The whole box in one part. */
  readonly height: number;
  /** What the box takes from a column: its height and the space after it. */
  readonly outerHeight: number;
};

export interface TextboxContext {
  readonly typesetter: Typesetter;
  readonly columnWidth: number;
  readonly pageWidth: number;
  /** The tallest a column gets: a box up to this tall is kept whole. */
  readonly columnHeight: number;
  readonly rule: WidowRule;
  readonly titleRole: PlacedTextbox['titleRole'];
}

export function measureTextbox(textbox: ComposedTextbox, index: number, context: TextboxContext): MeasuredTextbox {
  const { typesetter, rule } = context;
  const pdf = typesetter.theme.pdf;
  const b = pdf.textbox;
  const colors = typesetter.theme.colors;
  const span = textbox.width === 'page';
  const width = span ? context.pageWidth : context.columnWidth;
  const inner = width - 2 * b.padding;
  const bodyStyle = typesetter.style('serif', pdf.body.size);
  const leading = pdf.body.leading;

  const titleStyle = typesetter.style('sans', b.titleSize, colors.brand);
  const pieces: BoxPiece[] = [{ role: 'title', inner: -1, lines: typesetter.set([bold(textbox.title)], titleStyle, inner), style: titleStyle, leading: b.titleLeading, indent: 0, gapBefore: 0 }];
  textbox.blocks.forEach((block, i) => {
    const gap = i === 0 ? b.titleSpaceAfter : pdf.body.paragraphGap;
    if (block.kind === 'paragraph') {
      pieces.push({ role: 'P', inner: i, lines: typesetter.setJustified(block.runs, bodyStyle, inner), style: bodyStyle, leading, indent: 0, gapBefore: gap, justifiedWidth: inner });
      return;
    }
    const { indent, glyph, itemSpacing } = pdf.bullet;
    const [label] = typesetter.set([plain(glyph)], bodyStyle, indent);
    block.items.forEach((runs: readonly Run[], item) => {
      const lines = typesetter.setJustified(runs, bodyStyle, inner - indent);
      pieces.push({ role: 'LI', inner: i, item, lines, style: bodyStyle, leading, indent, ...(label ? { label } : {}), gapBefore: item === 0 ? gap : pdf.body.paragraphGap * itemSpacing, justifiedWidth: inner - indent });
    });
  });
  if (textbox.source) {
    const f = pdf.figure;
    const style = typesetter.style('sans', f.sourceSize, colors.muted);
    pieces.push({ role: 'source', inner: textbox.blocks.length, lines: typesetter.set(textbox.source, style, inner), style, leading: f.sourceSize * f.sourceLineHeight, indent: 0, gapBefore: b.sourceSpaceAbove });
  }

  const atoms: BoxAtom[] = [];
  pieces.forEach((piece, p) => {
    piece.lines.forEach((_, line) => {
      const n = piece.lines.length;
      const previous = pieces[p - 1];
      // Within a piece: the widow and orphan rule. Before a piece: never right under the
      // title (it keeps its first lines company), never before the source line.
      const breakBefore =
        line > 0
          ? piece.role !== 'title' && mayBreakAfter(line, n, rule)
          : p > 0 && previous?.role !== 'title' && piece.role !== 'source';
      atoms.push({ piece: p, line, height: piece.leading, gapBefore: line === 0 ? piece.gapBefore : 0, breakBefore });
    });
  });

  const measured = { kind: 'textbox' as const, index, width, textbox, span, titleRole: context.titleRole, pieces, atoms, footNeed: 0, height: 0, outerHeight: 0 };
  const height = boxPartHeight(measured, 0, atoms.length, typesetter);
  const whole = { ...measured, height, outerHeight: height + b.spaceAfter };
  // A box that fits a column waits for one whole, like a figure; a taller one starts
  // where it is placed, so a heading before it keeps its first part's lines.
  if (span || height <= context.columnHeight) return whole;
  return { ...whole, footNeed: boxPartHeight(whole, 0, fewestAtomsFirst(whole), typesetter) };
}

function fewestAtomsFirst(box: MeasuredTextbox): number {
  for (let k = 1; k < box.atoms.length; k++) if (box.atoms[k]!.breakBefore) return k;
  return box.atoms.length;
}

/** Height of the part holding lines [from, to): the padding above and below, and the lines with the gaps between them. */
export function boxPartHeight(box: Pick<MeasuredTextbox, 'atoms'>, from: number, to: number, typesetter: Typesetter): number {
  let h = 2 * typesetter.theme.pdf.textbox.padding;
  for (let i = from; i < to; i++) h += box.atoms[i]!.height + (i > from ? box.atoms[i]!.gapBefore : 0);
  return h;
}

/**
 * How many lines from `from` on the part placed in `room` points holds: all the
 * rest, or as many as fit ending where a break is allowed; 0 to start in the next
 * column. `forced` (the top of an empty column) takes what fits, at least a line.
 */
export function atomsForPart(box: MeasuredTextbox, from: number, room: number, forced: boolean, typesetter: Typesetter): number {
  const total = box.atoms.length;
  let height = 2 * typesetter.theme.pdf.textbox.padding;
  let best = 0;
  let fitting = 0;
  for (let k = 1; k <= total - from; k++) {
    const atom = box.atoms[from + k - 1]!;
    height += atom.height + (k > 1 ? atom.gapBefore : 0);
    if (height > room + TOLERANCE) break;
    fitting = k;
    if (from + k === total || box.atoms[from + k]!.breakBefore) best = k;
  }
  if (best === 0 && forced) return Math.max(1, fitting);
  return best;
}

/** The part holding lines [from, to), its top left corner at (x, top). */
export function placeBoxPart(box: MeasuredTextbox, from: number, to: number, x: number, top: number, column: number, part: number, typesetter: Typesetter): PlacedTextbox {
  const b = typesetter.theme.pdf.textbox;
  const colors = typesetter.theme.colors;
  const left = x + b.padding;
  let y = top + b.padding;
  const pieces: Array<PlacedBoxPiece & { lines: PlacedLine[] }> = [];
  let open: (PlacedBoxPiece & { lines: PlacedLine[] }) | undefined;
  let openIndex = -1;
  for (let i = from; i < to; i++) {
    const atom = box.atoms[i]!;
    const piece = box.pieces[atom.piece]!;
    if (i > from) y += atom.gapBefore;
    if (openIndex !== atom.piece) {
      const label = atom.line === 0 && piece.label ? typesetter.position([piece.label], left, y, piece.leading, piece.style)[0] : undefined;
      open = { role: piece.role, inner: piece.inner, ...(piece.item === undefined ? {} : { item: piece.item }), lines: [], ...(label ? { label } : {}) };
      openIndex = atom.piece;
      pieces.push(open);
    }
    open!.lines.push(...typesetter.position([piece.lines[atom.line]!], left + piece.indent, y, piece.leading, piece.style));
    y += atom.height;
  }
  y += b.padding;
  const width = box.width;
  const ruleY = top + b.ruleWeight / 2;
  return {
    kind: 'textbox',
    block: box.index,
    column,
    x,
    y: top,
    width,
    height: y - top,
    textbox: box.textbox,
    part,
    last: to === box.atoms.length,
    titleRole: box.titleRole,
    fill: colors.boxFill,
    rule: { kind: 'rule', x1: x, y1: ruleY, x2: x + width, y2: ruleY, color: colors.brand, width: b.ruleWeight },
    pieces,
  };
}

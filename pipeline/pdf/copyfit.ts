// Copyfitting: a brief that runs a few lines past its page budget is brought back
// inside it by setting some paragraphs one line shorter (TeX's \looseness = -1),
// chosen where that costs least. Each paragraph's total-fit breaking already knows
// its best setting a line shorter within the quality limits (core/totalfit.ts), and
// what it costs in demerits; the cheapest are taken, as few as make the brief fit.
import type { SetLine } from '../core/typeset.ts';
import type { Layout, Tightening } from './layout.ts';
import { withItems, withLines, type MeasuredBrief, type WidowRule } from './measure.ts';

interface Candidate extends Tightening {
  /** The tighter setting's lines. */
  readonly set: readonly SetLine[];
}

/** The paragraphs and list items that have a setting one line shorter, cheapest first. */
function candidates(measured: MeasuredBrief): Candidate[] {
  const found: Candidate[] = [];
  measured.blocks.forEach((block, index) => {
    const settings = block.kind === 'paragraph' ? [block.setting] : block.kind === 'bullets' ? block.settings : [];
    settings.forEach((setting, item) => {
      const tighter = setting.variant(-1);
      if (!tighter) return;
      found.push({
        block: index,
        ...(block.kind === 'bullets' ? { item } : {}),
        lines: -1,
        from: setting.lines.length,
        cost: Math.round(tighter.demerits - setting.demerits),
        set: tighter.lines,
      });
    });
  });
  // Ties go to the earlier paragraph, so the choice is the same on every run.
  return found.sort((a, b) => a.cost - b.cost || a.block - b.block || (a.item ?? 0) - (b.item ?? 0));
}

function tighten(measured: MeasuredBrief, chosen: readonly Candidate[], rule: WidowRule): MeasuredBrief {
  const blocks = measured.blocks.map((block, index) => {
    const here = chosen.filter((c) => c.block === index);
    if (here.length === 0) return block;
    if (block.kind === 'paragraph') return withLines(block, here[0]!.set, rule);
    if (block.kind === 'bullets') return withItems(block, block.items.map((lines, item) => here.find((c) => c.item === item)?.set ?? lines), rule);
    return block;
  });
  return { ...measured, blocks };
}

/**
 * The layout with the fewest, cheapest paragraphs tightened that keeps inside the
 * budget, or undefined when even tightening every one that can be does not.
 * `flow` lays out measured blocks; more tightened paragraphs never make the body longer,
 * so the fewest that fit are found by bisection.
 */
export function copyfit(measured: MeasuredBrief, flow: (measured: MeasuredBrief) => Layout, rule: WidowRule): { layout: Layout; tightened: readonly Tightening[] } | undefined {
  const all = candidates(measured);
  if (all.length === 0) return undefined;
  const attempt = (count: number) => flow(tighten(measured, all.slice(0, count), rule));
  let fits = attempt(all.length);
  if (fits.overflow) return undefined;
  let low = 0;
  let high = all.length;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    const layout = attempt(middle);
    if (layout.overflow) low = middle;
    else {
      high = middle;
      fits = layout;
    }
  }
  return { layout: fits, tightened: all.slice(0, high).map(({ set: _set, ...tightening }) => tightening) };
}

// The widow and orphan rule, one definition for every block that may break across
// columns: a paragraph's or list item's lines, a text box's lines, a table's rows.

export interface WidowRule {
  /** Fewest lines (rows) of a block left at the foot of a column. */
  readonly orphans: number;
  /** Fewest lines (rows) of a block carried to the head of the next column. */
  readonly widows: number;
}

/**
 * The widow and orphan rule itself, for lines of text, a text box's lines and a
 * table's rows alike: a block of `total` may break after its first `taken` when at
 * least `orphans` stay before the break and `widows` go after it.
 */
export function mayBreakAfter(taken: number, total: number, rule: WidowRule): boolean {
  return taken >= rule.orphans && total - taken >= rule.widows;
}

/** Whether a block of `total` can break anywhere under the rule. */
export function canSplit(total: number, rule: WidowRule): boolean {
  return total >= rule.orphans + rule.widows;
}

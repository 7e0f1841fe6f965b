// The page's frame: the width between the margins and the columns text flows in.
import { columnWidth } from '../charts/charts.ts';
import type { Theme } from '../core/theme.ts';
import type { ColumnBox, PageLayout } from './layout.ts';

/** Width between the left and right margins. */
export function contentWidth(theme: Theme): number {
  const { page, margin } = theme.pdf;
  return page.width - margin.left - margin.right;
}

/**
 * Width of every body column, on page 1 and on the pages after it alike: the
 * width the charts are drawn for, and the one body blocks are measured at once.
 */
export function bodyColumnWidth(theme: Theme): number {
  return columnWidth(theme);
}

/** Height of a body column on the pages after the first: the most any column holds. */
export function bodyColumnHeight(theme: Theme): number {
  const { page, margin, footer, runningHeader } = theme.pdf;
  return page.height - margin.bottom - footer.height - (margin.top + runningHeader.height);
}

/** Two body columns from `top` to above the footer; the disclaimer page has one, down to the margin. */
export function pageColumns(theme: Theme, kind: PageLayout['kind'], top: number): ColumnBox[] {
  const { page, margin, footer, columnGap } = theme.pdf;
  if (kind === 'disclaimer') return [{ x: margin.left, top, bottom: page.height - margin.bottom, width: contentWidth(theme) }];
  const bottom = page.height - margin.bottom - footer.height;
  const width = bodyColumnWidth(theme);
  return [
    { x: margin.left, top, bottom, width },
    { x: margin.left + width + columnGap, top, bottom, width },
  ];
}

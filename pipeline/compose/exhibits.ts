// Figures, tables and text boxes as both renderers print them: numbered in the
// order the text places them (figures and tables separately), with a caption, and
// the lines that follow them (source, notes, lettered footnotes) from templates.
import { formatNumber, type ChartArtifact } from '../charts/charts.ts';
import type { Run } from '../core/text.ts';
import type { BriefData, Figure, Table, Textbox } from '../input/schema.ts';
import type { ImageData, TableData } from '../validate/validate.ts';
import { cellRuns, type RunResolver } from './runs.ts';
import type { TemplateSet } from './templates.ts';

/** The lines under a figure or a table, in printing order: source, notes, then each footnote ("a. …"). */
export interface Apparatus {
  readonly source?: readonly Run[];
  readonly notes?: readonly Run[];
  readonly footnotes: ReadonlyArray<readonly Run[]>;
}

export interface ComposedFigure {
  readonly id: string;
  readonly number: number;
  /** "Figure 1. Title" */
  readonly caption: string;
  readonly subtitle?: string;
  /** The source line as printed ("Source: …"), also for the deck; absent when the figure names none. */
  readonly source?: string;
  readonly apparatus: Apparatus;
  readonly alt: string;
  /** Exactly one of chart and image. */
  readonly chart?: ChartArtifact;
  readonly image?: ImageData;
}

export interface ComposedTableColumn {
  /** The label's text, footnote marks left out (for measuring and for notes). */
  readonly label: string;
  /** The label as printed: bold in the header row, footnote marks raised. */
  readonly labelRuns: readonly Run[];
  readonly align: 'left' | 'right' | 'center';
}

export interface ComposedTable {
  readonly id: string;
  readonly number: number;
  /** "Table 1. Title" */
  readonly caption: string;
  /** The caption of a part after the first: "Table 1. Title (continued)". */
  readonly continuedCaption: string;
  readonly subtitle?: string;
  readonly columns: readonly ComposedTableColumn[];
  /** Every cell as runs (footnote marks raised), row by row. */
  readonly rows: ReadonlyArray<ReadonlyArray<readonly Run[]>>;
  /** The last row is a total: bold, with a rule above. */
  readonly totalRow: boolean;
  readonly width: 'column' | 'page';
  readonly apparatus: Apparatus;
}

export type TextboxBlock = { readonly kind: 'paragraph'; readonly runs: readonly Run[] } | { readonly kind: 'bullets'; readonly items: ReadonlyArray<readonly Run[]> };

export interface ComposedTextbox {
  readonly title: string;
  readonly blocks: readonly TextboxBlock[];
  readonly source?: readonly Run[];
  readonly width: 'column' | 'page';
}

/** "Figure 1" / "Table 2" by id, numbered in the order the text places them. */
export function numberExhibits(brief: BriefData, templates: TemplateSet): { numbers: Map<string, number>; labels: Map<string, string> } {
  const numbers = new Map<string, number>();
  const labels = new Map<string, string>();
  let figures = 0;
  let tables = 0;
  for (const section of brief.sections) {
    for (const block of section.blocks) {
      if (block.figure !== undefined) {
        numbers.set(block.figure, ++figures);
        labels.set(block.figure, templates.render('pdf/figure-label', { number: figures }));
      } else if (block.table !== undefined) {
        numbers.set(block.table, ++tables);
        labels.set(block.table, templates.render('pdf/table-label', { number: tables }));
      }
    }
  }
  return { numbers, labels };
}

export interface ExhibitInput {
  readonly templates: TemplateSet;
  readonly resolver: RunResolver;
  readonly numbers: ReadonlyMap<string, number>;
}

function apparatus(item: Figure | Table, { templates, resolver }: ExhibitInput): Apparatus {
  const source = item.source === undefined ? undefined : templates.render('pdf/source-line', { label: item.sourceLabel ?? null, source: item.source });
  const notes = item.notes === undefined ? undefined : templates.render('pdf/notes-line', { notes: item.notes });
  return {
    ...(source === undefined ? {} : { source: resolver.runs(source) }),
    ...(notes === undefined ? {} : { notes: resolver.runs(notes) }),
    footnotes: (item.footnotes ?? []).map((f) => resolver.runs(templates.render('pdf/footnote-line', { mark: f.mark, text: f.text }))),
  };
}

export function composeFigure(figure: Figure, chart: ChartArtifact | undefined, image: ImageData | undefined, input: ExhibitInput): ComposedFigure {
  const number = input.numbers.get(figure.id)!;
  const source = figure.source === undefined ? undefined : input.templates.render('pdf/source-line', { label: figure.sourceLabel ?? null, source: figure.source });
  return {
    id: figure.id,
    number,
    caption: input.templates.render('pdf/figure-caption', { number, title: figure.title }),
    ...(figure.subtitle ? { subtitle: figure.subtitle } : {}),
    ...(source === undefined ? {} : { source }),
    apparatus: apparatus(figure, input),
    alt: figure.alt,
    ...(chart ? { chart } : {}),
    ...(image ? { image } : {}),
  };
}

export function composeTable(table: Table, data: TableData, input: ExhibitInput, language: string): ComposedTable {
  const number = input.numbers.get(table.id)!;
  const caption = input.templates.render('pdf/table-caption', { number, title: table.title });
  return {
    id: table.id,
    number,
    caption,
    continuedCaption: input.templates.render('pdf/continued-caption', { caption }),
    ...(table.subtitle ? { subtitle: table.subtitle } : {}),
    columns: data.columns.map((c) => {
      const labelRuns = cellRuns(c.label);
      return { label: labelRuns.filter((r) => !r.superscript).map((r) => r.text).join(''), labelRuns, align: c.align };
    }),
    rows: data.rows.map((row) => row.map((cell, c) => cellRuns(typeof cell === 'number' ? formatNumber(cell, data.columns[c]!.numberFormat!, language) : cell))),
    totalRow: table.totalRow,
    width: table.width,
    apparatus: apparatus(table, input),
  };
}

export function composeTextbox(textbox: Textbox, { templates, resolver }: ExhibitInput): ComposedTextbox {
  const source = textbox.source === undefined ? undefined : templates.render('pdf/source-line', { label: textbox.sourceLabel ?? null, source: textbox.source });
  return {
    title: textbox.title,
    blocks: textbox.blocks.map((b): TextboxBlock => (b.paragraph !== undefined ? { kind: 'paragraph', runs: resolver.runs(b.paragraph) } : { kind: 'bullets', items: b.bullets!.map((item) => resolver.runs(item)) })),
    ...(source === undefined ? {} : { source: resolver.runs(source) }),
    width: textbox.width,
  };
}

// The one description of a brief: zod gives the runtime checks, the TypeScript
// types (z.infer) and the JSON Schema that editors use to autocomplete brief.yaml.
import { z } from 'zod';
import { COLOR_PATTERN, ID_PATTERN, ID_RULE } from '../core/text.ts';

/** Size limits: a hand-written brief never comes close; a generated or corrupted one must not hang the build. */
export const limits = {
  shortText: 300,
  paragraph: 20_000,
  disclaimer: 8_000,
  listItems: 100,
  sections: 60,
  blocksPerSection: 200,
  figures: 20,
  tables: 20,
  tableColumns: 12,
  yamlFileBytes: 1_000_000,
  csvFileBytes: 1_000_000,
  csvRows: 500,
} as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `longer than ${max} characters`);
const shortText = text(limits.shortText);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date written as "YYYY-MM-DD" (quoted)')
  .refine((value) => {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'is not a date that exists');

const webUrl = z
  .string()
  .max(2_000)
  .refine((value) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(value), 'expected an http:// or https:// URL');

const id = z
  .string()
  .regex(ID_PATTERN, `expected ${ID_RULE}`);

/** Whether Intl accepts the tag: the renderers hand it to Intl for number formats and to both outputs' metadata. */
function isLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/** A path relative to the brief's folder; where it may point is checked when loading. */
const relativeFile = z.string().min(1, 'must not be empty').max(500);

export const authorSchema = z.strictObject({
  name: shortText,
  role: shortText.optional().describe('e.g. "Coordinator"; printed between the name and the title'),
  title: shortText.describe('e.g. "Specialist in Asian Affairs"'),
});

/** Text that may carry inline markup, cross-references and links. */
const inlineText = text(limits.paragraph).describe(
  'Inline: **bold**, *italic*, [text](https://…), [text](report:ID), [](#figure-or-table-id) (prints "Figure 1"), bare https:// URLs; \\ escapes a character.',
);
const bulletList = z.array(inlineText).min(1, 'needs at least one item').max(limits.listItems);
const width = z.enum(['column', 'page']).default('column').describe('column (default), or page: across both columns, at the top of a page');

/** What may follow a figure, a table or a text box: notes, lettered footnotes (marked `^a` in the text) and the source line. */
const apparatus = {
  notes: text(4_000).optional().describe('Printed as "Notes: …" under it'),
  footnotes: z
    .array(
      z.strictObject({
        mark: z.string().regex(/^[a-z0-9]{1,3}$/, 'expected a short mark of lower-case letters or digits, e.g. "a"'),
        text: text(4_000),
      }),
    )
    .max(26)
    .optional()
    .describe('Lettered footnotes; `^a` in a cell, the notes or the title prints a superscript a'),
  source: text(2_000).optional().describe('Printed as "Source: …" under it'),
  sourceLabel: shortText.optional().describe('The label before the source, default "Source" (e.g. "Sources")'),
};

/** Exactly one of `keys` is present. */
function oneOf<T extends Record<string, unknown>>(keys: ReadonlyArray<keyof T & string>, what: string) {
  return (value: T, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      message: present.length === 0 ? `${what} needs one of ${keys.join(', ')}` : `${what} holds one of ${keys.join(', ')}, not ${present.join(' and ')}`,
    });
  };
}

/** The blocks a text box may hold. */
export const textBlockSchema = z
  .strictObject({ paragraph: inlineText.optional(), bullets: bulletList.optional() })
  .superRefine(oneOf(['paragraph', 'bullets'], 'a block'));

export const textboxSchema = z.strictObject({
  title: shortText,
  blocks: z.array(textBlockSchema).min(1, 'needs at least one block').max(50),
  width,
  source: apparatus.source,
  sourceLabel: apparatus.sourceLabel,
});

export const blockSchema = z
  .strictObject({
    paragraph: inlineText.optional().describe('Body text'),
    bullets: bulletList.optional(),
    figure: id.optional().describe('The id of a figure in `figures`, placed here in the flow'),
    table: id.optional().describe('The id of a table in `tables`, placed here in the flow'),
    textbox: textboxSchema.optional().describe('A shaded box (sidebar) with a title, its own paragraphs and bullets, and a source line'),
  })
  .superRefine(oneOf(['paragraph', 'bullets', 'figure', 'table', 'textbox'], 'a block'));

export const sectionSchema = z
  .strictObject({
    heading: shortText.optional().describe('Omit for the untitled opening section'),
    level: z
      .union([z.literal(1), z.literal(2)])
      .default(1)
      .describe('1: a heading; 2: a sub-heading, printed smaller'),
    keyPoints: z.array(shortText).max(8).optional().describe('3–5 short bullets for the deck, faithful to the text'),
    blocks: z.array(blockSchema).min(1, 'needs at least one block').max(limits.blocksPerSection),
  })
  .superRefine((section, ctx) => {
    if (section.level === 2 && section.heading === undefined) ctx.addIssue({ code: 'custom', path: ['level'], message: 'a sub-section (level 2) needs a heading' });
  });

const color = z.string().regex(COLOR_PATTERN, 'expected a color written as #RRGGBB');

const numberFormatSchema = z.strictObject({
  decimals: z.number().int().min(0).max(6).default(0),
  prefix: z.string().max(5).default(''),
  suffix: z.string().max(5).default(''),
});

export const seriesSchema = z.strictObject({
  column: z.string().min(1),
  label: shortText,
  color: color.optional(),
  type: z.enum(['bar', 'line']).optional().describe('On a bar chart, `line` draws this series as a line (a combination chart)'),
});

export const annotationSchema = z
  .strictObject({
    value: z.number().finite().optional().describe('A reference line across the chart at this value'),
    from: z.string().min(1).optional().describe('First category of a shaded range, e.g. a recession year'),
    to: z.string().min(1).optional().describe('Last category of the shaded range'),
    label: shortText,
  })
  .superRefine((a, ctx) => {
    const line = a.value !== undefined;
    const range = a.from !== undefined || a.to !== undefined;
    if (line === range) ctx.addIssue({ code: 'custom', message: 'an annotation is either a reference line (value) or a shaded range (from, to)' });
    else if (range && (a.from === undefined || a.to === undefined)) ctx.addIssue({ code: 'custom', path: [a.from === undefined ? 'from' : 'to'], message: 'a shaded range needs both from and to' });
  });

export const chartSchema = z
  .strictObject({
    type: z.enum(['bar', 'line', 'pie']),
    orientation: z.enum(['horizontal', 'vertical']).default('vertical'),
    stacked: z.boolean().default(false).describe('Stack the bars of several series'),
    data: relativeFile.describe('CSV file next to brief.yaml; first row is the header'),
    categoryColumn: z.string().min(1),
    series: z.array(seriesSchema).min(1, 'needs at least one series').max(8),
    axisTitle: shortText.optional().describe('Value axis title, with units'),
    numberFormat: numberFormatSchema.default({ decimals: 0, prefix: '', suffix: '' }),
    annotations: z.array(annotationSchema).max(10).default([]),
  })
  .superRefine((chart, ctx) => {
    if (chart.type === 'pie' && chart.series.length > 1) ctx.addIssue({ code: 'custom', path: ['series'], message: 'a pie chart shows one series' });
    if (chart.type === 'pie' && chart.annotations.length > 0) ctx.addIssue({ code: 'custom', path: ['annotations'], message: 'a pie chart has no axes to annotate' });
    if (chart.type === 'pie' && chart.stacked) ctx.addIssue({ code: 'custom', path: ['stacked'], message: 'a pie chart cannot be stacked' });
    chart.series.forEach((s, i) => {
      if (s.type === 'line' && chart.type !== 'bar') ctx.addIssue({ code: 'custom', path: ['series', i, 'type'], message: 'a series may be drawn as a line only on a bar chart' });
      if (s.type === 'line' && chart.orientation === 'horizontal') ctx.addIssue({ code: 'custom', path: ['series', i, 'type'], message: 'a combination chart needs vertical bars' });
    });
  });

export const figureSchema = z
  .strictObject({
    id,
    title: shortText,
    subtitle: shortText.optional().describe('Year and units, shown under the title'),
    alt: text(2_000).describe('Alternative text for screen readers: what the figure shows'),
    chart: chartSchema.optional().describe('A chart drawn from a CSV file'),
    image: relativeFile.optional().describe('An SVG, PNG or JPEG file next to brief.yaml, drawn instead of a chart'),
    ...apparatus,
  })
  .superRefine(oneOf(['chart', 'image'], 'a figure'));

export const tableColumnSchema = z.strictObject({
  column: z.string().min(1).describe('A column of the CSV header'),
  label: shortText.optional().describe('The printed label; default: the header'),
  align: z.enum(['left', 'right', 'center']).optional().describe('Default: right for numbers, left for text'),
  numberFormat: numberFormatSchema.optional().describe('Format the numbers of this column (as for charts)'),
});

export const tableSchema = z.strictObject({
  id,
  title: shortText,
  subtitle: shortText.optional().describe('e.g. the units, shown under the title'),
  data: relativeFile.describe('CSV file next to brief.yaml; its header row gives the column labels'),
  columns: z.array(tableColumnSchema).min(1).max(limits.tableColumns).optional().describe('Which CSV columns to print, in order, and how; default: all'),
  totalRow: z.boolean().default(false).describe('The last row is a total: bold, with a rule above'),
  width,
  ...apparatus,
});

export const relatedReportSchema = z.strictObject({
  id,
  kind: shortText.describe('e.g. "CRS Report" or "CRS In Focus"'),
  title: shortText,
  url: webUrl,
});

export const briefSchema = z.strictObject({
  id: id.describe('Product code, e.g. IF10199; also the output file name'),
  series: shortText.describe('e.g. "In Focus"'),
  title: shortText,
  shortTitle: shortText.optional().describe('Running header on pages 2 and later; defaults to the title'),
  updated: isoDate.describe('Date of this version, "YYYY-MM-DD"'),
  version: z.number().int().min(1).max(999),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "en-US"')
    .refine(isLanguageTag, 'is not a well-formed language tag (BCP 47), e.g. "en-US" or "fr-CA"')
    .describe('BCP 47 language tag of the text; sets hyphenation, number formats and the language of both outputs'),
  publisher: z.strictObject({
    name: shortText,
    tagline: shortText.optional(),
    url: webUrl,
  }),
  authors: z.array(authorSchema).min(1, 'needs at least one author').max(20),
  summary: z.array(shortText).max(8).optional().describe('Key points of the whole brief, for the deck'),
  sections: z.array(sectionSchema).min(1, 'needs at least one section').max(limits.sections),
  figures: z.array(figureSchema).max(limits.figures).default([]),
  tables: z.array(tableSchema).max(limits.tables).default([]),
  relatedReports: z.array(relatedReportSchema).max(50).default([]),
  disclaimer: text(limits.disclaimer),
});

export type BriefData = z.infer<typeof briefSchema>;
export type Author = z.infer<typeof authorSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type Block = z.infer<typeof blockSchema>;
export type Figure = z.infer<typeof figureSchema>;
export type Table = z.infer<typeof tableSchema>;
export type TableColumn = z.infer<typeof tableColumnSchema>;
export type Textbox = z.infer<typeof textboxSchema>;
export type Annotation = z.infer<typeof annotationSchema>;
export type NumberFormat = z.infer<typeof numberFormatSchema>;
export type ChartSpec = z.infer<typeof chartSchema>;
export type RelatedReport = z.infer<typeof relatedReportSchema>;

/** JSON Schema for editors (data/brief.schema.json), generated from the same zod schema. */
export function briefJsonSchema(): object {
  return z.toJSONSchema(briefSchema, { io: 'input', unrepresentable: 'any' });
}

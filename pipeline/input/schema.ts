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

export const blockSchema = z
  .strictObject({
    paragraph: text(limits.paragraph)
      .optional()
      .describe('Body text. Inline: **bold**, *italic*, [text](https://…) or [text](report:ID); \\ escapes a character.'),
    bullets: z.array(text(limits.paragraph)).min(1, 'needs at least one item').max(limits.listItems).optional(),
    figure: id.optional().describe('The id of a figure in `figures`, placed here in the flow'),
  })
  .superRefine((block, ctx) => {
    const kinds = (['paragraph', 'bullets', 'figure'] as const).filter((k) => block[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          kinds.length === 0
            ? 'a block needs one of paragraph, bullets or figure'
            : `a block holds one of paragraph, bullets or figure, not ${kinds.join(' and ')}`,
      });
    }
  });

export const sectionSchema = z.strictObject({
  heading: shortText.optional().describe('Omit for the untitled opening section'),
  keyPoints: z.array(shortText).max(8).optional().describe('3–5 short bullets for the deck, faithful to the text'),
  blocks: z.array(blockSchema).min(1, 'needs at least one block').max(limits.blocksPerSection),
});

export const seriesSchema = z.strictObject({
  column: z.string().min(1),
  label: shortText,
  color: z
    .string()
    .regex(COLOR_PATTERN, 'expected a color written as #RRGGBB')
    .optional(),
});

export const chartSchema = z.strictObject({
  type: z.enum(['bar', 'line', 'pie']),
  orientation: z.enum(['horizontal', 'vertical']).default('vertical'),
  data: relativeFile.describe('CSV file next to brief.yaml; first row is the header'),
  categoryColumn: z.string().min(1),
  series: z.array(seriesSchema).min(1, 'needs at least one series').max(8),
  axisTitle: shortText.optional().describe('Value axis title, with units'),
  numberFormat: z
    .strictObject({
      decimals: z.number().int().min(0).max(6).default(0),
      prefix: z.string().max(5).default(''),
      suffix: z.string().max(5).default(''),
    })
    .default({ decimals: 0, prefix: '', suffix: '' }),
});

export const figureSchema = z.strictObject({
  id,
  title: shortText,
  subtitle: shortText.optional().describe('Year and units, shown under the title'),
  source: shortText.describe('Printed as "Source: …" under the figure'),
  alt: text(1_000).describe('Alternative text for screen readers'),
  chart: chartSchema,
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
  relatedReports: z.array(relatedReportSchema).max(50).default([]),
  disclaimer: text(limits.disclaimer),
});

export type BriefData = z.infer<typeof briefSchema>;
export type Author = z.infer<typeof authorSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type Block = z.infer<typeof blockSchema>;
export type Figure = z.infer<typeof figureSchema>;
export type ChartSpec = z.infer<typeof chartSchema>;
export type RelatedReport = z.infer<typeof relatedReportSchema>;

/** JSON Schema for editors (data/brief.schema.json), generated from the same zod schema. */
export function briefJsonSchema(): object {
  return z.toJSONSchema(briefSchema, { io: 'input', unrepresentable: 'any' });
}

// Stage 4: fill the Handlebars templates and turn the validated brief into the
// composed content both renderers draw: every generated word comes from a template,
// every body word from the data, with inline markup parsed, links resolved and
// figures and tables numbered (exhibits.ts).
import type { ChartArtifact } from '../charts/charts.ts';
import { joinRuns, plainRun, type Run } from '../core/text.ts';
import type { BriefData } from '../input/schema.ts';
import type { ImageData, TableData } from '../validate/validate.ts';
import { composeFigure, composeTable, composeTextbox, numberExhibits, type ComposedFigure, type ComposedTable, type ComposedTextbox, type ExhibitInput } from './exhibits.ts';
import { RunResolver } from './runs.ts';
import type { TemplateSet } from './templates.ts';

export type { Apparatus, ComposedFigure, ComposedTable, ComposedTableColumn, ComposedTextbox, TextboxBlock } from './exhibits.ts';

export type BodyBlock =
  | { readonly kind: 'heading'; readonly text: string; readonly level: 1 | 2; readonly section: number }
  /** `block`: its place among the section's blocks in brief.yaml, where a message about it points. */
  | { readonly kind: 'paragraph'; readonly runs: readonly Run[]; readonly section: number; readonly block: number }
  | { readonly kind: 'bullets'; readonly items: ReadonlyArray<readonly Run[]>; readonly section: number; readonly block: number }
  | { readonly kind: 'figure'; readonly figure: ComposedFigure; readonly section: number }
  | { readonly kind: 'table'; readonly table: ComposedTable; readonly section: number }
  | { readonly kind: 'textbox'; readonly textbox: ComposedTextbox; readonly section: number };

/**
 * A figure, table or text box in the deck: a slide of its own after its section's
 * points. `caption` is its numbered title ("Figure 1. …"), which the deck may move
 * under a takeaway taken from the sentence that cites it (`id`).
 */
export type DeckExhibit =
  | { readonly kind: 'figure'; readonly id: string; readonly title: string; readonly source?: string; readonly notes: Notes; readonly figure: ComposedFigure }
  | { readonly kind: 'table'; readonly id: string; readonly title: string; readonly continuedTitle: string; readonly notes: Notes; readonly table: ComposedTable }
  | { readonly kind: 'textbox'; readonly title: string; readonly continuedTitle: string; readonly notes: Notes; readonly textbox: ComposedTextbox };

/**
 * Speaker notes: runs, so that the italics and bold of the data survive into them;
 * a line break is text ('\n') and a blank line parts paragraphs.
 */
export type Notes = readonly Run[];

/** A section's text for the deck, as the data gives it: a paragraph, or a list whose items are points already. */
export type DeckBlock = { readonly kind: 'paragraph'; readonly runs: readonly Run[] } | { readonly kind: 'list'; readonly items: ReadonlyArray<readonly Run[]> };

export interface DeckSection {
  /** The section's heading; absent for the untitled opening section. */
  readonly heading?: string;
  readonly title: string;
  readonly continuedTitle: string;
  /** 2 for a sub-section, which gets slides of its own like a section. */
  readonly level: 1 | 2;
  /** The authors' bullets for this section (`keyPoints`), which override any chosen from the text. */
  readonly keyPoints?: ReadonlyArray<readonly Run[]>;
  /** The section's paragraphs and lists, in order (the deck chooses its points from them). */
  readonly blocks: readonly DeckBlock[];
  readonly notes: Notes;
  /** Figures, tables and text boxes in the order the section places them. */
  readonly exhibits: readonly DeckExhibit[];
}

export interface ComposedBrief {
  readonly id: string;
  readonly version: number;
  readonly language: string;
  readonly title: string;
  /** ISO date of this version, from the data. */
  readonly updated: string;
  readonly pdf: {
    readonly publisherName: string;
    readonly publisherTagline?: string;
    readonly seriesLabel: string;
    readonly dateLine: string;
    readonly runningHeader: string;
    readonly footer: string;
    readonly footerUrl: string;
    readonly productLine: string;
    readonly disclaimerHeading: string;
    readonly disclaimer: string;
    readonly subject: string;
    readonly keywords: string;
    readonly author: string;
  };
  readonly body: readonly BodyBlock[];
  readonly authors: ReadonlyArray<{ readonly name: string; readonly detail: string }>;
  readonly productCode: string;
  /** The brief's related reports as the data gives them; each output words and places them itself. */
  readonly relatedReports: ReadonlyArray<{ readonly id: string; readonly kind: string; readonly title: string; readonly url: string }>;
  readonly deck: {
    readonly wordmark: string;
    /** Put in the notes before a sentence the slide shows only the head of. */
    readonly shortenedLabel: string;
    readonly footer: string;
    readonly title: { readonly title: string; readonly subtitle: string; readonly authors: string };
    /** `authored`: the brief's `summary`, which overrides the points the deck chooses from the text. */
    readonly keyPoints: { readonly title: string; readonly continuedTitle: string; readonly authored?: ReadonlyArray<readonly Run[]> };
    readonly sections: readonly DeckSection[];
    readonly more?: {
      readonly title: string;
      readonly continuedTitle: string;
      /** The report's code is the link; its title follows as plain text. */
      readonly links: ReadonlyArray<{ readonly text: string; readonly after: string; readonly url: string }>;
      readonly notes: Notes;
    };
    readonly authors: { readonly title: string; readonly continuedTitle: string; readonly lines: readonly string[] };
    readonly disclaimer: { readonly title: string; readonly continuedTitle: string; readonly text: string };
  };
}

export interface ComposeInput {
  readonly brief: BriefData;
  readonly charts: ReadonlyMap<string, ChartArtifact>;
  readonly tables: ReadonlyMap<string, TableData>;
  readonly images: ReadonlyMap<string, ImageData>;
  readonly templates: TemplateSet;
}

export function compose({ brief, charts, tables, images, templates }: ComposeInput): ComposedBrief {
  const isNew = brief.version === 1;
  // Strict templates throw on a missing field, so optional fields are present as null.
  const base = {
    id: brief.id,
    series: brief.series,
    title: brief.title,
    shortTitle: brief.shortTitle ?? null,
    updated: brief.updated,
    version: brief.version,
    isNew,
    publisher: { name: brief.publisher.name, tagline: brief.publisher.tagline ?? null, url: brief.publisher.url },
    authors: brief.authors.map((a) => ({ name: a.name, role: a.role ?? null, title: a.title })),
    headings: brief.sections.flatMap((s) => (s.heading ? [s.heading] : [])),
  };
  const { numbers, labels } = numberExhibits(brief, templates);
  const resolver = new RunResolver(new Map(brief.relatedReports.map((r) => [r.id, r.url])), labels);
  const resolveRuns = (source: string): Run[] => resolver.runs(source);
  const exhibitInput: ExhibitInput = { templates, resolver, numbers };
  const figures = new Map(brief.figures.map((f) => [f.id, composeFigure(f, charts.get(f.id), images.get(f.id), exhibitInput)]));
  const composedTables = new Map(brief.tables.map((t) => [t.id, composeTable(t, tables.get(t.id)!, exhibitInput, brief.language)]));

  const body: BodyBlock[] = [];
  brief.sections.forEach((section, s) => {
    if (section.heading) body.push({ kind: 'heading', text: section.heading, level: section.level, section: s });
    section.blocks.forEach((block, b) => {
      if (block.paragraph !== undefined) body.push({ kind: 'paragraph', runs: resolveRuns(block.paragraph), section: s, block: b });
      else if (block.bullets) body.push({ kind: 'bullets', items: block.bullets.map(resolveRuns), section: s, block: b });
      else if (block.figure !== undefined) body.push({ kind: 'figure', figure: figures.get(block.figure)!, section: s });
      else if (block.table !== undefined) body.push({ kind: 'table', table: composedTables.get(block.table)!, section: s });
      else if (block.textbox) body.push({ kind: 'textbox', textbox: composeTextbox(block.textbox, exhibitInput), section: s });
    });
  });

  const dateLine = templates.render('pdf/date-line', base);
  const moreTitle = templates.render('deck/more-title', base);
  const mergedIntoMore = (heading: string | undefined) =>
    brief.relatedReports.length > 0 && heading !== undefined && heading.toLowerCase() === moreTitle.toLowerCase();

  const deckSections: DeckSection[] = [];
  let moreNotes: Notes = [];
  brief.sections.forEach((section) => {
    // A list's items are points already: each becomes a bullet as it stands, marked "• " only in the notes.
    const paragraphs = section.blocks.flatMap((b) =>
      b.paragraph !== undefined ? [resolveRuns(b.paragraph)] : (b.bullets ?? []).map((item) => [plainRun('• '), ...resolveRuns(item)]),
    );
    const notes = templates.renderRuns('deck/section-notes', base, { paragraphs });
    if (mergedIntoMore(section.heading)) {
      moreNotes = notes;
      return;
    }
    const title = section.heading ?? templates.render('deck/opening-title', base);
    const blocks = section.blocks.flatMap((b): DeckBlock[] =>
      b.paragraph !== undefined ? [{ kind: 'paragraph', runs: resolveRuns(b.paragraph) }] : b.bullets ? [{ kind: 'list', items: b.bullets.map(resolveRuns) }] : [],
    );
    const exhibits = section.blocks.flatMap((b): DeckExhibit[] => {
      if (b.figure !== undefined) {
        const figure = figures.get(b.figure)!;
        const spec = brief.figures.find((f) => f.id === b.figure)!;
        const source = spec.source === undefined ? null : templates.render('deck/source-line', { label: spec.sourceLabel ?? null, source: spec.source });
        const context = { ...base, number: figure.number, title: spec.title, subtitle: figure.subtitle ?? null, alt: figure.alt, source };
        return [
          { kind: 'figure', id: b.figure, title: templates.render('deck/figure-title', context), ...(source === null ? {} : { source }), notes: textRuns(templates.render('deck/figure-notes', context)), figure },
        ];
      }
      if (b.table !== undefined) {
        const table = composedTables.get(b.table)!;
        const title = templates.render('deck/table-title', { ...base, number: table.number, title: brief.tables.find((t) => t.id === b.table)!.title });
        return [{ kind: 'table', id: b.table, title, continuedTitle: templates.render('deck/continued-title', { ...base, title }), notes: apparatusText(table.apparatus), table }];
      }
      if (b.textbox) {
        const textbox = composeTextbox(b.textbox, exhibitInput);
        const paragraphs = textbox.blocks.flatMap((x) => (x.kind === 'paragraph' ? [x.runs] : x.items.map((item) => [plainRun('• '), ...item])));
        const notes = templates.renderRuns('deck/section-notes', base, { paragraphs: [...paragraphs, ...(textbox.source ? [textbox.source] : [])] });
        return [{ kind: 'textbox', title: textbox.title, continuedTitle: templates.render('deck/continued-title', { ...base, title: textbox.title }), notes, textbox }];
      }
      return [];
    });
    deckSections.push({
      ...(section.heading === undefined ? {} : { heading: section.heading }),
      title,
      continuedTitle: templates.render('deck/continued-title', { ...base, title }),
      level: section.level,
      ...(section.keyPoints ? { keyPoints: section.keyPoints.map(resolveRuns) } : {}),
      blocks,
      notes,
      exhibits,
    });
  });

  return {
    id: brief.id,
    version: brief.version,
    language: brief.language,
    title: brief.title,
    updated: brief.updated,
    pdf: {
      publisherName: brief.publisher.name,
      ...(brief.publisher.tagline ? { publisherTagline: brief.publisher.tagline } : {}),
      seriesLabel: templates.render('pdf/series-label', base),
      dateLine,
      runningHeader: templates.render('pdf/running-header', base),
      footer: templates.render('pdf/footer', base),
      footerUrl: brief.publisher.url,
      productLine: templates.render('pdf/product-line', base),
      disclaimerHeading: templates.render('pdf/disclaimer-heading', base),
      disclaimer: brief.disclaimer,
      subject: templates.render('pdf/doc-subject', base),
      keywords: templates.render('pdf/doc-keywords', base),
      author: brief.authors.map((a) => a.name).join(', '),
    },
    body,
    authors: base.authors.map((a) => ({ name: a.name, detail: templates.render('pdf/author-detail', { ...base, ...a }) })),
    productCode: brief.id,
    relatedReports: brief.relatedReports.map((r) => ({ id: r.id, kind: r.kind, title: r.title, url: r.url })),
    deck: {
      wordmark: templates.render('deck/wordmark', base),
      shortenedLabel: templates.render('deck/shortened-label', base),
      footer: templates.render('deck/footer', base),
      title: { title: brief.title, subtitle: templates.render('deck/title-subtitle', base), authors: templates.render('deck/title-authors', base) },
      keyPoints: {
        title: templates.render('deck/key-points-title', base),
        continuedTitle: templates.render('deck/continued-title', { ...base, title: templates.render('deck/key-points-title', base) }),
        ...(brief.summary ? { authored: brief.summary.map(resolveRuns) } : {}),
      },
      sections: deckSections,
      ...(brief.relatedReports.length > 0
        ? {
            more: {
              title: moreTitle,
              continuedTitle: templates.render('deck/continued-title', { ...base, title: moreTitle }),
              links: brief.relatedReports.map((r) => ({
                text: templates.render('deck/report-link', { ...base, ...r }),
                after: templates.render('deck/report-title', { ...base, ...r }),
                url: r.url,
              })),
              notes: moreNotes,
            },
          }
        : {}),
      authors: {
        title: templates.render('deck/authors-title', base),
        continuedTitle: templates.render('deck/continued-title', { ...base, title: templates.render('deck/authors-title', base) }),
        lines: base.authors.map((a) => templates.render('deck/author-line', { ...base, ...a })),
      },
      disclaimer: {
        title: templates.render('deck/disclaimer-title', base),
        continuedTitle: templates.render('deck/continued-title', { ...base, title: templates.render('deck/disclaimer-title', base) }),
        text: brief.disclaimer,
      },
    },
  };
}

/** The lines under a table, one a line, for the speaker notes. */
function apparatusText(apparatus: ComposedTable['apparatus']): Notes {
  return joinRuns([apparatus.source, apparatus.notes, ...apparatus.footnotes].flatMap((runs) => (runs ? [runs] : [])), '\n');
}

/** A template's plain text as notes: none when it is empty. */
const textRuns = (text: string): Notes => (text === '' ? [] : [plainRun(text)]);

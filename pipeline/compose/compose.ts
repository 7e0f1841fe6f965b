// Stage 4: fill the Handlebars templates and turn the validated brief into the
// composed content both renderers draw: every generated word comes from a template,
// every body word from the data, with inline markup parsed and links resolved.
import type { ChartArtifact } from '../charts/charts.ts';
import { plainText, type Run } from '../core/text.ts';
import { parseInline, reportTarget } from '../input/inline.ts';
import type { BriefData, Figure } from '../input/schema.ts';
import type { TemplateSet } from './templates.ts';

export type BodyBlock =
  | { readonly kind: 'heading'; readonly text: string; readonly section: number }
  | { readonly kind: 'paragraph'; readonly runs: readonly Run[]; readonly section: number }
  | { readonly kind: 'bullets'; readonly items: ReadonlyArray<readonly Run[]>; readonly section: number }
  | { readonly kind: 'figure'; readonly figure: ComposedFigure; readonly section: number };

export interface ComposedFigure {
  readonly id: string;
  readonly number: number;
  readonly caption: string;
  readonly subtitle?: string;
  readonly source: string;
  readonly alt: string;
  readonly chart: ChartArtifact;
}

export interface DeckSection {
  readonly title: string;
  readonly continuedTitle: string;
  readonly bullets: readonly string[];
  readonly notes: string;
  readonly figures: ReadonlyArray<{ readonly title: string; readonly source: string; readonly notes: string; readonly figure: ComposedFigure }>;
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
  readonly deck: {
    readonly wordmark: string;
    readonly footer: string;
    readonly title: { readonly title: string; readonly subtitle: string; readonly authors: string };
    readonly keyPoints: { readonly title: string; readonly points: readonly string[] };
    readonly sections: readonly DeckSection[];
    readonly more?: {
      readonly title: string;
      readonly continuedTitle: string;
      /** The report's code is the link; its title follows as plain text. */
      readonly links: ReadonlyArray<{ readonly text: string; readonly after: string; readonly url: string }>;
      readonly notes: string;
    };
    readonly authors: { readonly title: string; readonly continuedTitle: string; readonly lines: readonly string[] };
    readonly disclaimer: { readonly title: string; readonly continuedTitle: string; readonly text: string };
  };
}

export interface ComposeInput {
  readonly brief: BriefData;
  readonly charts: ReadonlyMap<string, ChartArtifact>;
  readonly templates: TemplateSet;
}

export function compose({ brief, charts, templates }: ComposeInput): ComposedBrief {
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
  const reportUrls = new Map(brief.relatedReports.map((r) => [r.id, r.url]));
  const resolveRuns = (source: string): Run[] =>
    parseInline(source).map((run) => {
      const report = run.href === undefined ? undefined : reportTarget(run.href);
      return report === undefined ? run : { ...run, href: reportUrls.get(report)! };
    });

  const figuresById = new Map<string, Figure>(brief.figures.map((f) => [f.id, f]));
  const composedFigures = new Map<string, ComposedFigure>();
  const body: BodyBlock[] = [];
  brief.sections.forEach((section, s) => {
    if (section.heading) body.push({ kind: 'heading', text: section.heading, section: s });
    for (const block of section.blocks) {
      if (block.paragraph !== undefined) body.push({ kind: 'paragraph', runs: resolveRuns(block.paragraph), section: s });
      else if (block.bullets) body.push({ kind: 'bullets', items: block.bullets.map(resolveRuns), section: s });
      else if (block.figure !== undefined) {
        const figure = figuresById.get(block.figure)!;
        const context = { ...base, number: composedFigures.size + 1, title: figure.title, source: figure.source, subtitle: figure.subtitle ?? null, alt: figure.alt };
        const composed: ComposedFigure = {
          id: figure.id,
          number: context.number,
          caption: templates.render('pdf/figure-caption', context),
          ...(figure.subtitle ? { subtitle: figure.subtitle } : {}),
          source: templates.render('pdf/figure-source', context),
          alt: figure.alt,
          chart: charts.get(figure.id)!,
        };
        composedFigures.set(figure.id, composed);
        body.push({ kind: 'figure', figure: composed, section: s });
      }
    }
  });

  const dateLine = templates.render('pdf/date-line', base);
  const moreTitle = templates.render('deck/more-title', base);
  const mergedIntoMore = (heading: string | undefined) =>
    brief.relatedReports.length > 0 && heading !== undefined && heading.toLowerCase() === moreTitle.toLowerCase();

  const deckSections: DeckSection[] = [];
  let moreNotes = '';
  brief.sections.forEach((section) => {
    const paragraphs = section.blocks.flatMap((b) =>
      b.paragraph !== undefined ? [plainText(resolveRuns(b.paragraph))] : b.bullets ? b.bullets.map((item) => `• ${plainText(resolveRuns(item))}`) : [],
    );
    const notes = templates.render('deck/section-notes', { ...base, paragraphs });
    if (mergedIntoMore(section.heading)) {
      moreNotes = notes;
      return;
    }
    const title = section.heading ?? templates.render('deck/opening-title', base);
    const bullets = section.keyPoints?.map((p) => plainText(parseInline(p))) ?? paragraphs.map(firstSentence);
    const figures = section.blocks.flatMap((b) => {
      const figure = b.figure !== undefined ? composedFigures.get(b.figure) : undefined;
      if (!figure) return [];
      const context = { ...base, number: figure.number, title: figuresById.get(figure.id)!.title, source: figuresById.get(figure.id)!.source, subtitle: figure.subtitle ?? null, alt: figure.alt };
      return [{ title: templates.render('deck/figure-title', context), source: templates.render('deck/figure-source', context), notes: templates.render('deck/figure-notes', context), figure }];
    });
    deckSections.push({ title, continuedTitle: templates.render('deck/continued-title', { ...base, title }), bullets, notes, figures });
  });

  const summary = brief.summary?.map((p) => plainText(parseInline(p))) ?? deckSections.map((s) => s.bullets[0] ?? '').filter(Boolean);

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
    deck: {
      wordmark: templates.render('deck/wordmark', base),
      footer: templates.render('deck/footer', base),
      title: { title: brief.title, subtitle: templates.render('deck/title-subtitle', base), authors: templates.render('deck/title-authors', base) },
      keyPoints: { title: templates.render('deck/key-points-title', base), points: summary },
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

const ABBREVIATIONS = /(?:\b[A-Z]\.(?:[A-Z]\.)*|\b(?:e\.g|i\.e|Mr|Mrs|Ms|Dr|St|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$/;

/** The first sentence of a paragraph, for a deck bullet when the data gives none. */
export function firstSentence(text: string): string {
  const re = /[.!?][”’"')]*\s+(?=[“‘"(]?[A-Z0-9])/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text))) {
    const candidate = text.slice(0, match.index + match[0].trimEnd().length);
    if (!ABBREVIATIONS.test(text.slice(0, match.index + 1))) return candidate;
  }
  return text;
}

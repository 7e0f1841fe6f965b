// References inside a brief: ids are unique, every placed figure and table exists
// and is placed once, every defined one is placed, every link has an allowed
// scheme, every report link names a related report, every cross-reference names
// a figure or table, and every footnote mark has its footnote.
import { DiagnosticCode } from '../core/diagnostics.ts';
import { crossReferenceTarget, linkProblem, parseInline, reportTarget } from '../input/inline.ts';
import type { BriefData } from '../input/schema.ts';
import { errorAt, warningAt, type Checks } from './context.ts';
import { didYouMean } from './suggest.ts';

/** `^a` in text prints a superscript a, the mark of footnote a. */
export const FOOTNOTE_MARK = /\^([a-z0-9]{1,3})/g;

export function checkReferences(checks: Checks, brief: BriefData): void {
  checkUniqueIds(checks, brief.figures, 'figures');
  checkUniqueIds(checks, brief.tables, 'tables');
  checkUniqueIds(checks, brief.relatedReports, 'relatedReports');
  const targets = {
    reports: new Set(brief.relatedReports.map((r) => r.id)),
    numbered: new Set([...brief.figures, ...brief.tables].map((x) => x.id)),
  };
  for (const [text, path] of inlineTexts(brief)) checkLinksIn(checks, text, path, targets);
  checkPlacement(checks, brief, 'figure');
  checkPlacement(checks, brief, 'table');
  checkFootnotes(checks, brief);
  checkPlainFields(checks, brief);
  checkHeadingLevels(checks, brief);
}

/** Fields printed as they are typed (headings, titles): a link or cross-reference there would print as raw markup. */
function* plainFields(brief: BriefData): Generator<[string, PropertyKey[]]> {
  yield [brief.title, ['title']];
  if (brief.shortTitle !== undefined) yield [brief.shortTitle, ['shortTitle']];
  for (const [s, section] of brief.sections.entries()) {
    if (section.heading !== undefined) yield [section.heading, ['sections', s, 'heading']];
    for (const [b, block] of section.blocks.entries()) if (block.textbox) yield [block.textbox.title, ['sections', s, 'blocks', b, 'textbox', 'title']];
  }
  for (const [list, items] of [['figures', brief.figures], ['tables', brief.tables]] as const) {
    for (const [i, item] of items.entries()) {
      yield [item.title, [list, i, 'title']];
      if (item.subtitle !== undefined) yield [item.subtitle, [list, i, 'subtitle']];
    }
  }
}

const LINK_MARKUP = /\[[^\]]*\]\([^)\s]+\)/;

function checkPlainFields(checks: Checks, brief: BriefData): void {
  for (const [text, path] of plainFields(brief)) {
    if (!LINK_MARKUP.test(text)) continue;
    errorAt(checks, DiagnosticCode.markupNotAllowed, path, 'a link or cross-reference here would print as typed').hint('links and cross-references work in paragraphs, bullets, notes, footnotes and source lines');
  }
}

/** A sub-heading sits under a heading: before the first heading there is nothing for it to belong to. */
function checkHeadingLevels(checks: Checks, brief: BriefData): void {
  let headed = false;
  brief.sections.forEach((section, s) => {
    if (section.level === 2 && !headed) errorAt(checks, DiagnosticCode.subheadingFirst, ['sections', s, 'level'], 'a sub-heading (level 2) comes before any heading of level 1').hint('make it level 1, or put a heading before it');
    if (section.heading !== undefined && section.level === 1) headed = true;
  });
}

/** Every text of the brief that may carry inline markup, with its field path. */
function* inlineTexts(brief: BriefData): Generator<[string, PropertyKey[]]> {
  for (const [s, section] of brief.sections.entries()) {
    for (const [b, block] of section.blocks.entries()) {
      const path = ['sections', s, 'blocks', b];
      if (block.paragraph !== undefined) yield [block.paragraph, [...path, 'paragraph']];
      for (const [i, item] of (block.bullets ?? []).entries()) yield [item, [...path, 'bullets', i]];
      if (block.textbox) {
        for (const [t, inner] of block.textbox.blocks.entries()) {
          const innerPath = [...path, 'textbox', 'blocks', t];
          if (inner.paragraph !== undefined) yield [inner.paragraph, [...innerPath, 'paragraph']];
          for (const [i, item] of (inner.bullets ?? []).entries()) yield [item, [...innerPath, 'bullets', i]];
        }
        if (block.textbox.source !== undefined) yield [block.textbox.source, [...path, 'textbox', 'source']];
      }
    }
  }
  for (const [list, items] of [['figures', brief.figures], ['tables', brief.tables]] as const) {
    for (const [i, item] of items.entries()) {
      if (item.notes !== undefined) yield [item.notes, [list, i, 'notes']];
      if (item.source !== undefined) yield [item.source, [list, i, 'source']];
      for (const [n, note] of (item.footnotes ?? []).entries()) yield [note.text, [list, i, 'footnotes', n, 'text']];
    }
  }
}

function checkUniqueIds(checks: Checks, items: ReadonlyArray<{ id: string }>, listName: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const key = item.id.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    const sameCase = items[first]!.id === item.id;
    errorAt(checks, DiagnosticCode.duplicateId, [listName, index, 'id'], `duplicate id "${item.id}"${sameCase ? '' : ` (differs only in case from "${items[first]!.id}")`}`).hint(
      `first used at ${listName}[${first}]`,
    );
  });
}

function checkLinksIn(checks: Checks, text: string, path: PropertyKey[], targets: { reports: ReadonlySet<string>; numbered: ReadonlySet<string> }): void {
  for (const run of parseInline(text)) {
    if (!run.href) continue;
    const problem = linkProblem(run.href);
    if (problem) {
      errorAt(checks, DiagnosticCode.linkScheme, path, problem);
      continue;
    }
    const report = reportTarget(run.href);
    if (report !== undefined && !targets.reports.has(report)) {
      errorAt(checks, DiagnosticCode.undefinedReport, path, `link to report "${report}", which relatedReports does not define`).hint(didYouMean(report, targets.reports));
    }
    const reference = crossReferenceTarget(run.href);
    if (reference !== undefined && !targets.numbered.has(reference)) {
      errorAt(checks, DiagnosticCode.undefinedReference, path, `cross-reference to "${reference}", which is neither a figure nor a table of this brief`).hint(
        didYouMean(reference, targets.numbered),
      );
    }
  }
}

const PLACEMENT = {
  figure: { list: 'figures', undefinedCode: DiagnosticCode.undefinedFigure, twice: DiagnosticCode.figurePlacedTwice, never: DiagnosticCode.figureNotPlaced },
  table: { list: 'tables', undefinedCode: DiagnosticCode.undefinedTable, twice: DiagnosticCode.tablePlacedTwice, never: DiagnosticCode.tableNotPlaced },
} as const;

/** Every figure (table) block names a defined one, and each is placed exactly once. */
function checkPlacement(checks: Checks, brief: BriefData, kind: 'figure' | 'table'): void {
  const { list, undefinedCode, twice, never } = PLACEMENT[kind];
  const defined = brief[list];
  const ids = new Set(defined.map((x) => x.id));
  const placed = new Map<string, string>();
  brief.sections.forEach((section, s) => {
    section.blocks.forEach((block, b) => {
      const id = block[kind];
      if (id === undefined) return;
      const path = ['sections', s, 'blocks', b, kind];
      if (!ids.has(id)) errorAt(checks, undefinedCode, path, `${kind} "${id}" is not defined in ${list}`).hint(didYouMean(id, ids));
      else if (placed.has(id)) errorAt(checks, twice, path, `${kind} "${id}" is placed twice`).hint(`already placed at ${placed.get(id)}`);
      else placed.set(id, `sections[${s}].blocks[${b}]`);
    });
  });
  defined.forEach((item, i) => {
    if (!placed.has(item.id)) errorAt(checks, never, [list, i, 'id'], `${kind} "${item.id}" is never placed`).hint(`add a block \`- ${kind}: ${item.id}\` where it belongs in the text`);
  });
}

/**
 * A mark `^a` in a figure's or table's title, notes or source needs its footnote;
 * a footnote no mark points to is reported as a warning (table cells are checked
 * with the table's data, where their CSV positions are known).
 */
function checkFootnotes(checks: Checks, brief: BriefData): void {
  for (const [list, items] of [['figures', brief.figures], ['tables', brief.tables]] as const) {
    items.forEach((item, i) => {
      const marks = (item.footnotes ?? []).map((f) => f.mark);
      const seen = new Set<string>();
      (item.footnotes ?? []).forEach((footnote, n) => {
        if (seen.has(footnote.mark)) errorAt(checks, DiagnosticCode.duplicateFootnote, [list, i, 'footnotes', n, 'mark'], `footnote "${footnote.mark}" is defined twice`);
        seen.add(footnote.mark);
      });
      for (const field of ['title', 'subtitle', 'notes', 'source'] as const) {
        const text = item[field];
        if (text === undefined) continue;
        for (const [, mark] of text.matchAll(FOOTNOTE_MARK)) {
          if (!marks.includes(mark!)) errorAt(checks, DiagnosticCode.undefinedFootnote, [list, i, field], `footnote mark "^${mark}" has no footnote`).hint(marks.length > 0 ? `the footnotes are: ${marks.join(', ')}` : 'add it under footnotes');
        }
      }
    });
  }
}

/** Footnotes of `item` that no mark in `texts` points to: a warning each (a footnote nobody can find). */
export function warnUnusedFootnotes(checks: Checks, list: 'figures' | 'tables', index: number, footnotes: ReadonlyArray<{ mark: string }>, texts: readonly string[]): void {
  const used = new Set(texts.flatMap((t) => [...t.matchAll(FOOTNOTE_MARK)].map((m) => m[1]!)));
  footnotes.forEach((footnote, n) => {
    if (!used.has(footnote.mark)) warningAt(checks, DiagnosticCode.unusedFootnote, [list, index, 'footnotes', n, 'mark'], `footnote "${footnote.mark}" is never marked (^${footnote.mark})`);
  });
}

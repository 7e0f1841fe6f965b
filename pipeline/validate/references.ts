// References inside a brief: ids are unique, every placed figure exists and is
// placed once, every defined figure is placed, every link has an allowed scheme
// and every report link names a related report.
import { DiagnosticCode } from '../core/diagnostics.ts';
import { linkProblem, parseInline, reportTarget } from '../input/inline.ts';
import type { BriefData } from '../input/schema.ts';
import { errorAt, type Checks } from './context.ts';
import { didYouMean } from './suggest.ts';

export function checkReferences(checks: Checks, brief: BriefData): void {
  checkUniqueIds(checks, brief.figures, 'figures');
  checkUniqueIds(checks, brief.relatedReports, 'relatedReports');
  const reportIds = new Set(brief.relatedReports.map((r) => r.id));
  const checkLinks = (text: string, path: PropertyKey[]) => checkLinksIn(checks, text, path, reportIds);

  brief.sections.forEach((section, s) => {
    section.blocks.forEach((block, b) => {
      const path = ['sections', s, 'blocks', b];
      if (block.paragraph !== undefined) checkLinks(block.paragraph, [...path, 'paragraph']);
      block.bullets?.forEach((item, i) => checkLinks(item, [...path, 'bullets', i]));
    });
  });
  checkFigurePlacement(checks, brief);
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

function checkLinksIn(checks: Checks, text: string, path: PropertyKey[], reportIds: ReadonlySet<string>): void {
  for (const run of parseInline(text)) {
    if (!run.href) continue;
    const problem = linkProblem(run.href);
    if (problem) {
      errorAt(checks, DiagnosticCode.linkScheme, path, problem);
      continue;
    }
    const target = reportTarget(run.href);
    if (target !== undefined && !reportIds.has(target)) {
      errorAt(checks, DiagnosticCode.undefinedReport, path, `link to report "${target}", which relatedReports does not define`).hint(didYouMean(target, reportIds));
    }
  }
}

/** Every figure block names a defined figure, each figure is placed exactly once. */
function checkFigurePlacement(checks: Checks, brief: BriefData): void {
  const figureIds = new Set(brief.figures.map((f) => f.id));
  const placed = new Map<string, string>();
  brief.sections.forEach((section, s) => {
    section.blocks.forEach((block, b) => {
      if (block.figure === undefined) return;
      const path = ['sections', s, 'blocks', b, 'figure'];
      if (!figureIds.has(block.figure)) {
        errorAt(checks, DiagnosticCode.undefinedFigure, path, `figure "${block.figure}" is not defined in figures`).hint(didYouMean(block.figure, figureIds));
      } else if (placed.has(block.figure)) {
        errorAt(checks, DiagnosticCode.figurePlacedTwice, path, `figure "${block.figure}" is placed twice`).hint(`already placed at ${placed.get(block.figure)}`);
      } else placed.set(block.figure, `sections[${s}].blocks[${b}]`);
    });
  });
  brief.figures.forEach((figure, f) => {
    if (!placed.has(figure.id)) {
      errorAt(checks, DiagnosticCode.figureNotPlaced, ['figures', f, 'id'], `figure "${figure.id}" is never placed`).hint(`add a block \`- figure: ${figure.id}\` where it belongs in the text`);
    }
  });
}

// The fields of a brief that become the files' metadata (the PDF's Info
// dictionary, the deck's docProps): title, subject (publisher, series), author
// names and keywords (section headings). Invisible bidirectional and zero-width
// controls are left out there (core/text.ts metadataText), which changes what
// the author wrote, so each field that held some is named in a warning.
import { DiagnosticCode, Report, type Diagnostic } from '../core/diagnostics.ts';
import { INVISIBLE_CONTROLS } from '../core/text.ts';
import { locate, type LoadedBrief } from '../input/load.ts';
import type { BriefData } from '../input/schema.ts';

export function metadataWarnings(loaded: LoadedBrief, brief: BriefData): readonly Diagnostic[] {
  const fields: Array<readonly [ReadonlyArray<PropertyKey>, string]> = [
    [['title'], brief.title],
    [['series'], brief.series],
    [['publisher', 'name'], brief.publisher.name],
    ...brief.authors.map((a, i) => [['authors', i, 'name'], a.name] as const),
    ...brief.sections.flatMap((s, i) => (s.heading === undefined ? [] : [[['sections', i, 'heading'], s.heading] as const])),
  ];
  const report = new Report();
  for (const [path, text] of fields) {
    const found = text.match(INVISIBLE_CONTROLS) ?? [];
    if (found.length === 0) continue;
    const codes = [...new Set(found.map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`))].join(', ');
    report
      .warning(
        DiagnosticCode.invisibleInMetadata,
        locate(loaded, path),
        `${found.length} invisible bidirectional or zero-width character${found.length === 1 ? '' : 's'} (${codes}) left out of the PDF's and the deck's document properties, where they could make the title or author read other than it is; the printed text keeps them`,
      )
      .hint('remove them unless the text is right-to-left and needs them');
  }
  return report.diagnostics;
}

// compose: the validated brief becomes what both renderers draw, with every link
// resolved to the address a reader's software can open.
import { describe, expect, it } from 'vitest';
import type { ChartArtifact } from '../pipeline/charts/charts.ts';
import { compose } from '../pipeline/compose/compose.ts';
import { copySample, sharedContext, validateDir } from './helpers.ts';

function composeCopy(edit: (yaml: string) => string) {
  const { dir } = copySample(edit);
  const validated = validateDir(dir);
  if (!validated.result) throw new Error(validated.diagnostics.map((d) => d.message).join('\n'));
  // Links do not depend on the charts; a stand-in keeps this test free of canvas.
  const charts = new Map(validated.result.brief.figures.map((f) => [f.id, { figureId: f.id } as ChartArtifact]));
  return compose({ brief: validated.result.brief, charts, templates: sharedContext().templates });
}

describe('compose', () => {
  it('resolves a report link whatever the case of its scheme, as validation accepts it', () => {
    const composed = composeCopy((y) => y.replace('(report:RL33740)', '(REPORT:RL33740)'));
    const hrefs = composed.body.flatMap((b) => (b.kind === 'paragraph' ? b.runs.flatMap((r) => (r.href ? [r.href] : [])) : []));
    expect(hrefs).toContain('https://crsreports.congress.gov/product/pdf/RL/RL33740');
    expect(hrefs.filter((h) => !/^(https?:|mailto:)/.test(h))).toEqual([]);
  });
});

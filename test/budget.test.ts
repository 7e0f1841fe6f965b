// The series' page budget: an In Focus brief has two body pages and the disclaimer page.
import { describe, expect, it } from 'vitest';
import { build, copySample, readPdf, artifact, expectBuilt } from './helpers.ts';
import { buildBrief } from '../pipeline/run/build.ts';
import { sharedContext } from './helpers.ts';

// Two more paragraphs, copied from the brief itself, at the end of the last section: more than
// setting paragraphs tighter (copyfit.test.ts) can win back.
const extraParagraph = `
      - paragraph: >-
          Notwithstanding their territorial dispute and regional rivalry,
          relations between Japan and China have improved since 2016. Abe’s
          government reversed its initial opposition to China’s Belt and Road
          Initiative, agreeing to cooperate with Beijing in providing
          infrastructure development under certain conditions. Abe visited
          Beijing in October 2018, the first leaders’ summit between the two
          countries since 2011, and concluded agreements on economic
          cooperation and people-to-people exchanges. Some analysts posit that
          the mutual interest in stabilizing relations may be driven by both
          countries’ trade friction with the United States.`;
const overBudget = (yaml: string) => yaml.replace(/(\n {6}- paragraph: >-\n {10}For more, see)/, `${extraParagraph}${extraParagraph}$1`);

describe('page budget', () => {
  it('fails a brief two paragraphs over budget, naming the section and the lines over', async () => {
    const { dir } = copySample(overBudget);
    const result = await build(dir);
    expect(result.ok).toBe(false);
    const [d] = result.diagnostics.filter((x) => x.severity === 'error');
    expect(d!.code).toBe('over-budget');
    expect(d!.message).toMatch(/^the brief runs \d+ lines? over the In Focus budget of 2 body pages, from (section "[^"]+"|the author block) on$/);
    expect(d!.field).toMatch(/^(sections\[\d+\]\.heading|authors)$/);
    expect(d!.line).toBeGreaterThan(0);
    expect(d!.hint).toMatch(/--allow-overflow/);
  });

  it('builds it anyway with allowOverflow, as a warning, on an extra page', async () => {
    const { dir } = copySample(overBudget);
    const result = expectBuilt(await buildBrief(dir, sharedContext(), { formats: new Set(['pdf']), allowOverflow: true }));
    expect(result.diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect((await readPdf(artifact(result, 'pdf'))).numPages).toBe(4);
  });
});

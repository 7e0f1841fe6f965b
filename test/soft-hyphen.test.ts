// Soft hyphens (U+00AD) pasted into a brief: fontkit's glyph cache would give the
// soft hyphen and the hyphen, one glyph in Tinos, the characters of whichever a
// process met first, so the same brief printed "co-operation" or lost the hyphen of
// "U.S.-Japan" depending on what was built before it. They are dropped from the data.
import { describe, expect, it } from 'vitest';
import { buildBrief, createContext } from '../pipeline/run/build.ts';
import { artifact, copySample, expectBuilt, readPdf } from './helpers.ts';

const pageText = async (pdf: Uint8Array) => (await readPdf(pdf)).pages.map((p) => p.content.join('')).join('\n');

describe('soft hyphens in a brief', () => {
  it('print as nothing inside a word, and leave every hyphen a hyphen, whichever the process meets first', async () => {
    // The soft hyphen comes first in the body; the title's "U.S.-Japan" is set before it, the later ones after.
    const { dir } = copySample((yaml) => yaml.replace('from North Korea. The U.S.-Japan', 'from North Ko\u00ADrea. The U.S.-Japan'));
    // A fresh context: fonts no other build of this process has touched.
    const built = expectBuilt(await buildBrief(dir, createContext(), { formats: new Set(['pdf', 'pptx']) }));
    const text = await pageText(artifact(built, 'pdf'));
    expect(text).not.toContain('\u00AD');
    expect(text).toMatch(/North\s*Korea\. The U\.S\.-Japan/);
    expect(text.match(/U\.S\.-Japan/g)!.length).toBeGreaterThanOrEqual(3);
  });
});

// Visual regression: every page of the three collected briefs (IF10199, IF13201,
// IF11175) and of the synthetic brief that uses every content element (IF90001), rendered by pdftoppm, against
// reviewed golden images. After an intended change, look at the new pages and
// update the goldens with `npm run test:golden` (UPDATE_GOLDEN=1).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { buildBrief } from '../pipeline/run/build.ts';
import { artifact, build, everyElementDir, expectBuilt, sampleArtifact, sharedContext } from './helpers.ts';
import { itWith, missingTools } from './tools.ts';

const goldenDir = path.join(projectRoot, 'test', 'golden');
const DPI = 50;
/** Share of pixels allowed to differ (anti-aliasing noise), and the per-pixel color threshold. */
const MAX_DIFF_SHARE = 0.002;
const update = process.env['UPDATE_GOLDEN'] === '1';

/** Where a failing comparison leaves its pages and diff images for a person to look at (gitignored). */
const outDir = path.join(projectRoot, 'test', '__output__', 'visual');
const it = itWith('pdftoppm');

interface Subject {
  readonly id: string;
  readonly pages: number;
  readonly pdf: () => Promise<Buffer>;
}

const collected = (id: string): Subject => ({ id, pages: 3, pdf: async () => artifact(expectBuilt(await build(path.join(projectRoot, 'data', 'briefs', id), ['pdf'])), 'pdf') });

const subjects: readonly Subject[] = [
  { id: 'IF10199', pages: 3, pdf: async () => sampleArtifact('pdf') },
  // A real table with footnotes (IF13201); a real text box and a figure drawn from an SVG (IF11175).
  collected('IF13201'),
  collected('IF11175'),
  {
    id: 'IF90001',
    pages: 3,
    pdf: async () => artifact(expectBuilt(await buildBrief(everyElementDir, sharedContext(), { formats: new Set(['pdf']), allowOverflow: true })), 'pdf'),
  },
];

const rendered = new Map<string, string[]>();
beforeAll(async () => {
  if (missingTools('pdftoppm').length > 0) return;
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const subject of subjects) {
    const dir = path.join(outDir, subject.id);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${subject.id}.pdf`);
    fs.writeFileSync(file, await subject.pdf());
    execFileSync('pdftoppm', ['-r', String(DPI), '-png', file, path.join(dir, 'page')]);
    rendered.set(subject.id, fs.readdirSync(dir).filter((f) => f.endsWith('.png')).sort());
  }
});

for (const subject of subjects) {
  describe(`${subject.id} pages against golden images`, () => {
    const dir = path.join(outDir, subject.id);

    it(`renders ${subject.pages} pages`, () => {
      expect(rendered.get(subject.id)).toEqual(Array.from({ length: subject.pages }, (_, i) => `page-${i + 1}.png`));
    });

    for (let n = 1; n <= subject.pages; n++) {
      it(`page ${n} matches its golden image`, () => {
        const actualFile = path.join(dir, `page-${n}.png`);
        const goldenFile = path.join(goldenDir, `${subject.id}-page-${n}.png`);
        const diffFile = path.join(dir, `diff-${n}.png`);
        if (update) fs.copyFileSync(actualFile, goldenFile);
        const actual = PNG.sync.read(fs.readFileSync(actualFile));
        const golden = PNG.sync.read(fs.readFileSync(goldenFile));
        expect([actual.width, actual.height]).toEqual([golden.width, golden.height]);
        const diff = new PNG({ width: golden.width, height: golden.height });
        const differing = pixelmatch(actual.data, golden.data, diff.data, golden.width, golden.height, { threshold: 0.05 });
        if (differing / (golden.width * golden.height) > MAX_DIFF_SHARE) fs.writeFileSync(diffFile, PNG.sync.write(diff));
        expect(differing / (golden.width * golden.height), `see ${diffFile}`).toBeLessThanOrEqual(MAX_DIFF_SHARE);
      });
    }
  });
}

// Visual regression: every page of the sample PDF, rendered by pdftoppm, against
// reviewed golden images. After an intended change, look at the new pages and
// update the goldens with `npm run test:golden` (UPDATE_GOLDEN=1).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { sampleArtifact } from './helpers.ts';
import { itWith, missingTools } from './tools.ts';

const goldenDir = path.join(projectRoot, 'test', 'golden');
const DPI = 50;
/** Share of pixels allowed to differ (anti-aliasing noise), and the per-pixel color threshold. */
const MAX_DIFF_SHARE = 0.002;
const update = process.env['UPDATE_GOLDEN'] === '1';

/** Where a failing comparison leaves its pages and diff images for a person to look at (gitignored). */
const outDir = path.join(projectRoot, 'test', '__output__', 'visual');
const it = itWith('pdftoppm');

let pages: string[] = [];
beforeAll(() => {
  if (missingTools('pdftoppm').length > 0) return;
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'IF10199.pdf'), sampleArtifact('pdf'));
  execFileSync('pdftoppm', ['-r', String(DPI), '-png', path.join(outDir, 'IF10199.pdf'), path.join(outDir, 'page')]);
  pages = fs.readdirSync(outDir).filter((f) => f.endsWith('.png')).sort();
});

describe('IF10199 pages against golden images', () => {
  it('renders three pages', () => {
    expect(pages).toEqual(['page-1.png', 'page-2.png', 'page-3.png']);
  });

  for (const n of [1, 2, 3]) {
    it(`page ${n} matches its golden image`, () => {
      const actualFile = path.join(outDir, `page-${n}.png`);
      const goldenFile = path.join(goldenDir, `IF10199-page-${n}.png`);
      if (update) fs.copyFileSync(actualFile, goldenFile);
      const actual = PNG.sync.read(fs.readFileSync(actualFile));
      const golden = PNG.sync.read(fs.readFileSync(goldenFile));
      expect([actual.width, actual.height]).toEqual([golden.width, golden.height]);
      const diff = new PNG({ width: golden.width, height: golden.height });
      const differing = pixelmatch(actual.data, golden.data, diff.data, golden.width, golden.height, { threshold: 0.05 });
      if (differing / (golden.width * golden.height) > MAX_DIFF_SHARE) {
        fs.writeFileSync(path.join(outDir, `diff-${n}.png`), PNG.sync.write(diff));
      }
      expect(differing / (golden.width * golden.height), `see ${path.join(outDir, `diff-${n}.png`)}`).toBeLessThanOrEqual(MAX_DIFF_SHARE);
    });
  }
});

// The scheduled workflow, parsed as YAML: the triggers, the test job, and the
// sharded build that uploads a dated artifact.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';

interface Step {
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  if?: string;
  permissions?: Record<string, string>;
  environment?: { name: string; url?: string };
  strategy?: { matrix?: { shard?: number[] } };
  steps: Step[];
}

const file = path.join(projectRoot, '.github', 'workflows', 'build-briefs.yml');
const document = parseDocument(fs.readFileSync(file, 'utf8'), { uniqueKeys: true });
const workflow = document.toJS() as { on: Record<string, unknown>; env: { SHARDS: number }; jobs: Record<string, Job> };

describe('build-briefs workflow', () => {
  it('is valid YAML', () => {
    expect(document.errors).toEqual([]);
  });

  it('runs on a schedule, by hand, and on pushes touching data, templates or pipeline', () => {
    expect(workflow.on['schedule']).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }]);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
    expect((workflow.on['push'] as { paths: string[] }).paths).toEqual(expect.arrayContaining(['data/**', 'templates/**', 'pipeline/**']));
  });

  it('installs the system packages, uses the npm cache, and runs the tests before building', () => {
    const test = workflow.jobs['test']!;
    expect(test.steps.find((s) => s.uses?.startsWith('actions/setup-node'))?.with).toMatchObject({ 'node-version': 20, cache: 'npm' });
    expect(test.steps.some((s) => s.run?.includes('libcairo2-dev') && s.run.includes('libpango1.0-dev'))).toBe(true);
    expect(test.steps.map((s) => s.run)).toEqual(expect.arrayContaining(['npm ci', 'npm test']));
    expect(workflow.jobs['build']!.needs).toBe('test');
  });

  it('builds a matrix of shards that covers them all and uploads out/ as a dated artifact', () => {
    const build = workflow.jobs['build']!;
    const shards = build.strategy!.matrix!.shard!;
    expect(shards).toEqual(Array.from({ length: workflow.env.SHARDS }, (_, i) => i + 1));
    expect(build.steps.find((s) => s.run?.startsWith('npm run build:brief'))?.run).toMatch(/--shard \$\{\{ matrix\.shard \}\}\/\$\{\{ env\.SHARDS \}\}/);
    const upload = build.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(String(upload.with!['name'])).toMatch(/steps\.date\.outputs\.today/);
    expect(String(upload.with!['path'])).toMatch(/out\/\*\.pdf[\s\S]*out\/\*\.pptx[\s\S]*out\/manifest\.json/);
  });

  it('installs chromium for the browser tests', () => {
    expect(workflow.jobs['test']!.steps.some((s) => s.run?.includes('chromium'))).toBe(true);
    expect(fs.readFileSync(path.join(projectRoot, '.ci', 'run'), 'utf8')).toMatch(/apt-get install[^\n]*\\\n[^\n]*chromium/);
  });

  it('uploads each shard’s thumbnails and pages too, even when a brief of the shard failed', () => {
    const upload = workflow.jobs['build']!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(String(upload.with!['path'])).toMatch(/out\/thumbs\/\*\.png/);
    expect(String(upload.with!['path'])).toMatch(/out\/\*\.html/);
    expect(upload.if).toBe('${{ !cancelled() }}');
  });

  it('merges the shards into one folder with one catalog, and deploys it to GitHub Pages', () => {
    const merge = workflow.jobs['merge']!;
    expect(merge.needs).toBe('build');
    const download = merge.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    expect(download.with).toMatchObject({ pattern: 'briefs-*-shard-*', path: 'shards' });
    expect(download.with).not.toHaveProperty('merge-multiple');
    expect(merge.steps.find((s) => s.run?.startsWith('npm run catalog'))?.run).toMatch(/--out site .*--merge/);
    expect(merge.steps.find((s) => s.uses?.startsWith('actions/upload-pages-artifact'))?.with).toEqual({ path: 'site' });
    const deploy = workflow.jobs['deploy']!;
    expect(deploy.needs).toBe('merge');
    expect(deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(deploy.environment).toEqual({ name: 'github-pages', url: '${{ steps.deployment.outputs.page_url }}' });
    expect(deploy.steps).toEqual([{ id: 'deployment', uses: 'actions/deploy-pages@v4' }]);
  });
});

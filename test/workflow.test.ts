// The scheduled workflow, parsed as YAML: the triggers, the test job, and the
// sharded build that uploads a dated artifact.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
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
});

// Builds the sample once for the whole run, through the real command, so the
// suites that read its PDF and deck share one build instead of making their own.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SAMPLE_OUT_ENV = 'BRIEFPRESS_TEST_SAMPLE_OUT';

export default function setup(): () => void {
  // Each test project runs the global setup; the first build serves them all.
  if (process.env[SAMPLE_OUT_ENV]) return () => {};
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'briefpress-sample-'));
  const result = spawnSync(process.execPath, [path.join(root, 'pipeline', 'launch.mjs'), 'IF10199', '--out', out, '--jobs', '1', '--force'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`building the sample for the tests failed (exit ${result.status}):\n${result.stderr}`);
  process.env[SAMPLE_OUT_ENV] = out;
  return () => fs.rmSync(out, { recursive: true, force: true });
}

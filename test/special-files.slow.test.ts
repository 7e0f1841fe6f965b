// Special files where a brief expects a regular one: a FIFO, a folder, a link to
// /dev/zero. Each is refused before it is read, at exit 1, with the file named and
// the earlier artifacts left as they were. Real processes with a short timeout:
// a build that hangs on one of them must fail this test, not the whole run.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { copySample, launcher, tempDir, snapshotFiles } from './helpers.ts';


/** The CLI in a child process that is killed after 20 s: a hang shows as a null exit code. */
function run(root: string, out: string): { code: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [launcher, '--data', root, '--out', out, '--jobs', '1', '--format', 'pdf'], { cwd: projectRoot, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  return { code: result.status, stderr: result.stderr };
}

describe('special files instead of regular ones', () => {
  let root: string;
  let dir: string;
  let out: string;
  let before: Map<string, Buffer>;
  let yaml: Buffer;
  let csv: Buffer;
  beforeAll(() => {
    ({ root, dir } = copySample());
    out = tempDir();
    expect(run(root, out).code).toBe(0);
    before = snapshotFiles(out);
    yaml = fs.readFileSync(path.join(dir, 'brief.yaml'));
    csv = fs.readFileSync(path.join(dir, 'top-us-trade-partners.csv'));
  }, 60_000);

  /** Puts `make` in place of `name`, runs the CLI, restores the file. */
  function refused(name: string, make: (file: string) => void, message: RegExp): void {
    const file = path.join(dir, name);
    fs.rmSync(file, { recursive: true, force: true });
    make(file);
    try {
      const { code, stderr } = run(root, out);
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
      expect(snapshotFiles(out).get('IF10199.pdf')).toEqual(before.get('IF10199.pdf'));
      expect(fs.readdirSync(out).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
    } finally {
      fs.rmSync(file, { recursive: true, force: true });
      fs.writeFileSync(file, name === 'brief.yaml' ? yaml : csv);
    }
  }

  it('refuses a FIFO as brief.yaml at once, rather than waiting for a writer forever', () => {
    refused('brief.yaml', (f) => execFileSync('mkfifo', [f]), /IF10199[/\\]brief\.yaml: "brief\.yaml" is a FIFO \(named pipe\), not a regular file/);
  }, 60_000);

  it('refuses a brief.yaml that links to /dev/zero, rather than reading without end', () => {
    refused('brief.yaml', (f) => fs.symlinkSync('/dev/zero', f), /IF10199[/\\]brief\.yaml: "brief\.yaml" resolves \(through a link\) outside the brief's folder/);
  }, 60_000);

  it('refuses a folder named brief.yaml with exit 1, not an internal error', () => {
    refused('brief.yaml', (f) => fs.mkdirSync(f), /IF10199[/\\]brief\.yaml: "brief\.yaml" is a folder, not a regular file/);
  }, 60_000);

  it('refuses a brief.yaml that links to a file outside the brief\'s folder', () => {
    const outside = path.join(tempDir(), 'brief.yaml');
    fs.writeFileSync(outside, yaml);
    refused('brief.yaml', (f) => fs.symlinkSync(outside, f), /brief\.yaml: "brief\.yaml" resolves \(through a link\) outside the brief's folder/);
  }, 60_000);

  it('refuses a FIFO as a CSV file, naming the field that names it', () => {
    refused('top-us-trade-partners.csv', (f) => execFileSync('mkfifo', [f]), /brief\.yaml:\d+:\d+ figures\[0\]\.chart\.data: "top-us-trade-partners\.csv" is a FIFO \(named pipe\), not a regular file/);
  }, 60_000);

  it('refuses a CSV that links to /dev/zero', () => {
    refused('top-us-trade-partners.csv', (f) => fs.symlinkSync('/dev/zero', f), /figures\[0\]\.chart\.data: "top-us-trade-partners\.csv" resolves \(through a link\) outside/);
  }, 60_000);
});

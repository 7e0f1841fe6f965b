// Temp folders for tests, removed by test/setup.ts: those made inside a test after
// that test, those made in a suite's setup (beforeAll, describe) after the file.
// Kept apart from helpers.ts so that the setup file loads nothing heavy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tempDirs = { test: [] as string[], file: [] as string[], inTest: false };

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'briefpress-test-'));
  (tempDirs.inTest ? tempDirs.test : tempDirs.file).push(dir);
  return dir;
}

export function enterTest(): void {
  tempDirs.inTest = true;
}

export function removeTempDirs(scope: 'test' | 'file'): void {
  const dirs = scope === 'test' ? tempDirs.test : [...tempDirs.test, ...tempDirs.file];
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  if (scope === 'file') tempDirs.file.length = 0;
  tempDirs.inTest = false;
}

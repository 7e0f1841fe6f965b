import { defineConfig } from 'vitest/config';

/** Tests that drive LibreOffice, pdftoppm or real processes, and the fuzzer: run by `npm test` too, in their own project. */
const slow = ['test/**/*.slow.test.ts', 'test/visual.test.ts', 'test/fuzz.test.ts', 'test/faults.test.ts', 'test/signals.test.ts', 'test/preview.test.ts', 'test/watch.test.ts'];

export default defineConfig({
  test: {
    // canvas (behind chartjs-node-canvas) crashes the process when worker threads
    // that used it exit, so test files run in child processes.
    pool: 'forks',
    // Vitest leaves a core free by default, which on a 2-core machine means one file at a
    // time; the suite's files are independent, so use both.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    projects: [
      // The fast suites share their worker processes: fonts, templates and Chart.js load once
      // per worker rather than once per file (the suites keep no state between them).
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: slow, isolate: false } },
      { extends: true, test: { name: 'slow', include: slow } },
    ],
  },
});

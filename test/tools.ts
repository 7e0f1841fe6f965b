// Tests that need a command-line tool say so when it is missing: the test is
// reported as skipped and a line names the tool and the Debian package, so a
// green run never hides checks that did not happen.
import { it } from 'vitest';
import { findTool } from '../pipeline/run/preview.ts';

const DEBIAN_PACKAGE = {
  pdftoppm: 'poppler-utils',
  pdftotext: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdfimages: 'poppler-utils',
  qpdf: 'qpdf',
  soffice: 'libreoffice-impress',
  chromium: 'chromium',
  unzip: 'unzip',
} as const;
export type Tool = keyof typeof DEBIAN_PACKAGE;

/** The tools of `tools` that are not on PATH. */
export const missingTools = (...tools: Tool[]): Tool[] => tools.filter((tool) => findTool(tool) === undefined);

/** `it`, or a skipped `it` that says which tool is missing and which package brings it. */
export function itWith(...tools: Tool[]): ReturnType<typeof it.skipIf> {
  const missing = missingTools(...tools);
  if (missing.length === 0) return it.skipIf(false);
  const packages = [...new Set(missing.map((tool) => DEBIAN_PACKAGE[tool]))].join(' ');
  console.warn(`skipped: tests that need ${missing.join(', ')} (install the Debian package ${packages})`);
  return it.skipIf(true);
}

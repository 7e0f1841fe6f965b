// Pages in a real browser: Debian's chromium driven by puppeteer-core (no browser
// download), one browser per test file. Pages are opened from file:// with every
// other request refused, so a page that reaches for the network fails its test
// instead of quietly fetching, and nothing a test does leaves the machine.
// Tests that use it run under itWith('chromium') (test/tools.ts) in the slow project.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { AxeResults, Result } from 'axe-core';
import { findTool } from '../pipeline/run/preview.ts';

export type { Browser, Page };

/** Starts chromium headless; the caller closes it (afterAll). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = findTool('chromium');
  if (!executablePath) throw new Error('chromium is not on PATH (install the Debian package chromium)');
  // --no-sandbox: test machines and CI containers run as root, where chromium's sandbox will not start.
  return puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run'] });
}

export interface OpenOptions {
  /** CSS pixels; the height is fixed, since the tests look at widths. */
  readonly width: number;
  readonly height?: number;
  readonly javascript?: boolean;
}

/** What a page did that it should not have: requests refused (not file:), and errors in its console (a CSP refusal is one). */
export interface PageLog {
  readonly refused: string[];
  readonly errors: string[];
}

const logs = new WeakMap<Page, PageLog>();
export const logOf = (page: Page): PageLog => logs.get(page)!;

/** Opens `file` in a new tab at `width`, with JavaScript on or off, once it has loaded. */
export async function openPage(browser: Browser, file: string, options: OpenOptions): Promise<Page> {
  const page = await browser.newPage();
  const log: PageLog = { refused: [], errors: [] };
  logs.set(page, log);
  await page.setJavaScriptEnabled(options.javascript ?? true);
  await page.setViewport({ width: options.width, height: options.height ?? 800 });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('file:') || url.startsWith('data:')) return void request.continue();
    log.refused.push(url);
    void request.abort('blockedbyclient');
  });
  page.on('console', (message) => {
    if (message.type() === 'error') log.errors.push(message.text());
  });
  page.on('pageerror', (error) => log.errors.push(String(error)));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return page;
}

/** Whether the page is wider than its viewport (a horizontal scroll bar). */
export async function overflowsHorizontally(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth }));
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 level A and AA, the level the catalog promises. */
export const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core run inside the page, from node_modules. Evaluated through the DevTools
 * protocol, which a page's Content-Security-Policy does not govern, so the page is
 * tested with its own policy in force (a script tag would be refused by it).
 */
export async function axeViolations(page: Page, tags: readonly string[] = WCAG_21_AA): Promise<Result[]> {
  await page.evaluate(axeSource);
  const results = await page.evaluate(
    // Runs in the page, where axe is the global the source above defined.
    (values) => (globalThis as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(document, { runOnly: { type: 'tag', values } }),
    [...tags],
  );
  return results.violations;
}

/** Violations in a line each, for a failing assertion that says what is wrong. */
export const describeViolations = (violations: readonly Result[]): string[] =>
  violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join('; ')}`);

// The web edition (out/<ID>.html) in chromium, for every sample brief and the
// synthetic one with every content element: it fits a phone and a desktop, every
// in-page anchor and file link resolves, it asks for nothing outside itself, it
// reads the same with JavaScript off, and axe-core finds nothing at WCAG 2.1 AA.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { projectRoot } from '../pipeline/core/paths.ts';
import { axeViolations, describeViolations, launchChromium, logOf, openPage, overflowsHorizontally, type Browser } from './browser.ts';
import { everyElementDir, runMain, tempDir } from './helpers.ts';
import { itWith, missingTools } from './tools.ts';

const screenshots = path.join(projectRoot, 'test', '__output__', 'web');
const ids = [...fs.readdirSync(path.join(projectRoot, 'data', 'briefs')).sort(), path.basename(everyElementDir)];

let out = '';
let browser: Browser | undefined;

beforeAll(async () => {
  if (missingTools('chromium').length > 0) return;
  const data = tempDir();
  out = path.join(tempDir(), 'out');
  fs.cpSync(path.join(projectRoot, 'data', 'briefs'), path.join(data, 'briefs'), { recursive: true });
  fs.cpSync(everyElementDir, path.join(data, 'briefs', path.basename(everyElementDir)), { recursive: true });
  const built = await runMain(['--data', data, '--out', out, '--jobs', '2']);
  expect(built.code, built.stderr).toBe(0);
  browser = await launchChromium();
  fs.mkdirSync(screenshots, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(ids)('the web edition of %s in chromium', (id) => {
  const page = () => path.join(out, `${id}.html`);

  itWith('chromium')('fits a phone (360 px) and a desktop (1280 px) without a horizontal scroll, asking for nothing outside itself', async () => {
    for (const width of [360, 1280]) {
      const tab = await openPage(browser!, page(), { width });
      const { scrollWidth, innerWidth } = await overflowsHorizontally(tab);
      expect(scrollWidth, `${id} at ${width} px`).toBeLessThanOrEqual(innerWidth);
      await tab.screenshot({ path: path.join(screenshots, `${id}-${width}.png`) as `${string}.png`, fullPage: true });
      expect(logOf(tab).refused, 'requests outside the file').toEqual([]);
      expect(logOf(tab).errors, 'console errors (a CSP refusal is one)').toEqual([]);
      await tab.close();
    }
  });

  itWith('chromium')('resolves every in-page anchor to an element and every file link to a file beside it', async () => {
    const tab = await openPage(browser!, page(), { width: 1280 });
    const links = await tab.$$eval('a[href]', (anchors) => anchors.map((a) => a.getAttribute('href')!));
    const ids = new Set(await tab.$$eval('[id]', (elements) => elements.map((e) => e.id)));
    const local = links.filter((href) => !/^(https?:|mailto:)/.test(href));
    expect(local.length).toBeGreaterThan(0);
    for (const href of local) {
      if (href.startsWith('#')) expect(ids.has(decodeURIComponent(href.slice(1))), href).toBe(true);
      else expect(fs.existsSync(path.join(out, decodeURIComponent(href.split('#')[0]!))), href).toBe(true);
    }
    await tab.close();
  });

  itWith('chromium')('reads the same with JavaScript off: the title, every heading and every figure are there', async () => {
    const read = async (javascript: boolean) => {
      const tab = await openPage(browser!, page(), { width: 1280, javascript });
      const seen = await tab.evaluate(() => ({
        h1: document.querySelector('h1')?.textContent?.trim() ?? '',
        headings: [...document.querySelectorAll('h2, h3')].map((h) => h.textContent!.trim()),
        figures: document.querySelectorAll('figure').length,
        text: document.body.innerText.length,
      }));
      await tab.close();
      return seen;
    };
    const off = await read(false);
    expect(off.h1.length).toBeGreaterThan(0);
    expect(off.text).toBeGreaterThan(2000);
    expect(off).toEqual(await read(true));
  });

  itWith('chromium')('has no accessibility violation at WCAG 2.1 AA (axe-core), on a phone and a desktop', async () => {
    for (const width of [360, 1280]) {
      const tab = await openPage(browser!, page(), { width });
      const violations = await axeViolations(tab);
      expect(describeViolations(violations), `${id} at ${width} px`).toEqual([]);
      await tab.close();
    }
  });
});

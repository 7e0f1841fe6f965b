// A long-lived process (--watch) keeps its build context, but not past an edit of
// the templates or the theme: a stale context would build with the old template
// while the cache records the new one's hash, and later runs would reuse the
// stale files until --force.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesDir } from '../pipeline/core/paths.ts';
import { ContextCache } from '../pipeline/run/build.ts';
import { tempDir } from './helpers.ts';

describe('the build context of a long-lived process', () => {
  it('is kept while the templates are unchanged and made again when a template or the theme changes', () => {
    const dir = path.join(tempDir(), 'templates');
    fs.cpSync(templatesDir, dir, { recursive: true });
    const probe = path.join(dir, 'pdf', 'probe.hbs');
    fs.writeFileSync(probe, 'before the edit');
    const contexts = new ContextCache(dir);
    const first = contexts.current();
    expect(first.templates.render('pdf/probe', {})).toBe('before the edit');
    expect(contexts.current()).toBe(first);

    fs.writeFileSync(probe, 'after the edit');
    const second = contexts.current();
    expect(second.templates.render('pdf/probe', {})).toBe('after the edit');

    const theme = path.join(dir, 'theme.yaml');
    const brand = second.theme.colors.brand;
    fs.writeFileSync(theme, fs.readFileSync(theme, 'utf8').replace(`brand: "${brand}"`, 'brand: "#123456"'));
    expect(contexts.current().theme.colors.brand).toBe('#123456');
  });
});

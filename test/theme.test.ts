// The theme: validated, frozen, and read from a cache keyed by its text, so an edit is
// never served stale and a theme that fails validation is never cached.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheDir, templatesDir } from '../pipeline/core/paths.ts';
import { loadTheme } from '../pipeline/core/theme.ts';
import { tempDir } from './helpers.ts';

const copyTheme = (edit: (yaml: string) => string = (y) => y) => {
  const file = path.join(tempDir(), 'theme.yaml');
  fs.writeFileSync(file, edit(fs.readFileSync(path.join(templatesDir, 'theme.yaml'), 'utf8')));
  return file;
};
const cached = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).filter((f) => f.startsWith('theme-')) : []);

describe('theme', () => {
  it('serves an edited theme with its new values, never the cached old ones', () => {
    const file = copyTheme((y) => y.replace('  brand: "#1B3A5C"', '  brand: "#123456"'));
    expect(loadTheme(file).colors.brand).toBe('#123456');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('  brand: "#123456"', '  brand: "#654321"'));
    expect(loadTheme(file).colors.brand).toBe('#654321');
    // Read again, from the cache this time: the same, frozen.
    const again = loadTheme(file);
    expect(again.colors.brand).toBe('#654321');
    expect(Object.isFrozen(again.colors)).toBe(true);
  });

  it('refuses a theme that fails validation every time, and caches nothing for it', () => {
    const file = copyTheme((y) => y.replace('  brand: "#1B3A5C"', '  brand: "navy"'));
    const before = cached();
    expect(() => loadTheme(file)).toThrow(/colors\.brand/);
    expect(() => loadTheme(file)).toThrow(/colors\.brand/);
    expect(cached()).toEqual(before);
  });
});

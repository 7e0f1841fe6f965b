// The zip writer the deck is packaged with: readable by JSZip (what the tests and
// pptxgenjs read with) and by Info-ZIP's CRC check, in the order given, with one
// timestamp, deflating text and storing what is compressed already.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import zlib from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { writeZip } from '../pipeline/core/zip.ts';
import { tempDir } from './temp.ts';
import { itWith } from './tools.ts';

const date = new Date('2024-02-29T13:45:58Z');
const xml = `<?xml version="1.0"?><root>${'<item>Japan–U.S. “alliance” §5</item>'.repeat(200)}</root>`;
const picture = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256);
const entries = [
  { name: '[Content_Types].xml', data: xml },
  { name: 'ppt/media/image-1.png', data: picture },
  { name: 'ppt/slides/slide1.xml', data: '' },
  { name: 'docs/ünïcødé name.xml', data: 'x' },
];

/** The compression method of each entry, from the central directory. */
function methods(zip: Buffer): Map<string, number> {
  const out = new Map<string, number>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    out.set(zip.toString('utf8', at + 46, at + 46 + nameLength), zip.readUInt16LE(at + 10));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

describe('writeZip', () => {
  const zip = writeZip(entries, date);

  it('gives back every entry, in order, with its exact bytes and the one timestamp', async () => {
    const read = await JSZip.loadAsync(zip);
    expect(Object.keys(read.files)).toEqual(entries.map((e) => e.name));
    for (const entry of entries) {
      const bytes = await read.file(entry.name)!.async('uint8array');
      expect(Buffer.from(bytes).equals(Buffer.from(typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data))).toBe(true);
      // DOS times have two-second steps: 13:45:58 is kept exactly.
      expect(read.file(entry.name)!.date.toISOString()).toBe('2024-02-29T13:45:58.000Z');
    }
  });

  it('deflates text and stores a picture, which deflate cannot shrink', () => {
    const found = methods(zip);
    expect(found.get('[Content_Types].xml')).toBe(8);
    expect(found.get('ppt/media/image-1.png')).toBe(0);
    // The picture is in whole; the repetitive text shrinks to a fraction.
    expect(zip.length).toBeLessThan(picture.length + Buffer.byteLength(xml) / 4);
  });

  it('gives the same bytes every time, whatever the time zone', () => {
    const again = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('${path.resolve('pipeline/core/zip.ts')}').then(({ writeZip }) => process.stdout.write(writeZip([{ name: 'a.xml', data: 'é'.repeat(99) }], new Date('${date.toISOString()}')).toString('base64')))`], {
      env: { ...process.env, TZ: 'Pacific/Kiritimati' },
      encoding: 'utf8',
    });
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(writeZip([{ name: 'a.xml', data: 'é'.repeat(99) }], date).toString('base64'));
  });

  it('writes a part it wrote before (a deck’s theme, in every deck) from memory, with the same bytes and that part’s own CRC and level', async () => {
    const theme = `<a:theme>${'<a:srgbClr val="1B3A5C"/>'.repeat(50)}</a:theme>`;
    const first = writeZip([{ name: 'ppt/theme/theme1.xml', data: theme }], date);
    const fresh = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('${path.resolve('pipeline/core/zip.ts')}').then(({ writeZip }) => process.stdout.write(writeZip([{ name: 'ppt/theme/theme1.xml', data: ${JSON.stringify(theme)} }], new Date('${date.toISOString()}')).toString('base64')))`], { encoding: 'utf8' });
    expect(fresh.stdout).toBe(first.toString('base64'));
    // Again, under another name, beside other parts: not deflated again, and read back whole.
    const deflate = vi.spyOn(zlib, 'deflateRawSync');
    const again = writeZip([{ name: 'a.xml', data: 'a' }, { name: 'ppt/theme/theme2.xml', data: theme }], date);
    expect(deflate.mock.calls.map(([raw]) => Buffer.from(raw as Uint8Array).toString())).toEqual(['a']);
    deflate.mockRestore();
    expect(await (await JSZip.loadAsync(again)).file('ppt/theme/theme2.xml')!.async('string')).toBe(theme);
    // Another level is deflated again, not taken from what level 6 wrote.
    expect(writeZip([{ name: 'ppt/theme/theme1.xml', data: theme }], date, 0).length).toBeGreaterThan(first.length + theme.length / 2);
  });

  itWith('unzip')('passes Info-ZIP’s test of every entry’s CRC', () => {
    const file = path.join(tempDir(), 'test.zip');
    fs.writeFileSync(file, zip);
    const result = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(result.stdout).toContain('No errors detected');
  });
});

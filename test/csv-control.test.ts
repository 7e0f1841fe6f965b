// Control characters in CSV cells (a BEL pasted from a terminal, a form feed from a
// spreadsheet export) would reach the chart's labels and the deck's embedded
// workbook: they are removed, with a warning at the CSV's line and column.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySample, validateDir } from './helpers.ts';

describe('control characters in CSV cells', () => {
  it('removes them from chart categories and the header, warning at the CSV line and column of each cell', () => {
    const { dir } = copySample();
    const file = path.join(dir, 'top-us-trade-partners.csv');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[0] = lines[0]!.replace('partner', 'part\u0007ner');
    lines[1] = lines[1]!.replace('China', 'Ch\u0007in\u001Ba');
    fs.writeFileSync(file, lines.join('\n'));
    const validated = validateDir(dir);
    expect(validated.result?.figureData.get('top-us-trade-partners')?.categories[0]).toBe('China');
    const warnings = validated.diagnostics.filter((d) => d.code === 'control-characters');
    expect(warnings.map(({ file: f, line, column, field }) => ({ file: path.basename(f), line, column, field }))).toEqual([
      { file: 'top-us-trade-partners.csv', line: 1, column: 1, field: 'figures[0].chart.data' },
      { file: 'top-us-trade-partners.csv', line: 2, column: 1, field: 'figures[0].chart.data' },
    ]);
    expect(warnings[1]!.message).toMatch(/removed 2 control or non-XML characters/);
  });
});

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaFile, schemaText } from '../pipeline/input/schema-export.ts';

describe('JSON Schema for editors', () => {
  it('is in step with the zod schema (run `npm run schema` after changing it)', () => {
    expect(fs.readFileSync(schemaFile, 'utf8')).toBe(schemaText());
  });

  it('describes the fields a brief needs', () => {
    const schema = JSON.parse(schemaText());
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'title', 'updated', 'version', 'sections', 'authors', 'disclaimer']));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.sections.items.properties)).toEqual(['heading', 'level', 'keyPoints', 'blocks']);
    expect(Object.keys(schema.properties.sections.items.properties.blocks.items.properties)).toEqual(['paragraph', 'bullets', 'figure', 'table', 'textbox']);
    expect(Object.keys(schema.properties.tables.items.properties)).toEqual(
      expect.arrayContaining(['id', 'title', 'subtitle', 'data', 'columns', 'totalRow', 'width', 'notes', 'footnotes', 'source', 'sourceLabel']),
    );
    expect(Object.keys(schema.properties.figures.items.properties)).toEqual(expect.arrayContaining(['image', 'chart', 'notes', 'footnotes', 'source', 'sourceLabel', 'alt']));
    expect(Object.keys(schema.properties.figures.items.properties.chart.properties)).toEqual(expect.arrayContaining(['stacked', 'annotations']));
    // Every field a writer can use is described for the editor's hover text.
    expect(schema.properties.tables.items.properties.width.description).toMatch(/page/);
  });
});

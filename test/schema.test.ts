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
    expect(Object.keys(schema.properties.sections.items.properties)).toEqual(['heading', 'keyPoints', 'blocks']);
  });
});

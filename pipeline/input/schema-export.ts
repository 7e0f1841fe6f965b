// `npm run schema`: writes data/brief.schema.json from the zod schema, so that
// editors (the yaml-language-server comment in each brief.yaml) autocomplete and
// check briefs as they are typed. A test keeps the committed file in step.
import fs from 'node:fs';
import path from 'node:path';
import { briefJsonSchema } from './schema.ts';
import { projectRoot } from '../core/paths.ts';

export const schemaFile = path.join(projectRoot, 'data', 'brief.schema.json');

export function schemaText(): string {
  return JSON.stringify({ title: 'briefpress brief', ...briefJsonSchema() }, null, 2) + '\n';
}

if (process.argv[1]?.endsWith('schema-export.ts')) {
  fs.writeFileSync(schemaFile, schemaText());
  process.stderr.write(`wrote ${path.relative(process.cwd(), schemaFile)}\n`);
}

// Writes the published JSON Schemas into packages/eval/schemas/ (pnpm --filter @xling/eval schemas).
import { writeFile } from 'node:fs/promises';
import { jsonSchemaText, publishedJsonSchemas } from './json-schemas.js';

const folder = new URL('../../schemas/', import.meta.url);
for (const [name, schema] of Object.entries(publishedJsonSchemas())) {
  await writeFile(new URL(name, folder), jsonSchemaText(schema));
  console.log(`wrote schemas/${name}`);
}

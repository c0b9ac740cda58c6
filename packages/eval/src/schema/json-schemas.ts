import { type ConversionConfig, type JsonSchema, toJsonSchema } from '@valibot/to-json-schema';
import { experimentConfigParts, experimentConfigSchema } from '../experiment/experiment-config.js';
import { experimentResultParts, experimentResultSchema } from '../report/experiment-result.js';

const CONVERSION: ConversionConfig = {
  target: 'draft-2020-12',
  // What a file may hold: keys with a default are optional.
  typeMode: 'input',
  // JSON has no NaN or Infinity; a `check` (no repeated items) comes with metadata saying it in JSON Schema.
  ignoreActions: ['finite', 'check'],
  // A custom schema (measureOptions) describes itself with metadata beside it.
  overrideSchema: ({ valibotSchema }) => (valibotSchema.type === 'custom' ? {} : undefined),
};

/**
 * The JSON Schemas published in `schemas/` (for editors, and for reading `report.json` from other
 * languages), by file name. Made from the valibot schemas, which they cannot drift from: a test
 * compares them with the committed files, and `pnpm --filter @xling/eval schemas` rewrites them.
 */
export function publishedJsonSchemas(): Record<string, JsonSchema> {
  return {
    'experiment-config.schema.json': toJsonSchema(experimentConfigSchema, {
      ...CONVERSION,
      definitions: experimentConfigParts,
    }),
    'report.schema.json': toJsonSchema(experimentResultSchema, {
      ...CONVERSION,
      definitions: experimentResultParts,
    }),
  };
}

/** A schema as its file holds it. */
export const jsonSchemaText = (schema: JsonSchema): string => `${JSON.stringify(schema, null, 2)}\n`;

import { readFile } from 'node:fs/promises';
// An independent JSON Schema validator (draft 2020-12), so the published files are checked as
// JSON Schema, not through valibot.
import Ajv2020 from 'ajv/dist/2020.js';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { experimentConfigSchema } from '../experiment/experiment-config.js';
import { experimentResultSchema } from '../report/experiment-result.js';
import { syntheticResult } from '../report/synthetic-result.js';
import { jsonSchemaText, publishedJsonSchemas } from './json-schemas.js';

const committed = async (name: string) =>
  JSON.parse(await readFile(new URL(`../../schemas/${name}`, import.meta.url), 'utf8'));

describe('publishedJsonSchemas()', () => {
  it('equals the committed files in schemas/ (after a schema change, run pnpm --filter @xling/eval schemas)', async () => {
    const schemas = publishedJsonSchemas();
    expect(Object.keys(schemas)).toEqual(['experiment-config.schema.json', 'report.schema.json']);
    for (const [name, schema] of Object.entries(schemas)) {
      const text = await readFile(new URL(`../../schemas/${name}`, import.meta.url), 'utf8');
      expect(text, name).toBe(jsonSchemaText(schema));
    }
  });
});

// biome-ignore lint/suspicious/noExplicitAny: mutations reach into a JSON copy at will.
type Mutation = [string, boolean, (value: Record<string, any>) => void];

/** ajv (strict mode) for a committed schema file. */
const ajvFor = async (name: string) => new Ajv2020({ allErrors: true }).compile(await committed(name));

describe('schemas/report.schema.json (checked with ajv)', () => {
  const mutations: Mutation[] = [
    ['nothing', true, () => {}],
    ['an accuracy of 1.5', false, (r) => (r.zeroShot[3].accuracy = 1.5)],
    ['a missing configHash', false, (r) => delete r.run.configHash],
    ['an unknown key', false, (r) => (r.run.modle = 'typo')],
    ['a wrong task', false, (r) => (r.zeroShot[0].task = 'pos')],
    ['a fractional word count', false, (r) => (r.probes[0].testWords = 1.5)],
    ['null test words', true, (r) => (r.probes[0].testWords = null)],
    ['an explained variance of 1 axis', false, (r) => (r.projections[0].explainedVarianceRatio = [0.5])],
    ['an explained variance of 3 axes', false, (r) => r.projections[0].explainedVarianceRatio.push(0.1)],
    ['an empty flag', false, (r) => (r.probes[3].flags = ['ok', ''])],
    ['a list for run', false, (r) => (r.run = [])],
    ['schemaVersion 2', false, (r) => (r.schemaVersion = 2)],
    ['no probes', true, (r) => delete r.probes],
    ['a negative layer', false, (r) => (r.layerSweep[0].points[0].layer = -1)],
    ['a few-shot curve without points', false, (r) => (r.fewShot[0].points = [])],
    ['a null alignability value', true, (r) => (r.alignability[0].values[0][1] = null)],
    ['a string alignability value', false, (r) => (r.alignability[0].values[0][1] = '0.5')],
  ];

  it.each(mutations)(
    'agrees with the valibot schema on a result with %s (valid: %s)',
    async (_, valid, mutate) => {
      const validate = await ajvFor('report.schema.json');
      const value = JSON.parse(JSON.stringify(syntheticResult()));
      mutate(value);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(valid);
      expect(v.safeParse(experimentResultSchema, value).success).toBe(valid);
    },
  );

  it('accepts the synthetic result and refuses a bad one with the key path', async () => {
    const validate = await ajvFor('report.schema.json');
    expect(validate(JSON.parse(JSON.stringify(syntheticResult())))).toBe(true);
    const value = JSON.parse(JSON.stringify(syntheticResult()));
    value.zeroShot[3].accuracy = 1.5;
    expect(validate(value)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(['/zeroShot/3/accuracy']);
  });
});

describe('schemas/experiment-config.schema.json (checked with ajv)', () => {
  const configs: [string, boolean, unknown][] = [
    ['a model only', true, { model: 'm' }],
    ['no model', false, { layers: [3] }],
    [
      'every key',
      true,
      {
        title: 't',
        model: 'm',
        modelName: 'my-model',
        udDir: 'ud',
        outDir: 'out',
        layers: [3, 7],
        pooling: 'mean',
        overflow: 'window',
        tasks: ['upos'],
        sourceLanguage: 'en',
        metaLanguages: ['de', 'hsb'],
        validationLanguages: ['it'],
        targetLanguages: ['gl', 'mt', 'wo'],
        lowResourceTreebanks: ['UD_Welsh-CCG'],
        maxFitSentences: 100,
        maxTestSentences: 100,
        probe: { schedule: 'fixed', epochs: 20, learningRate: 1e-4, batchSize: 8, k: { upos: 16 } },
        meta: { epochs: 5, tolerance: 0, minCount: 2 },
        alignability: { metrics: ['rsa'], measureOptions: { rsa: { method: 'pearson' } }, plugins: [] },
        fewShot: { shots: [], seeds: [0], epochs: 3 },
        bootstrap: { resamples: 10, alpha: 0.5 },
        seed: 2 ** 32 - 1,
        threads: 1024,
        slurm: {
          partition: 'cpu',
          time: 240,
          sbatch: ['--account=lab'],
          stages: { extract: { gpus: 'a100:1', mem: '64G' }, 'meta-train': { cpus: 8 } },
        },
      },
    ],
    ['an unknown key', false, { model: 'm', probe: { epoch: 3 } }],
    ['a __proto__ key', false, JSON.parse('{"model": "m", "__proto__": {"a": 1}}')],
    ['a repeated layer', false, { model: 'm', layers: [3, 3] }],
    ['no layers', false, { model: 'm', layers: [] }],
    ['epochs 0', false, { model: 'm', probe: { epochs: 0 } }],
    ['alpha 0 (an open bound)', false, { model: 'm', bootstrap: { alpha: 0 } }],
    ['a number for measure options', false, { model: 'm', alignability: { measureOptions: { rsa: 1 } } }],
    ['a path for modelName', false, { model: 'm', modelName: '../x' }],
    ['a language name', false, { model: 'm', targetLanguages: ['Galician'] }],
    ['an unknown Slurm stage', false, { model: 'm', slurm: { stages: { 'meta train': {} } } }],
    [
      'a shell line for sbatch',
      false,
      { model: 'm', slurm: { stages: { run: { sbatch: ['; rm -rf /'] } } } },
    ],
    ['a list for the config', false, [1, 2]],
  ];

  it.each(configs)(
    'agrees with the valibot schema on a config with %s (valid: %s)',
    async (_, valid, config) => {
      const validate = await ajvFor('experiment-config.schema.json');
      expect(validate(config), JSON.stringify(validate.errors)).toBe(valid);
      expect(v.safeParse(experimentConfigSchema, config).success).toBe(valid);
    },
  );
});

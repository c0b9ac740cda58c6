import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { XlingError, writeFileAtomic } from '@xling/core';
import { formatExampleConfig } from '../output/format-example-config.js';
import type { Command } from './command.js';

/** `xling config init [path]`: a commented example config with the defaults. */
export const configInitCommand: Command = {
  name: 'config init',
  summary: 'write a commented example experiment config (YAML) with every default',
  usage: '[path] [--model <dir>] [--force]',
  description:
    'Writes an experiment config listing every key with its default value and what it means (path ' +
    'default: xling.config.yaml). Edit it, then run the stages on it. An existing file is kept unless --force.',
  options: {
    model: {
      type: 'string',
      valueName: 'dir',
      description: "the config's model folder (default: models/xling-mini-encoder)",
    },
    force: { type: 'boolean', description: 'overwrite an existing file' },
  },
  positionals: { min: 0, max: 1 },
  examples: [
    { command: 'xling config init', comment: 'writes xling.config.yaml here' },
    { command: 'xling config init exp.yaml --model models/mbert', comment: 'for another model' },
  ],
  async run({ positionals, values, io }) {
    const path = resolve(io.cwd, positionals[0] ?? 'xling.config.yaml');
    if (existsSync(path) && !values.force) {
      throw new XlingError('XLING_FILE_EXISTS', `'${path}' already exists; pass --force to overwrite it.`);
    }
    const model = typeof values.model === 'string' ? values.model : 'models/xling-mini-encoder';
    await writeFileAtomic(path, formatExampleConfig(model));
    io.stdout.write(`Wrote ${path}\nNext: xling run ${positionals[0] ?? 'xling.config.yaml'}\n`);
    return 0;
  },
};

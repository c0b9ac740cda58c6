import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { type ExperimentConfig, resolveExperimentConfig } from './experiment-config.js';

/**
 * Reads an experiment config from a `.json`, `.yaml` or `.yml` file and validates it.
 * Relative `model`, `udDir` and `outDir` paths stay relative to the working directory.
 *
 * @throws XLING_CONFIG for a file that does not parse (with its line) or breaks the schema.
 */
export async function loadExperimentConfig(path: string): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [{ key: '(file)', message: `cannot be read: ${(error as Error).message}` }]);
  }
  let parsed: unknown;
  try {
    parsed = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, [{ key: '(syntax)', message: (error as Error).message.split('\n')[0] }]);
  }
  return resolveExperimentConfig(parsed, path);
}

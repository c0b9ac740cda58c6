import { dirname, resolve } from 'node:path';
import { readBoundedFile, XlingError } from '@xling/core';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';
import { type ExperimentConfig, resolveExperimentConfig } from './experiment-config.js';
import { loadMeasurePlugins } from './measure-plugins.js';

/** A config is a few hundred bytes; anything past 1 MiB is not a config. */
export const MAX_CONFIG_BYTES = 1 << 20;

/**
 * Reads an experiment config from a `.json`, `.yaml` or `.yml` file and validates it.
 * Relative `model`, `udDir` and `outDir` paths stay relative to the working directory; the
 * measure modules of `alignability.plugins` (relative to the config file) are imported and
 * registered first, so their ids validate.
 *
 * @throws XLING_CONFIG for a file that is missing, does not parse (with its line) or breaks the
 * schema; XLING_LIMIT_EXCEEDED past {@link MAX_CONFIG_BYTES}; XLING_FILE_NOT_REGULAR for a FIFO
 * or device.
 */
export async function loadExperimentConfig(path: string): Promise<ExperimentConfig> {
  let text: string;
  try {
    text = (await readBoundedFile(path, MAX_CONFIG_BYTES, 'MAX_CONFIG_BYTES')).toString('utf8');
  } catch (error) {
    if (XlingError.isInstance(error) && error.code !== 'XLING_FILE_SYSTEM') throw error;
    throw new ConfigError(path, [{ key: '(file)', message: `cannot be read: ${(error as Error).message}` }]);
  }
  let parsed: unknown;
  try {
    parsed = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(path, [{ key: '(syntax)', message: (error as Error).message.split('\n')[0] }]);
  }
  const plugins = (parsed as { alignability?: { plugins?: unknown } } | null)?.alignability?.plugins;
  if (Array.isArray(plugins) && plugins.every((p) => typeof p === 'string'))
    await loadMeasurePlugins(plugins, dirname(resolve(path)), path);
  return resolveExperimentConfig(parsed, path);
}

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ConceptMeasure, type MeasureRegistry, measures } from '@xling/align';
import { ConfigError } from './config-error.js';

/**
 * Imports each plugin module (path relative to `baseDir`) and registers what it default-exports,
 * a measure or a list of measures, into `registry`. A measure already registered with the same
 * functions (the same plugin loaded twice in one process) is skipped.
 *
 * @param file - the config file, for messages
 * @returns the ids registered or found
 * @throws XLING_CONFIG naming the plugin for a module that cannot be imported, exports no measure,
 * or exports a malformed one or one whose id is taken.
 */
export async function loadMeasurePlugins(
  paths: readonly string[],
  baseDir: string,
  file: string,
  registry: MeasureRegistry = measures,
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, path] of paths.entries()) {
    const key = `alignability.plugins[${i}]`;
    const fail = (message: string) => new ConfigError(file, [{ key, message }]);
    let module: { default?: unknown };
    try {
      module = await import(pathToFileURL(resolve(baseDir, path)).href);
    } catch (error) {
      throw fail(
        `cannot be imported from ${resolve(baseDir, path)}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    const exported = module.default;
    const list = (Array.isArray(exported) ? exported : [exported]) as ConceptMeasure[];
    if (exported === undefined || list.length === 0)
      throw fail('must default-export a measure or a list of measures (see docs/contributing.md)');
    for (const measure of list) {
      if (
        typeof measure?.id === 'string' &&
        registry.has(measure.id) &&
        registry.get(measure.id).compare === measure.compare
      ) {
        ids.push(measure.id);
        continue;
      }
      try {
        registry.register(measure);
      } catch (error) {
        throw fail((error as Error).message);
      }
      ids.push(measure.id);
    }
  }
  return ids;
}

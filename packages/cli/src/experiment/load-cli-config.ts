import { isAbsolute, resolve } from 'node:path';
import { type ExperimentConfig, loadExperimentConfig } from '@xling/eval';
import type { Device } from '@xling/extract';
import { resolveUdDir } from '@xling/ud';
import type { CliIo } from '../cli-io.js';

/** Overrides a stage command accepts on top of the config file (none of them changes the numbers). */
export interface ConfigOverrides {
  outDir?: string;
  udDir?: string;
  threads?: number;
  workers?: number;
  device?: Device;
}

const fromCwd = (cwd: string, path: string) => (isAbsolute(path) ? path : resolve(cwd, path));

/**
 * Completes a validated experiment config for a CLI run: `model`, `icl.model`, `outDir` and `udDir` become
 * absolute paths from the command's working folder (`io.cwd`), and a missing `udDir` is found like
 * every other command finds it (`$XLING_UD_DIR`, else `../shared/data/ud` next to the repository).
 * `outDir`, `udDir`, `threads`, `workers` and `device` are left out of the config hash, so overriding them keeps the cache.
 */
export function completeConfig(
  config: ExperimentConfig,
  io: CliIo,
  overrides: ConfigOverrides = {},
): ExperimentConfig {
  const udDir = overrides.udDir ?? config.udDir;
  return {
    ...config,
    model: fromCwd(io.cwd, config.model),
    ...(config.icl ? { icl: { ...config.icl, model: fromCwd(io.cwd, config.icl.model) } } : {}),
    outDir: fromCwd(io.cwd, overrides.outDir ?? config.outDir),
    udDir: resolveUdDir(udDir, { cwd: io.cwd, env: io.env }),
    ...(overrides.threads === undefined ? {} : { threads: overrides.threads }),
    ...(overrides.workers === undefined ? {} : { workers: overrides.workers }),
    ...(overrides.device === undefined ? {} : { device: overrides.device }),
  };
}

/** Reads a JSON/YAML experiment config relative to `io.cwd`, validates it and completes its paths. */
export async function loadCliConfig(
  path: string,
  io: CliIo,
  overrides: ConfigOverrides = {},
): Promise<ExperimentConfig> {
  // Messages name the file as typed when it resolves the same from the process' own folder.
  const absolute = fromCwd(io.cwd, path);
  const config = await loadExperimentConfig(resolve(path) === absolute ? path : absolute);
  return completeConfig(config, io, overrides);
}

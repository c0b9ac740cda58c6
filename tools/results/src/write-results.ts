import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InvalidArgumentError, writeFileAtomic } from '@xling/core';
import { readExperimentResult } from '@xling/eval';
import { readModelDescription } from './model-description.js';
import { renderResults } from './render-results.js';
import { readScriptTable } from './script-table.js';
import type { Timing } from './sections/intro.js';

/** The inputs of {@link writeResults}: paths relative to `cwd`. */
export interface WriteResultsOptions {
  /** `<outDir>/runs/<config hash>`: holds report.json. */
  runDir: string;
  /** The model folder (config.json, README.md). @defaultValue `models/<the report's model name>` when it exists */
  modelDir?: string;
  /** probe_vs_logreg.py's `--out` file. */
  logregTable?: string;
  /** lr_vs_lookup.py's `--out` file. */
  lrTable?: string;
  /** `<wall>, user <user>`, e.g. `9 min 5 s, user 10 min 34 s`. */
  timing?: string;
  /** @defaultValue 'docs/results.md' */
  out?: string;
  /** @defaultValue process.cwd() */
  cwd?: string;
}

const DEFAULT_OUT = 'docs/results.md';

function parseTiming(timing: string): Timing {
  const match = /^(.+?), user (.+)$/.exec(timing);
  if (!match)
    throw new InvalidArgumentError(
      'timing',
      'writeResults',
      `must be '<wall>, user <user>' (e.g. '9 min 5 s, user 10 min 34 s'), but got '${timing}'.`,
    );
  return { wall: match[1], user: match[2] };
}

/** The command that makes the page again, for its header. */
function commandOf(o: WriteResultsOptions, show: (p: string) => string): string {
  const flags: [string, string | undefined][] = [
    ['--model', o.modelDir],
    ['--logreg-table', o.logregTable],
    ['--lr-table', o.lrTable],
    ['--timing', o.timing && `"${o.timing}"`],
    ['--out', o.out],
  ];
  const shown = flags.flatMap(([flag, v]) => (v ? [`${flag} ${flag === '--timing' ? v : show(v)}`] : []));
  return ['pnpm results', show(o.runDir), ...shown].join(' ');
}

/**
 * Renders docs/results.md from a run folder and writes it atomically (a reader sees the old page
 * or the new one): report.json validated with @xling/eval's validator, the model folder's
 * config.json and model card, and the reference scripts' tables when given.
 *
 * @returns the path written
 * @throws XLING_FILE_FORMAT for a report.json that breaks the schema or a table from another run or
 *   script; XLING_MODEL_FOLDER for a model folder without config.json; XLING_INVALID_ARGUMENT for a
 *   malformed `timing`.
 */
export async function writeResults(options: WriteResultsOptions): Promise<string> {
  const cwd = options.cwd ?? process.cwd();
  const at = (p: string) => resolve(cwd, p);
  const show = (p: string) => relative(cwd, at(p)) || '.';
  const runDir = show(options.runDir);
  const timing = options.timing === undefined ? undefined : parseTiming(options.timing);
  const result = await readExperimentResult(join(at(options.runDir), 'report.json'));
  const hash = result.run.configHash;
  const modelDir = options.modelDir ?? join('models', result.run.model.name);
  const hasModel = options.modelDir !== undefined || existsSync(at(modelDir));
  const page = renderResults({
    result,
    runDir,
    command: commandOf(options, show),
    timing,
    ...(hasModel ? { model: await readModelDescription(at(modelDir), show(modelDir)) } : {}),
    ...(options.logregTable
      ? { logreg: await readScriptTable(at(options.logregTable), 'logreg', runDir, hash) }
      : {}),
    ...(options.lrTable ? { lr: await readScriptTable(at(options.lrTable), 'lr', runDir, hash) } : {}),
  });
  const out = at(options.out ?? DEFAULT_OUT);
  await writeFileAtomic(out, page);
  return out;
}

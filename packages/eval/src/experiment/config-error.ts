import { XlingError } from '@xling/core';

/** One problem of an experiment config: the key path and what is wrong with it. */
export interface ConfigProblem {
  /** Dotted key path, e.g. `fewShot.shots[2]`. */
  key: string;
  message: string;
}

/**
 * An experiment config is invalid. Code `XLING_CONFIG`. The message lists every problem as
 * `file: key: message`, so one run of the validator shows all of them.
 */
export class ConfigError extends XlingError {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    super(
      'XLING_CONFIG',
      `Invalid experiment config '${file}':\n${problems.map((p) => `  ${file}: ${p.key}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}

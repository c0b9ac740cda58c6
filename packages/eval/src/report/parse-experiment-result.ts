import { InvalidArgumentError } from '@xling/core';
import type { ExperimentResult } from './experiment-result.js';
import { validateExperimentResult } from './validate-experiment-result.js';

/**
 * Validates `value` and returns it typed as an {@link ExperimentResult}, or throws naming the
 * first bad key: "Argument 'result.zeroShot[2].accuracy' passed to 'writeReport' must be a finite
 * number in [0, 1], but got 1.5. (1 more problem)". The value is returned as is, not copied.
 *
 * @param value - the candidate result
 * @param functionName - the function to name in the message @defaultValue 'parseExperimentResult'
 * @throws XLING_INVALID_ARGUMENT when the value breaks the schema.
 * @example
 * const result = parseExperimentResult(JSON.parse(text));
 */
export function parseExperimentResult(
  value: unknown,
  functionName = 'parseExperimentResult',
): ExperimentResult {
  const issues = validateExperimentResult(value);
  if (issues.length > 0) {
    const first = issues[0];
    const more =
      issues.length > 1 ? ` (${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    const argument = first.path === '' ? 'result' : `result.${first.path}`;
    throw new InvalidArgumentError(argument, functionName, `${first.message}${more}`);
  }
  return value as ExperimentResult;
}

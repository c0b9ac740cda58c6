import { readFile } from 'node:fs/promises';
import { FileFormatError, InvalidArgumentError } from '@xling/core';
import type { ExperimentResult } from './experiment-result.js';
import { parseExperimentResult } from './parse-experiment-result.js';

/**
 * Reads and validates a `report.json` written by {@link writeReport}, e.g. to re-render reports
 * (`xling report`) without re-running the experiment.
 *
 * @param path - path of the JSON file
 * @returns the validated result
 * @throws XLING_FILE_FORMAT (`ruleId` `json-syntax` or `experiment-result-schema`, naming the bad key).
 * @example
 * const result = await readExperimentResult('runs/abc123/report.json');
 */
export async function readExperimentResult(path: string): Promise<ExperimentResult> {
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FileFormatError(
      {
        file: path,
        line: 0,
        column: 0,
        ruleId: 'json-syntax',
        reason: `not valid JSON: ${(error as Error).message}`,
      },
      { cause: error },
    );
  }
  try {
    return parseExperimentResult(value, 'readExperimentResult');
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      const reason = error.message.replace(/^Argument '([^']*)' passed to '[^']*' /, "key '$1' ");
      throw new FileFormatError(
        { file: path, line: 0, column: 0, ruleId: 'experiment-result-schema', reason },
        { cause: error },
      );
    }
    throw error;
  }
}

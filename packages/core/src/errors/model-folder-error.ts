import { XlingError, type XlingErrorOptions } from './xling-error.js';

/** A model folder lacks files or holds files that do not fit together. Code `XLING_MODEL_FOLDER`. */
export class ModelFolderError extends XlingError {
  readonly folder: string;
  /** Files (relative to `folder`) that were expected but not found. */
  readonly missing: readonly string[];

  constructor(
    folder: string,
    problem: string,
    missing: readonly string[] = [],
    options: XlingErrorOptions = {},
  ) {
    super('XLING_MODEL_FOLDER', `Model folder '${folder}': ${problem}`, options);
    this.name = 'ModelFolderError';
    this.folder = folder;
    this.missing = missing;
  }
}

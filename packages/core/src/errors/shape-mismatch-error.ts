import { XlingError, type XlingErrorOptions } from './xling-error.js';

/** Two arguments' shapes do not fit together. Code `XLING_SHAPE_MISMATCH`. */
export class ShapeMismatchError extends XlingError {
  readonly argument: string;
  readonly functionName: string;
  readonly expected: string;
  readonly actual: string;

  /**
   * @example new ShapeMismatchError('y', 'procrustes', "17 rows like 'x'", '12')
   * // "Argument 'y' passed to 'procrustes' must have 17 rows like 'x', but got 12."
   */
  constructor(
    argument: string,
    functionName: string,
    expected: string,
    actual: string,
    options: XlingErrorOptions = {},
  ) {
    super(
      'XLING_SHAPE_MISMATCH',
      `Argument '${argument}' passed to '${functionName}' must have ${expected}, but got ${actual}.`,
      options,
    );
    this.name = 'ShapeMismatchError';
    this.argument = argument;
    this.functionName = functionName;
    this.expected = expected;
    this.actual = actual;
  }
}

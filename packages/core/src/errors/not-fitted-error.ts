import { XlingError } from './xling-error.js';

/** A learned map was used before `fit`. Code `XLING_NOT_FITTED`. */
export class NotFittedError extends XlingError {
  readonly estimator: string;

  constructor(estimator: string) {
    super(
      'XLING_NOT_FITTED',
      `This ${estimator} instance is not fitted yet. Call 'fit' with appropriate arguments before using this estimator.`,
    );
    this.name = 'NotFittedError';
    this.estimator = estimator;
  }
}

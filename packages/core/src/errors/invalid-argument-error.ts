import { XlingError, type XlingErrorOptions } from './xling-error.js';

/** An argument or option has a value the function cannot use. Code `XLING_INVALID_ARGUMENT`. */
export class InvalidArgumentError extends XlingError {
  readonly argument: string;
  readonly functionName: string;

  constructor(argument: string, functionName: string, problem: string, options: XlingErrorOptions = {}) {
    super('XLING_INVALID_ARGUMENT', `Argument '${argument}' passed to '${functionName}' ${problem}`, options);
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.functionName = functionName;
  }
}

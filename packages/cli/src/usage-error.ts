import { XlingError } from '@xling/core';

/**
 * The command line is wrong (unknown command or option, missing argument). Code `XLING_USAGE`;
 * the CLI prints the message with a pointer to `--help` and exits with status 2.
 */
export class UsageError extends XlingError {
  /** The command whose usage was broken, when known (`ud stats`). */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super('XLING_USAGE', message);
    this.name = 'UsageError';
    this.command = command;
  }
}

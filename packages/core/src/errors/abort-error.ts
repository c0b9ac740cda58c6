import { XlingError } from './xling-error.js';

/** A long operation stopped because its `AbortSignal` fired. Code `XLING_ABORTED`. */
export class AbortError extends XlingError {
  constructor(task: string, reason?: unknown) {
    super('XLING_ABORTED', `'${task}' was aborted${reason instanceof Error ? `: ${reason.message}` : ''}.`, {
      cause: reason,
    });
    this.name = 'AbortError';
  }
}

/** Throws an {@link AbortError} when `signal` has fired; call it between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined, task: string): void {
  if (signal?.aborted) throw new AbortError(task, signal.reason);
}

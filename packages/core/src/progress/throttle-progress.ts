import type { ProgressCallback, ProgressEvent } from './progress-event.js';

/**
 * Wraps a callback so `progress` events reach it at most every `intervalMs` (start and end
 * events always pass), keeping hot loops free of rendering cost.
 */
export function throttleProgress(
  callback: ProgressCallback | undefined,
  intervalMs = 100,
  now: () => number = Date.now,
): ProgressCallback {
  if (!callback) return () => {};
  let last = Number.NEGATIVE_INFINITY;
  return (event: ProgressEvent) => {
    if (event.status !== 'progress') {
      callback(event);
      return;
    }
    const t = now();
    if (t - last >= intervalMs || (event.total !== undefined && event.done >= event.total)) {
      last = t;
      callback(event);
    }
  };
}

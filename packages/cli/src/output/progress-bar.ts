import type { ProgressCallback, ProgressEvent } from '@xling/core';
import type { TextOutput } from '../cli-io.js';
import { formatBytes, formatCount, formatDuration } from './format.js';

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** Clock in milliseconds (tests). @defaultValue Date.now */
  now?: () => number;
  /** Milliseconds between two redraws of a bar on a terminal. @defaultValue 100 */
  intervalMs?: number;
}

/** A progress renderer: pass `onProgress` to library calls, call `finish` at the end. */
export interface ProgressBar {
  onProgress: ProgressCallback;
  /** Ends an unfinished bar line (after an error, say). */
  finish(): void;
}

interface TaskState {
  label: string;
  started: number;
  lastDecile: number;
}

function amount(value: number, unit: string | undefined): string {
  return unit === 'byte' ? formatBytes(value) : formatCount(value);
}

/** ' files' after a count, '' for bytes (formatBytes says 'MB'). */
function unitSuffix(value: number, unit: string | undefined): string {
  if (unit === undefined || unit === 'byte') return '';
  return ` ${unit}${value === 1 ? '' : 's'}`;
}

function rateOf(event: ProgressEvent, elapsed: number): string {
  const metrics = 'metrics' in event ? event.metrics : undefined;
  if (metrics?.bytesPerSecond !== undefined) return `${formatBytes(metrics.bytesPerSecond)}/s`;
  if (metrics?.megabytesPerSecond !== undefined) return `${metrics.megabytesPerSecond.toFixed(1)} MB/s`;
  if (metrics?.sentencesPerSecond !== undefined)
    return `${formatCount(Math.round(metrics.sentencesPerSecond))} sent/s`;
  const done = 'done' in event ? event.done : undefined;
  if (done !== undefined && elapsed > 0) {
    const perSecond = done / elapsed;
    return `${perSecond < 10 ? perSecond.toFixed(1) : formatCount(Math.round(perSecond))} ${event.unit ?? 'item'}/s`;
  }
  return '';
}

/**
 * Renders {@link ProgressEvent}s on `output` (stderr): on a terminal, one redrawn bar per task
 * (`label [#####-----]  45%  12/27 file  3.2 MB/s  ETA 4s`); elsewhere (logs, pipes, CI) plain
 * lines at the start, at every tenth of the way and at the end, so logs stay short.
 */
export function createProgressBar(output: TextOutput, options: ProgressBarOptions = {}): ProgressBar {
  const { now = Date.now, intervalMs = 100 } = options;
  const tty = output.isTTY === true;
  const tasks = new Map<string, TaskState>();
  let open = false;
  let lastDraw = Number.NEGATIVE_INFINITY;

  const describe = (event: ProgressEvent, state: TaskState): string => {
    const elapsed = (now() - state.started) / 1000;
    const done = event.status === 'start' ? 0 : (event.done ?? 0);
    const total = event.total;
    const parts: string[] = [];
    if (total !== undefined && total > 0) {
      const fraction = Math.min(1, done / total);
      if (tty) {
        const width = Math.max(10, Math.min(30, (output.columns || 80) - 60));
        const filled = Math.round(fraction * width);
        parts.push(`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`);
      }
      parts.push(`${String(Math.floor(fraction * 100)).padStart(3)}%`);
      parts.push(`${amount(done, event.unit)}/${amount(total, event.unit)}${unitSuffix(total, event.unit)}`);
    } else if (event.status === 'progress' || 'done' in event) {
      parts.push(`${amount(done, event.unit)}${unitSuffix(done, event.unit)}`);
    }
    const rate = rateOf(event, elapsed);
    if (rate !== '') parts.push(rate);
    if (event.status === 'progress') {
      const eta =
        event.metrics?.etaSeconds ??
        (total !== undefined && done > 0 ? (elapsed * (total - done)) / done : undefined);
      if (eta !== undefined) parts.push(`ETA ${formatDuration(eta)}`);
    } else if (event.status === 'end') {
      parts.push(`in ${formatDuration(elapsed)}`);
    }
    return `${state.label}  ${parts.join('  ')}`;
  };

  const onProgress: ProgressCallback = (event) => {
    let state = tasks.get(event.task);
    if (event.status === 'start' || state === undefined) {
      state = {
        label: event.label ? `${event.task} ${event.label}` : event.task,
        started: now(),
        lastDecile: -1,
      };
      tasks.set(event.task, state);
    } else if (event.label) {
      // Long tasks name their current item in the label (the treebank, the probe): show the latest.
      state.label = `${event.task} ${event.label}`;
    }
    if (tty) {
      if (event.status === 'progress' && now() - lastDraw < intervalMs) return;
      lastDraw = now();
      const text = describe(event, state);
      // Some terminals report 0 columns: treat 0 like unknown, or every line loses its end.
      const width = output.columns || 120;
      output.write(`\r\x1b[K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
      open = true;
      if (event.status === 'end') {
        output.write('\n');
        open = false;
        tasks.delete(event.task);
      }
      return;
    }
    if (event.status === 'start') {
      const size =
        event.total === undefined
          ? ''
          : ` (${amount(event.total, event.unit)}${unitSuffix(event.total, event.unit)})`;
      output.write(`${state.label}: started${size}\n`);
      return;
    }
    if (event.status === 'end') {
      output.write(`${describe(event, state)}: done\n`);
      tasks.delete(event.task);
      return;
    }
    if (event.total === undefined || event.total <= 0) return;
    const decile = Math.floor((10 * event.done) / event.total);
    if (decile > state.lastDecile && decile < 10) {
      if (state.lastDecile >= 0 || decile > 0) output.write(`${describe(event, state)}\n`);
      state.lastDecile = decile;
    }
  };

  return {
    onProgress,
    finish: () => {
      if (open) output.write('\n');
      open = false;
    },
  };
}

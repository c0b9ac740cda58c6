/**
 * Progress of a long operation (reading treebanks, extraction, training). The CLI renders these
 * as bars; libraries never print. Shaped like transformers.js' `ProgressInfo`.
 */
export type ProgressEvent =
  | { status: 'start'; task: string; label?: string; total?: number; unit?: string }
  | {
      status: 'progress';
      task: string;
      label?: string;
      /** Units done so far. */
      done: number;
      /** Units expected in all, when known. */
      total?: number;
      /** What is counted: `sentence`, `batch`, `episode`, `byte`, ... */
      unit?: string;
      /** Extra numbers worth showing (loss, accuracy, tokens/s). */
      metrics?: Record<string, number>;
    }
  | {
      status: 'end';
      task: string;
      label?: string;
      done?: number;
      total?: number;
      unit?: string;
      metrics?: Record<string, number>;
    };

/** Receives {@link ProgressEvent}s. */
export type ProgressCallback = (event: ProgressEvent) => void;

/** A text sink: process.stdout, process.stderr or a test buffer. */
export interface TextOutput {
  write(text: string): unknown;
  /** True when the sink is a terminal (progress bars, colours). */
  isTTY?: boolean;
  /** Terminal width, when known. */
  columns?: number;
}

/** What a command may touch of the outside world; tests pass buffers instead of the process' streams. */
export interface CliIo {
  stdout: TextOutput;
  stderr: TextOutput;
  /** Environment (`XLING_UD_DIR`, ...). */
  env: Record<string, string | undefined>;
  /** Folder relative paths start from. */
  cwd: string;
  /** Cancels long commands (Ctrl-C in bin.ts). */
  signal?: AbortSignal;
}

/** The process' own streams, environment and folder. */
export function processIo(signal?: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    ...(signal === undefined ? {} : { signal }),
  };
}

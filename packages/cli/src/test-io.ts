// Test-only helper (not exported): an in-memory CliIo.
import type { CliIo } from './cli-io.js';

export interface BufferIo extends CliIo {
  out(): string;
  err(): string;
}

export function bufferIo(
  options: { cwd?: string; env?: Record<string, string | undefined>; tty?: boolean } = {},
): BufferIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty ?? false, columns: 100 },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    out: () => out,
    err: () => err,
  };
}

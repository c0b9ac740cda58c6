#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { EXIT, run } from './run.js';

// First Ctrl-C: cancel the running command cleanly (partial downloads are kept for resuming);
// second: leave at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort(new Error('interrupted'));
});

run(process.argv.slice(2), processIo(controller.signal)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(
      `xling: internal error, please report it with the lines below:\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = EXIT.internal;
  },
);

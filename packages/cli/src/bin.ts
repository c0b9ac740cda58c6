#!/usr/bin/env node
import packageJson from '../package.json';

/** Exit status after Ctrl-C (128 + SIGINT), what shells and job schedulers expect. */
const INTERRUPTED = 130;

const argv = process.argv.slice(2);
// `--version` answers before any command (and onnxruntime, tfjs behind them) is loaded.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  process.stdout.write(`${packageJson.version}\n`);
} else {
  void main();
}

async function main(): Promise<void> {
  const [{ processIo }, { EXIT, run }] = await Promise.all([import('./cli-io.js'), import('./run.js')]);
  // First Ctrl-C: cancel the running command cleanly (outputs are written whole or not at all;
  // partial downloads are kept for resuming); second: leave at once.
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED);
    controller.abort(new Error('interrupted'));
  });
  try {
    const status = await run(argv, processIo(controller.signal));
    process.exitCode = controller.signal.aborted ? INTERRUPTED : status;
  } catch (error) {
    process.stderr.write(
      `xling: internal error, please report it with the lines below:\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = EXIT.internal;
  }
}

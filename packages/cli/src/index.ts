// Running the command line
export { EXIT, run } from './run.js';
export { type CliIo, processIo, type TextOutput } from './cli-io.js';
export { UsageError } from './usage-error.js';

// Commands
export { COMMANDS } from './commands/index.js';
export type { Command, CommandContext, CommandOptions } from './commands/command.js';

// Output
export { createProgressBar, type ProgressBar, type ProgressBarOptions } from './output/progress-bar.js';

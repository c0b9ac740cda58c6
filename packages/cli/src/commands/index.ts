import type { Command } from './command.js';
import { demoCommand } from './demo.js';
import { udDownloadCommand } from './ud-download.js';
import { udStatsCommand } from './ud-stats.js';
import { udValidateCommand } from './ud-validate.js';

/**
 * Every command, in help order. To add one (`extract`, `probe`, `align`, `meta train`, `eval`,
 * `report`, `run <config>`, `model build`, ...): write src/commands/<name>.ts exporting a
 * {@link Command} and add it here.
 */
export const COMMANDS: readonly Command[] = [
  udStatsCommand,
  udValidateCommand,
  udDownloadCommand,
  demoCommand,
];

import { alignCommand } from './align.js';
import type { Command } from './command.js';
import { configInitCommand } from './config-init.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { evalCommand } from './eval.js';
import { extractCommand } from './extract.js';
import { iclCommand } from './icl.js';
import { metaTrainCommand } from './meta-train.js';
import { modelBuildCommand } from './model-build.js';
import { modelLayersCommand } from './model-layers.js';
import { probeCommand } from './probe.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { udDownloadCommand } from './ud-download.js';
import { udStatsCommand } from './ud-stats.js';
import { udValidateCommand } from './ud-validate.js';

/**
 * Every command, in help order. To add one: write src/commands/<name>.ts exporting a
 * {@link Command} and add it here.
 */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  runCommand,
  extractCommand,
  probeCommand,
  alignCommand,
  metaTrainCommand,
  evalCommand,
  reportCommand,
  iclCommand,
  configInitCommand,
  modelBuildCommand,
  modelLayersCommand,
  doctorCommand,
  udStatsCommand,
  udValidateCommand,
  udDownloadCommand,
];

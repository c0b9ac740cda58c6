import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from '../cli-io.js';

/** Option definitions in node:util parseArgs' format, each with a help line. */
export type CommandOptions = Record<
  string,
  NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string }
>;

/** What a command's `run` receives. */
export interface CommandContext {
  /** Positional arguments after the command name. */
  positionals: string[];
  /** Parsed option values (strings, booleans, or arrays for `multiple`). */
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  io: CliIo;
}

/**
 * One CLI command. Adding a command = one file under src/commands/ exporting a `Command` and one
 * line in the COMMANDS table of src/commands/index.ts.
 */
export interface Command {
  /** Words that select it, space-separated: `ud stats`, `meta train`, `demo`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Argument synopsis after the name, e.g. `[dir] [--json] [--treebank <name>]...`. */
  usage: string;
  /** Paragraph(s) for `--help`. */
  description?: string;
  options: CommandOptions;
  /** Allowed number of positional arguments. */
  positionals: { min: number; max: number };
  /** Example invocations with a comment each, for `--help`. */
  examples: Array<{ command: string; comment: string }>;
  /** Runs the command and returns its exit status (0 success, 1 failure found, ...). */
  run(context: CommandContext): Promise<number>;
}

import { parseArgs } from 'node:util';
import { FileSystemError, XlingError } from '@xling/core';
import packageJson from '../package.json';
import { type CliIo, processIo } from './cli-io.js';
import type { Command, CommandContext } from './commands/command.js';
import { COMMANDS } from './commands/index.js';
import { formatCommandHelp, formatGeneralHelp } from './output/format-help.js';
import { didYouMean } from './suggest.js';
import { UsageError } from './usage-error.js';

/** Exit statuses of the CLI. */
export const EXIT = { ok: 0, failure: 1, usage: 2, internal: 70 } as const;

const VERSION: string = packageJson.version;

function findCommand(
  words: string[],
  commands: readonly Command[],
): { command: Command; length: number } | undefined {
  let best: { command: Command; length: number } | undefined;
  for (const command of commands) {
    const name = command.name.split(' ');
    if (
      name.length <= words.length &&
      name.every((w, i) => w === words[i]) &&
      name.length > (best?.length ?? 0)
    ) {
      best = { command, length: name.length };
    }
  }
  return best;
}

async function dispatch(argv: readonly string[], io: CliIo, commands: readonly Command[]): Promise<number> {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (words[0] === 'help') {
    const found = findCommand(words.slice(1), commands);
    if (found) io.stdout.write(`${formatCommandHelp(found.command)}\n`);
    else if (words.length === 1) io.stdout.write(`${formatGeneralHelp(commands, VERSION)}\n`);
    else
      throw new UsageError(
        `unknown command '${words.slice(1).join(' ')}'.${didYouMean(
          words.slice(1).join(' '),
          commands.map((c) => c.name),
        )}`,
      );
    return EXIT.ok;
  }
  const found = findCommand(words, commands);
  if (!found) {
    const wantsHelp = argv.includes('--help') || argv.includes('-h');
    if (words.length === 0) {
      if (wantsHelp) {
        io.stdout.write(`${formatGeneralHelp(commands, VERSION)}\n`);
        return EXIT.ok;
      }
      if (argv.length > 0)
        throw new UsageError(
          `unknown option '${argv[0]}'.${didYouMean(argv[0]!.replace(/^-+/, ''), ['version', 'help'], '--')}`,
        );
      io.stderr.write(`${formatGeneralHelp(commands, VERSION)}\n`);
      return EXIT.usage;
    }
    const group = words[0]!;
    if (words.length === 1 && commands.some((c) => c.name.startsWith(`${group} `))) {
      (wantsHelp ? io.stdout : io.stderr).write(`${formatGeneralHelp(commands, VERSION, group)}\n`);
      return wantsHelp ? EXIT.ok : EXIT.usage;
    }
    const names = commands.map((c) => c.name);
    const typed = words.slice(0, 2).join(' ');
    throw new UsageError(
      `unknown command '${words.join(' ')}'.${didYouMean(typed, names) || didYouMean(words[0]!, names)}`,
    );
  }
  const { command, length } = found;
  const parserOptions = Object.fromEntries(
    Object.entries(command.options).map(([name, { description: _d, valueName: _v, ...option }]) => [
      name,
      option,
    ]),
  );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv.slice(length) as string[],
      options: { ...parserOptions, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional.*$/s, '.');
    const flag = /Unknown option '--([^'=]+)/.exec(message)?.[1];
    const hint = flag ? didYouMean(flag, [...Object.keys(command.options), 'help'], '--') : '';
    throw new UsageError(`${message}${hint}`, command.name);
  }
  if (parsed.values.help) {
    io.stdout.write(`${formatCommandHelp(command)}\n`);
    return EXIT.ok;
  }
  const { min, max } = command.positionals;
  if (parsed.positionals.length < min) {
    throw new UsageError(
      `'${command.name}' needs ${min === 1 ? 'an argument' : `${min} arguments`}: ${command.usage}`,
      command.name,
    );
  }
  if (parsed.positionals.length > max) {
    throw new UsageError(
      `'${command.name}' takes at most ${max} argument${max === 1 ? '' : 's'}, but got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`,
      command.name,
    );
  }
  const context: CommandContext = {
    positionals: parsed.positionals,
    values: parsed.values as CommandContext['values'],
    io,
  };
  return command.run(context);
}

/**
 * Runs the xling command line on `argv` (without `node` and the script) and returns the exit
 * status instead of exiting, so it can be tested without spawning a process:
 * 0 success; 1 an xling error (bad input, missing data: one `xling: error: ...` line on stderr);
 * 2 a usage error (message and a pointer to `--help`); 70 anything else ("internal error,
 * please report" with the stack).
 *
 * @example
 * const status = await run(['ud', 'stats', '--json']);
 */
export async function run(
  argv: readonly string[],
  io: CliIo = processIo(),
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  try {
    return await dispatch(argv, io, commands);
  } catch (thrown) {
    // A file-system fault that reached here unwrapped is still an ordinary fault, not a bug.
    const error = FileSystemError.from(thrown);
    if (error instanceof UsageError || (XlingError.isInstance(error) && error.code === 'XLING_USAGE')) {
      const command = (error as UsageError).command;
      io.stderr.write(
        `xling: ${error.message}\nRun 'xling ${command ? `${command} ` : ''}--help' for usage.\n`,
      );
      return EXIT.usage;
    }
    if (XlingError.isInstance(error)) {
      io.stderr.write(`xling: error: ${error.message} [${error.code}]\n`);
      return EXIT.failure;
    }
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr.write(`xling: internal error, please report it with the lines below:\n${stack}\n`);
    return EXIT.internal;
  }
}

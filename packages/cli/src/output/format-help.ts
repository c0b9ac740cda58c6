import type { Command } from '../commands/command.js';

function wrap(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

/** `--help` of one command: usage, summary, description, options, examples. */
export function formatCommandHelp(command: Command): string {
  const flags = Object.entries(command.options).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '    ';
    const value = option.type === 'string' ? ` <${option.valueName ?? 'value'}>` : '';
    return [`${short}--${name}${value}`, option.description];
  });
  flags.push(['-h, --help', 'show this help']);
  const width = Math.max(...flags.map(([flag]) => flag!.length));
  return [
    `Usage: xling ${command.name} ${command.usage}`.trimEnd(),
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.description ? ['', wrap(command.description, 80)] : []),
    '',
    'Options:',
    ...flags.map(([flag, description]) => `  ${flag!.padEnd(width)}  ${description}`),
    '',
    'Examples:',
    ...command.examples.flatMap((e) => [`  # ${e.comment}`, `  ${e.command}`]),
  ].join('\n');
}

/** `xling --help`: the command list (optionally only those under a group such as `ud`). */
export function formatGeneralHelp(commands: readonly Command[], version: string, group?: string): string {
  const shown = group ? commands.filter((c) => c.name.startsWith(`${group} `)) : commands;
  const width = Math.max(...shown.map((c) => c.name.length));
  return [
    `xling ${version} — cross-lingual structural concepts in language models`,
    '',
    `Usage: xling ${group ? `${group} ` : ''}<command> [options]`,
    '',
    'Commands:',
    ...shown.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'xling <command> --help' for a command's options and examples.",
    '',
    'Environment:',
    '  XLING_UD_DIR  UD directory (default: ../shared/data/ud next to the repository)',
    '',
    'Exit status: 0 success, 1 failure (bad input, missing data), 2 usage error, 70 internal error.',
  ].join('\n');
}

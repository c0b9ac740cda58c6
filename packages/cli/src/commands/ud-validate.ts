import { UsageError } from '../usage-error.js';
import { validateConlluFile } from '@xling/ud';
import type { Command } from './command.js';

/** `xling ud validate <file...>` */
export const udValidateCommand: Command = {
  name: 'ud validate',
  summary: 'check CoNLL-U files; one file:line:col line per problem',
  usage: '<file...> [--errors-only] [--max <n>]',
  description:
    'Validates each CoNLL-U file (.conllu or .conllu.gz) against every rule of @xling/ud, the checks of levels 1 and 2 ' +
    "of UD's validator (encoding, NFC, line ends, columns and whitespace, IDs, heads and tree shape, labels, features, " +
    'enhanced dependencies, ranges, empty nodes, sent_id, text, newdoc/newpar, parallel_id). Prints one line per problem, ' +
    '`file:line:col: message ruleId` (warnings say `warning:`), and exits with 1 when any file has an error, ' +
    '0 otherwise.',
  options: {
    'errors-only': { type: 'boolean', description: 'do not report warnings (e.g. text-mismatch)' },
    max: { type: 'string', valueName: 'n', description: 'stop after n problems per file (default 1000)' },
  },
  positionals: { min: 1, max: Number.POSITIVE_INFINITY },
  examples: [
    { command: 'xling ud validate en_ewt-ud-dev.conllu.gz', comment: 'one file, gzipped' },
    { command: 'xling ud validate data/*.conllu --errors-only', comment: 'many files, errors only' },
  ],
  async run({ positionals, values, io }) {
    let maxDiagnostics = 1000;
    if (values.max !== undefined) {
      maxDiagnostics = Number(values.max);
      if (!Number.isInteger(maxDiagnostics) || maxDiagnostics < 1) {
        throw new UsageError(`--max must be a positive integer, but got '${values.max}'.`, 'ud validate');
      }
    }
    let errors = 0;
    let warnings = 0;
    let badFiles = 0;
    for (const file of positionals) {
      const diagnostics = await validateConlluFile(file, {
        warnings: !values['errors-only'],
        maxDiagnostics,
      });
      let fileErrors = 0;
      for (const d of diagnostics) {
        if (d.severity === 'error') fileErrors++;
        else warnings++;
        io.stdout.write(
          `${d.file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message} ${d.ruleId}\n`,
        );
      }
      errors += fileErrors;
      if (fileErrors > 0) badFiles++;
      if (diagnostics.length >= maxDiagnostics) {
        io.stdout.write(`${file}: stopped after ${maxDiagnostics} problems\n`);
      }
    }
    const files = `${positionals.length} file${positionals.length === 1 ? '' : 's'}`;
    if (errors > 0) {
      io.stderr.write(
        `${errors} error${errors === 1 ? '' : 's'} in ${badFiles} of ${files}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}\n`,
      );
      return 1;
    }
    io.stdout.write(
      `OK: ${files} valid${warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}\n`,
    );
    return 0;
  },
};

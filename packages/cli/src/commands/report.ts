import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { XlingError, writeFileAtomic } from '@xling/core';
import { readExperimentResult, renderHtmlReport, renderMarkdownReport } from '@xling/eval';
import { formatExperimentSummary } from '../output/format-experiment-summary.js';
import { UsageError } from '../usage-error.js';
import type { Command } from './command.js';

const FORMATS = ['md', 'html', 'json'] as const;
type Format = (typeof FORMATS)[number];
const EXTENSION: Record<Format, string> = { md: 'md', html: 'html', json: 'json' };

/** `xling report <run-dir | report.json>`: re-render a report from its JSON. */
export const reportCommand: Command = {
  name: 'report',
  summary: 're-render the Markdown, HTML or JSON report of a run from its report.json',
  usage: '<run-dir | report.json> [--format md|html|json]... [--out <dir>] [--summary]',
  description:
    'Reads and validates report.json (the versioned result schema) from a run folder or a path, and ' +
    'writes report.md, report.html and report.json again (all three, or the --format ones) into --out ' +
    '(default: beside the input), without re-running anything. Every document is rendered before ' +
    'the first file is written and each file is replaced atomically, so a failure never leaves a ' +
    'half-written report.',
  options: {
    format: {
      type: 'string',
      multiple: true,
      short: 'f',
      valueName: 'md|html|json',
      description: 'format to write (repeatable; default all three)',
    },
    out: { type: 'string', valueName: 'dir', description: 'output folder (default: the input folder)' },
    summary: { type: 'boolean', description: 'also print the summary tables on stdout' },
  },
  positionals: { min: 1, max: 1 },
  examples: [
    { command: 'xling report xling-out/runs/3f2a9c0d41b7', comment: 're-render a run folder in place' },
    {
      command: 'xling report report.json --format html --out shared-report',
      comment: 'only the HTML, elsewhere',
    },
  ],
  async run({ positionals, values, io }) {
    const formats = ((values.format as string[] | undefined) ?? [...FORMATS]).map((f) => {
      if (!(FORMATS as readonly string[]).includes(f)) {
        throw new UsageError(`--format must be one of md, html, json, but got '${f}'.`, 'report');
      }
      return f as Format;
    });
    let input = resolve(io.cwd, positionals[0]!);
    if (existsSync(input) && statSync(input).isDirectory()) input = join(input, 'report.json');
    if (!existsSync(input)) {
      throw new XlingError(
        'XLING_FILE_NOT_FOUND',
        `'${input}' does not exist: pass a run folder (<outDir>/runs/<hash>) with a report.json, written by 'xling align', 'xling run' or 'xling eval'.`,
      );
    }
    const result = await readExperimentResult(input);
    const outDir = typeof values.out === 'string' ? resolve(io.cwd, values.out) : dirname(input);
    const documents = [...new Set(formats)].map((format) => ({
      path: join(outDir, `report.${EXTENSION[format]}`),
      text:
        format === 'md'
          ? renderMarkdownReport(result)
          : format === 'html'
            ? renderHtmlReport(result)
            : `${JSON.stringify(result, null, 2)}\n`,
      format,
    }));
    await mkdir(outDir, { recursive: true });
    // JSON last, as writeReport does: a report.json is never older than the documents beside it.
    documents.sort((a, b) => Number(a.format === 'json') - Number(b.format === 'json'));
    for (const document of documents) await writeFileAtomic(document.path, document.text);
    io.stdout.write(`${documents.map((d) => `Wrote ${d.path}`).join('\n')}\n`);
    if (values.summary) {
      const summary = formatExperimentSummary(result);
      if (summary !== '') io.stdout.write(`\n${summary}\n`);
    }
    return 0;
  },
};

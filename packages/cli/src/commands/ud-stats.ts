import {
  type LanguageRole,
  resolveLanguages,
  resolveUdDir,
  scanUdDir,
  type UdStats,
  udStats,
} from '@xling/ud';
import { UsageError } from '../usage-error.js';
import { createProgressBar } from '../output/progress-bar.js';
import { formatStatsReport } from '../output/format-stats-report.js';
import type { Command } from './command.js';

/** `xling ud stats [dir] [--json] [--treebank <name>]...` */
export const udStatsCommand: Command = {
  name: 'ud stats',
  summary: 'count sentences, words, UPOS and deprels per treebank and split',
  usage: '[dir] [--json] [--treebank <name>]... [--language <code>]... [--role <role>] [--lenient]',
  description:
    'Reads every treebank of a UD directory (the offline copy with MANIFEST.tsv, or an extracted UD release) ' +
    'and prints a table per treebank and split: sentences, syntactic words, multiword tokens, empty nodes, ' +
    'and the fallbacks in force (dev used for fitting where train is missing, files from older releases). ' +
    'Counts that differ from MANIFEST.tsv are flagged. The directory defaults to $XLING_UD_DIR, else ' +
    '../shared/data/ud next to the repository.',
  options: {
    json: { type: 'boolean', description: 'print the full statistics (with UPOS and deprel counts) as JSON' },
    treebank: {
      type: 'string',
      multiple: true,
      short: 't',
      valueName: 'name',
      description: 'only this treebank (UD name, or file code like en_ewt); repeatable',
    },
    language: {
      type: 'string',
      multiple: true,
      short: 'l',
      valueName: 'code',
      description: "only this study language's treebank (its substitute where it has no file); repeatable",
    },
    role: {
      type: 'string',
      valueName: 'role',
      description: 'only the study languages with this role: meta-train, target, validation, low-resource',
    },
    lenient: { type: 'boolean', description: 'skip malformed sentences instead of stopping at the first' },
  },
  positionals: { min: 0, max: 1 },
  examples: [
    { command: 'xling ud stats', comment: 'every treebank of $XLING_UD_DIR or ../shared/data/ud' },
    {
      command: 'xling ud stats ~/ud-treebanks-v2.15 --treebank en_ewt',
      comment: 'one treebank of a release',
    },
    { command: 'xling ud stats --role target', comment: "the study's 17 zero-shot target languages" },
    { command: 'xling ud stats --json > stats.json', comment: 'everything, with label counts, as JSON' },
  ],
  async run({ positionals, values, io }) {
    const dir = resolveUdDir(positionals[0], { cwd: io.cwd, env: io.env });
    const treebanks = [...((values.treebank as string[] | undefined) ?? [])];
    const languages = values.language as string[] | undefined;
    const role = values.role as string | undefined;
    if (languages !== undefined && role !== undefined) {
      throw new UsageError('give --language or --role, not both.', 'ud stats');
    }
    if (role !== undefined && !['meta-train', 'target', 'validation', 'low-resource'].includes(role)) {
      throw new UsageError(
        `--role must be meta-train, target, validation or low-resource, but got '${role}'.`,
        'ud stats',
      );
    }
    if (languages !== undefined || role !== undefined) {
      const resolved = await resolveLanguages(languages ?? (role as LanguageRole), {
        index: await scanUdDir(dir),
        onMissing: 'skip',
      });
      for (const { code, error } of resolved.skipped)
        io.stderr.write(`xling: skipped ${code}: ${error.message}\n`);
      for (const language of resolved.languages) {
        for (const s of language.substitutions.filter((x) => x.kind === 'substitute-treebank')) {
          io.stderr.write(`xling: ${language.code}: ${s.message}\n`);
        }
        treebanks.push(language.treebank.name);
      }
      if (treebanks.length === 0) {
        io.stderr.write('xling: no treebank to count\n');
        return 1;
      }
    }
    const bar = createProgressBar(io.stderr);
    let stats: UdStats;
    try {
      stats = await udStats(dir, {
        ...(treebanks.length > 0 ? { treebanks: [...new Set(treebanks)] } : {}),
        mode: values.lenient ? 'lenient' : 'strict',
        onProgress: bar.onProgress,
        ...(io.signal ? { signal: io.signal } : {}),
      });
    } finally {
      bar.finish();
    }
    if (values.json) io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    else io.stdout.write(`${formatStatsReport(stats)}\n`);
    return 0;
  },
};

import { type UdStats, udStats, resolveUdDir } from '@xling/ud';
import { createProgressBar } from '../output/progress-bar.js';
import { formatStatsReport } from '../output/format-stats-report.js';
import type { Command } from './command.js';

/** `xling ud stats [dir] [--json] [--treebank <name>]...` */
export const udStatsCommand: Command = {
  name: 'ud stats',
  summary: 'count sentences, words, UPOS and deprels per treebank and split',
  usage: '[dir] [--json] [--treebank <name>]... [--lenient]',
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
    lenient: { type: 'boolean', description: 'skip malformed sentences instead of stopping at the first' },
  },
  positionals: { min: 0, max: 1 },
  examples: [
    { command: 'xling ud stats', comment: 'every treebank of $XLING_UD_DIR or ../shared/data/ud' },
    {
      command: 'xling ud stats ~/ud-treebanks-v2.15 --treebank en_ewt',
      comment: 'one treebank of a release',
    },
    { command: 'xling ud stats --json > stats.json', comment: 'everything, with label counts, as JSON' },
  ],
  async run({ positionals, values, io }) {
    const dir = resolveUdDir(positionals[0], { cwd: io.cwd, env: io.env });
    const bar = createProgressBar(io.stderr);
    let stats: UdStats;
    try {
      stats = await udStats(dir, {
        ...(values.treebank ? { treebanks: values.treebank as string[] } : {}),
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

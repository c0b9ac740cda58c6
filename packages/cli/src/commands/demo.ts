import { udStats, resolveUdDir } from '@xling/ud';
import { createProgressBar } from '../output/progress-bar.js';
import { formatStatsReport } from '../output/format-stats-report.js';
import type { Command } from './command.js';

/**
 * `xling demo` — for now the UD statistics report of the whole UD directory; the full pipeline
 * demo (ud → extract → meta → eval) replaces it when those packages are ready.
 */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'the main job: for now, the UD statistics report of the whole UD directory',
  usage: '[dir]',
  description:
    'Runs the project’s main job on the UD directory ($XLING_UD_DIR, else ../shared/data/ud next to the ' +
    'repository). Until the cross-lingual pipeline lands, this is the statistics report of every treebank, ' +
    'with the fallbacks every later report must declare.',
  options: {},
  positionals: { min: 0, max: 1 },
  examples: [
    { command: 'pnpm demo', comment: 'from the repository root (builds first)' },
    { command: 'xling demo ~/ud-treebanks-v2.15', comment: 'on an extracted UD release' },
  ],
  async run({ positionals, io }) {
    const dir = resolveUdDir(positionals[0], { cwd: io.cwd, env: io.env });
    io.stdout.write('xling demo: UD statistics report (the cross-lingual pipeline demo will replace it)\n\n');
    const bar = createProgressBar(io.stderr);
    try {
      const stats = await udStats(dir, {
        onProgress: bar.onProgress,
        ...(io.signal ? { signal: io.signal } : {}),
      });
      io.stdout.write(`${formatStatsReport(stats)}\n`);
    } finally {
      bar.finish();
    }
    return 0;
  },
};

import type { UdStats } from '@xling/ud';
import { formatCount, formatTable } from './format.js';

function top(counts: Record<string, number>, total: number, n: number): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([label, count]) => `${label} ${((100 * count) / Math.max(total, 1)).toFixed(1)}%`)
    .join(', ');
}

const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** The terminal report of `xling ud stats`: a table, totals, label shares, fallbacks. */
export function formatStatsReport(stats: UdStats): string {
  const rows: string[][] = [];
  const mismatches: string[] = [];
  for (const treebank of stats.treebanks) {
    for (const split of Object.values(treebank.splits)) {
      const notes: string[] = [];
      if (split.split === treebank.fitSplit && split.split !== 'train') notes.push('fit split (no train)');
      if (split.olderRelease) notes.push('older release');
      if (split.skippedSentences > 0) notes.push(`${split.skippedSentences} skipped`);
      if (
        split.expected &&
        (split.expected.sentences !== split.sentences || split.expected.words !== split.words)
      ) {
        notes.push('differs from MANIFEST');
        mismatches.push(
          `${treebank.treebank} ${split.split}: ${split.sentences}/${split.words} counted, ${split.expected.sentences}/${split.expected.words} in MANIFEST.tsv`,
        );
      }
      rows.push([
        treebank.treebank,
        treebank.language,
        treebank.group ?? '',
        split.split,
        formatCount(split.sentences),
        formatCount(split.words),
        formatCount(split.multiwordTokens),
        formatCount(split.emptyNodes),
        notes.join('; '),
      ]);
    }
  }
  const { totals } = stats;
  const lines = [
    `UD directory: ${stats.dir} (${stats.layout === 'manifest' ? 'offline copy, MANIFEST.tsv' : `extracted release${stats.release ? ` ${stats.release}` : ''}`})`,
    '',
    formatTable(['treebank', 'lang', 'group', 'split', 'sentences', 'words', 'mwt', 'empty', 'notes'], rows, [
      false,
      false,
      false,
      false,
      true,
      true,
      true,
      true,
      false,
    ]),
    '',
    `Total: ${plural(totals.treebanks, 'treebank')}, ${plural(totals.files, 'file')}, ${formatCount(totals.sentences)} sentences, ${formatCount(
      totals.words,
    )} words, ${formatCount(totals.multiwordTokens)} multiword tokens, ${formatCount(totals.emptyNodes)} empty nodes (${(
      totals.bytes / 1e6
    ).toFixed(1)} MB read in ${stats.seconds.toFixed(1)} s).`,
    `UPOS: ${top(totals.upos, totals.words, 8)}.`,
    `Deprel: ${top(totals.deprel, totals.words, 8)}.`,
  ];
  const fitOnDev = stats.treebanks.filter((t) => t.fitSplit === 'dev').map((t) => t.treebank);
  const testOnly = stats.treebanks.filter((t) => t.fitSplit === null).map((t) => t.treebank);
  const older = stats.treebanks.flatMap((t) => t.substitutions.filter((s) => s.kind === 'older-release'));
  if (fitOnDev.length > 0) {
    lines.push(
      '',
      `No train split, dev used for fitting and test for testing (${fitOnDev.length}): ${fitOnDev.join(', ')}.`,
    );
  }
  if (testOnly.length > 0) lines.push(`Test only (${testOnly.length}): ${testOnly.join(', ')}.`);
  if (older.length > 0) {
    lines.push(`Files from older releases (${older.length}):`);
    for (const s of older) lines.push(`  ${s.message}`);
  }
  if (mismatches.length > 0) {
    lines.push(`Counts that differ from MANIFEST.tsv (${mismatches.length}):`);
    for (const m of mismatches) lines.push(`  ${m}`);
  }
  return lines.join('\n');
}

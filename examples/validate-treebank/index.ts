// Validate and pre-process a real treebank with @xling/ud: resolve it in the UD directory,
// validate its files against every CoNLL-U rule (diagnostics with file:line:column and the rule
// broken), then read it leniently and apply METHOD.md's pre-processing, printing what each step
// changed or removed.
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Diagnostic,
  type PreprocessReport,
  type Sentence,
  type UdSplit,
  formatDiagnostic,
  preprocessSentences,
  readConllu,
  resolveTreebank,
  resolveUdDir,
  validateConlluFile,
} from '@xling/ud';

/** Settings of {@link main}. */
export interface ValidateTreebankOptions {
  /** Treebank name (or its code, such as `cy_ccg`). @defaultValue 'UD_Welsh-CCG' */
  treebank?: string;
  /** Split to check. @defaultValue 'test' */
  split?: UdSplit;
  /** UD directory. @defaultValue $XLING_UD_DIR, else ../shared/data/ud next to the repository */
  udDir?: string;
  /** Sentences longer than this (after merging multiword tokens) are dropped. @defaultValue 128 */
  maxWords?: number;
  /** Diagnostics printed in full (all are counted). @defaultValue 10 */
  show?: number;
  /** Where the lines go. @defaultValue console.log */
  log?: (line: string) => void;
}

/** What {@link main} found. */
export interface ValidateTreebankResult {
  treebank: string;
  files: string[];
  diagnostics: Diagnostic[];
  /** Sentences left out by the lenient reader (each had an error). */
  skipped: number;
  report: PreprocessReport;
}

/** Validates and pre-processes one split of a treebank, printing diagnostics and the report. */
export async function main(options: ValidateTreebankOptions = {}): Promise<ValidateTreebankResult> {
  const { treebank = 'UD_Welsh-CCG', split = 'test', maxWords = 128, show = 10, log = console.log } = options;
  const dir = resolveUdDir(options.udDir);
  const resolved = await resolveTreebank(treebank, { dir, require: [split] });
  const files = resolved.splits[split]!.files.map((f) => f.path);
  log(
    `${resolved.name} (${resolved.language}), ${split}: ${files.length} file(s) in ${relative(process.cwd(), dir)}`,
  );
  for (const s of resolved.substitutions) log(`  note: ${s.message}`);

  // 1. Validation: every problem of the file, errors and warnings.
  const diagnostics: Diagnostic[] = [];
  for (const file of files) diagnostics.push(...(await validateConlluFile(file)));
  const byRule = new Map<string, number>();
  for (const d of diagnostics)
    byRule.set(`${d.severity} ${d.ruleId}`, (byRule.get(`${d.severity} ${d.ruleId}`) ?? 0) + 1);
  log('');
  log(
    diagnostics.length === 0
      ? 'Validation: no problems.'
      : `Validation: ${diagnostics.length} problem(s): ${[...byRule].map(([rule, n]) => `${n} ${rule}`).join(', ')}`,
  );
  for (const d of diagnostics.slice(0, show)) log(`  ${formatDiagnostic(d)}`);
  if (diagnostics.length > show) log(`  ... and ${diagnostics.length - show} more`);

  // 2. Pre-processing (METHOD.md section 1) of the sentences the lenient reader keeps.
  const sentences: Sentence[] = [];
  let skipped = 0;
  for (const file of files) {
    for await (const sentence of readConllu(file, { mode: 'lenient', onSkip: () => skipped++ })) {
      sentences.push(sentence);
    }
  }
  const { report } = preprocessSentences(sentences, { maxWords });
  log('');
  log(`Pre-processing (${skipped} sentence(s) with errors left out by the reader first):`);
  log(`  in:  ${report.sentencesIn} sentences, ${report.wordsIn} words`);
  log(
    `  comments dropped:          ${report.comments.linesRemoved} lines in ${report.comments.sentencesChanged} sentences`,
  );
  log(
    `  empty nodes dropped:       ${report.emptyNodes.nodesRemoved} in ${report.emptyNodes.sentencesChanged} sentences`,
  );
  log(
    `  multiword tokens merged:   ${report.multiwordTokens.tokensMerged} (${report.multiwordTokens.wordsRemoved} words fewer) in ${report.multiwordTokens.sentencesChanged} sentences`,
  );
  log(
    `  deprel subtypes stripped:  ${report.deprelSubtypes.wordsChanged} words in ${report.deprelSubtypes.sentencesChanged} sentences`,
  );
  log(
    `  longer than ${maxWords} words:    ${report.maxWords.sentencesRemoved} sentences (${report.maxWords.wordsRemoved} words) removed`,
  );
  log(
    `  not a tree:                ${report.validTree.sentencesRemoved} sentences (${report.validTree.wordsRemoved} words) removed`,
  );
  log(`  out: ${report.sentencesOut} sentences, ${report.wordsOut} words`);
  return { treebank: resolved.name, files, diagnostics, skipped, report };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [treebank, split] = process.argv.slice(2);
  await main({
    ...(treebank ? { treebank } : {}),
    ...(split ? { split: split as UdSplit } : {}),
  });
}

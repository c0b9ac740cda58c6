import { readFile } from 'node:fs/promises';
import { FileFormatError } from '@xling/core';

/** The reference scripts whose Markdown output results.md pastes. */
export const SCRIPTS = {
  logreg: {
    path: 'scripts/golden/meta/probe_vs_logreg.py',
    /** A line only this script's output has. */
    marker: '# Probe vs logistic regression',
  },
  lr: { path: 'scripts/model/lr_vs_lookup.py', marker: 'Made by `scripts/model/lr_vs_lookup.py`' },
} as const;

/** One script's output, checked to belong to the run. */
export interface ScriptTable {
  /** The command that made it, e.g. `/usr/bin/python3 scripts/model/lr_vs_lookup.py xling-out/runs/ab12`. */
  command: string;
  verdict: 'PASS' | 'FAIL';
  /** The output as the script wrote it, its headings moved below the page's `###` section. */
  markdown: string;
}

const VERDICT = /^\*\*(PASS|FAIL)\*\*/m;

/**
 * Reads a table that `script` wrote with `--out`, for the run whose config hash is `configHash`.
 *
 * @param file - the script's Markdown output
 * @param runDir - the run folder as the page names it (the script's argument)
 * @throws XLING_FILE_FORMAT when the file is not that script's output (`ruleId` `script-output`), has
 *   no PASS/FAIL line (`script-verdict`) or was made from another run (`other-run`).
 */
export async function readScriptTable(
  file: string,
  script: keyof typeof SCRIPTS,
  runDir: string,
  configHash: string,
): Promise<ScriptTable> {
  const text = await readFile(file, 'utf8');
  const { path, marker } = SCRIPTS[script];
  const fail = (ruleId: string, reason: string) =>
    new FileFormatError({ file, line: 0, column: 0, ruleId, reason });
  if (!text.includes(marker)) throw fail('script-output', `is not the output of ${path} (no '${marker}').`);
  const verdict = VERDICT.exec(text)?.[1] as ScriptTable['verdict'] | undefined;
  if (!verdict) throw fail('script-verdict', `has no **PASS** or **FAIL** line: not a finished ${path} run.`);
  if (!text.includes(`run ${configHash}`))
    throw fail('other-run', `was made from another run than ${configHash} (${runDir}).`);
  return {
    command: `/usr/bin/python3 ${path} ${runDir}`,
    verdict,
    // Its `#` and `##` headings nest under the page's `###` heading that introduces it.
    markdown: text.trimEnd().replace(/^#/gm, '####'),
  };
}

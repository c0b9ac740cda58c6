import type { ExperimentResult } from '@xling/eval';
import type { ModelDescription } from './model-description.js';
import type { ScriptTable } from './script-table.js';
import { alignabilitySection } from './sections/alignability.js';
import { fewShotSection } from './sections/few-shot.js';
import { gapSection } from './sections/gaps.js';
import { iclSection } from './sections/icl.js';
import { caveatSection, runSection, type Timing, titleSection } from './sections/intro.js';
import { learningCurveSection } from './sections/learning-curves.js';
import { probeSection } from './sections/probes.js';
import { zeroShotSection } from './sections/zero-shot.js';

/** Everything docs/results.md is made from. */
export interface ResultsInput {
  /** A validated report.json. */
  result: ExperimentResult;
  /** The run folder as the page names it (the reference scripts' argument). */
  runDir: string;
  /** The command that renders the page, named in its header comment. */
  command: string;
  model?: ModelDescription;
  /** probe_vs_logreg.py's output. */
  logreg?: ScriptTable;
  /** lr_vs_lookup.py's output. */
  lr?: ScriptTable;
  timing?: Timing;
}

/**
 * The results page of a run: the model and its caveat, how the run was made, probes against
 * their baselines (with the reference scripts' tables), alignability, zero-shot accuracy, the
 * meta-learning curves, the gap between languages, few-shot curves and in-context learning. Every
 * number and comparison is computed from the inputs; a section without data is left out.
 *
 * @returns the Markdown, ending with a newline
 */
export function renderResults(input: ResultsInput): string {
  const { result, runDir, command, model, logreg, lr, timing } = input;
  const lines = [
    ...titleSection(result, command),
    ...caveatSection(model),
    ...runSection(result, runDir, timing),
    ...probeSection(result.probes, result.run.layer, { logreg, lr }),
    ...alignabilitySection(result),
    ...zeroShotSection(result),
    ...learningCurveSection(result.learningCurves),
    ...gapSection(result),
    ...fewShotSection(result.fewShot, result.run.layer),
    ...iclSection(result.icl),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

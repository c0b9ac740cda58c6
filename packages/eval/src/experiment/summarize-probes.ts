import {
  MajorityClass,
  NearestClassMean,
  type InstanceSet,
  type LinearProbe,
  WordLookupTagger,
} from '@xling/meta';
import type { ProbeSummary } from '../report/experiment-result.js';
import type { ExperimentTask } from './experiment-config.js';

/** The data of one probe summary: the probe, its control-task twin, and the language's sets. */
export interface ProbeSummaryInput {
  task: ExperimentTask;
  layer: number;
  language: string;
  treebank: string;
  probe: LinearProbe;
  controlProbe?: LinearProbe;
  fit: InstanceSet;
  test?: InstanceSet;
  /** The control task's relabelling of `test` (scored by `controlProbe`). */
  controlTest?: InstanceSet;
}

const orNull = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? null : x);

/**
 * A probe's test accuracy beside the baselines a probing result must beat (majority class,
 * nearest class mean in the model's space, word-identity lookup) and the control-task
 * selectivity of Hewitt & Liang (2019), with its convergence record and the flags a reader should
 * see: not converged, fitting loss not below a uniform guess, or below a baseline on test.
 */
export function summarizeProbe(input: ProbeSummaryInput): ProbeSummary {
  const { task, layer, language, treebank, probe, controlProbe, fit, test, controlTest } = input;
  const d = probe.diagnostics;
  const accuracy = test ? probe.score(test) : undefined;
  const majority = test ? new MajorityClass().fit(fit).score(test) : undefined;
  const nearestClassMean = test ? new NearestClassMean().fit(fit).score(test) : undefined;
  const lookup = test?.wordIds && fit.wordIds ? new WordLookupTagger().fit(fit) : undefined;
  const controlTask =
    controlProbe && controlTest ? (orNull(controlProbe.score(controlTest)) ?? undefined) : undefined;
  const flags: string[] = [];
  if (!d.converged) flags.push(`not converged after ${d.epochsRun} epochs`);
  if (!(d.fitLoss < d.uniformLoss))
    flags.push(
      `fitting loss ${d.fitLoss.toFixed(3)} not below a uniform guess (${d.uniformLoss.toFixed(3)})`,
    );
  if (accuracy !== undefined && majority !== undefined && accuracy < majority)
    flags.push('below the majority class');
  if (accuracy !== undefined && nearestClassMean !== undefined && accuracy < nearestClassMean)
    flags.push('below the nearest class mean');
  return {
    task,
    layer,
    language,
    treebank,
    fitSplit: probe.fitSplit ?? 'train',
    fitWords: fit.x.rows,
    testWords: test ? test.x.rows : null,
    accuracy: orNull(accuracy),
    epochsRun: d.epochsRun,
    bestEpoch: d.bestEpoch,
    converged: d.converged,
    fitLoss: d.fitLoss,
    uniformLoss: d.uniformLoss,
    fitAccuracy: d.fitAccuracy,
    devAccuracy: orNull(d.devAccuracy),
    majority: orNull(majority),
    nearestClassMean: orNull(nearestClassMean),
    wordLookup: lookup && test ? orNull(lookup.score(test)) : null,
    wordLookupCoverage: lookup && test ? orNull(lookup.coverage(test)) : null,
    controlTask: orNull(controlTask),
    selectivity: accuracy !== undefined && controlTask !== undefined ? accuracy - controlTask : null,
    flags,
  };
}

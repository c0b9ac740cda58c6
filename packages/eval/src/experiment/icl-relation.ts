import type { IclAccuracy, IclRelation } from '../report/experiment-result.js';
import { rankCorrelation } from '../metrics/rank-correlation.js';
import type { ExperimentConfig, IclConfig } from './experiment-config.js';
import { type IclStateTable, stateId } from './icl-states.js';
import { classMeanConceptSpace, runAlignability } from './run-alignability.js';

/** The measure of the relation: Procrustes disparity needs no training and is defined for every target. */
const METRIC = 'procrustes';

/**
 * How each target's ICL accuracy (source demonstrations) relates to its alignability with the
 * source, per task at the first ICL layer. The alignability is the Procrustes disparity between
 * the class means of the target's test states and of the source's fitting states (labels with at
 * least `meta.minCount` instances on both sides): it reads the decoder's own states only, so
 * `xling icl` needs no encoder, and it exists for test-only treebanks too. Spearman's rho with a
 * bootstrap interval over languages.
 */
export function iclRelation(
  config: ExperimentConfig,
  source: string,
  targets: readonly string[],
  states: IclStateTable,
  accuracy: readonly IclAccuracy[],
): IclRelation[] {
  const icl = config.icl as IclConfig;
  return icl.tasks.map((task) => {
    const space = (language: string, split: 'fit' | 'test') => {
      const set = states.get(stateId(task, language, split))?.[0];
      return set && set.x.rows > 0 ? { [language]: classMeanConceptSpace(set, task) } : {};
    };
    const spaces = Object.assign(space(source, 'fit'), ...targets.map((t) => space(t, 'test')));
    const [matrix] = runAlignability(spaces, {
      task,
      layer: icl.layers![0],
      metrics: [METRIC],
      permutations: 0,
      minCount: config.meta.minCount,
      seed: config.seed,
    });
    const row = matrix.values[matrix.languages.indexOf(source)] ?? [];
    const points = targets.flatMap((language) => {
      const value = row[matrix.languages.indexOf(language)];
      const icl = accuracy.find(
        (a) => a.task === task && a.language === language && a.demonstrations === 'source',
      )?.accuracy;
      return value !== undefined && value !== null && icl !== undefined && icl !== null
        ? [{ language, accuracy: icl, alignability: value }]
        : [];
    });
    const { resamples, alpha } = config.bootstrap;
    return {
      task,
      layer: icl.layers![0],
      metric: matrix.metric,
      higherIsBetter: matrix.higherIsBetter,
      prototypes: "class means of the decoder's tag-position states (target test, source fitting split)",
      points,
      correlation: rankCorrelation(
        points.map((p) => p.accuracy),
        points.map((p) => p.alignability),
        { resamples, alpha, seed: config.seed },
      ),
    };
  });
}

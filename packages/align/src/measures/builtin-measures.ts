import type { PairStatistic } from '../significance/statistic.js';
import { mutualKnnMeasure } from './mutual-knn-measure.js';
import { secondOrderCosineMeasure } from './second-order-cosine-measure.js';
import { angularProcrustesMeasure } from './angular-procrustes-measure.js';
import { distanceCorrelationMeasure } from './distance-correlation-measure.js';
import { normalizedBuresMeasure } from './normalized-bures-measure.js';
import { rsmRiemannianMeasure } from './rsm-riemannian-measure.js';
import { ccaMeasure, pwccaMeasure, svccaMeasure } from './cca-measures.js';
import { linearCkaMeasure, rbfCkaMeasure } from './cka-measures.js';
import type { ConceptMeasure } from './concept-measure.js';
import { MeasureRegistry } from './measure-registry.js';
import { procrustesMeasure } from './procrustes-measure.js';
import { rsaMeasure } from './rsa-measure.js';

/** The measures xling ships, in the order `xling config init` and the docs list them. */
export const BUILTIN_MEASURES: readonly ConceptMeasure[] = [
  procrustesMeasure,
  rsaMeasure,
  linearCkaMeasure,
  rbfCkaMeasure,
  ccaMeasure,
  svccaMeasure,
  pwccaMeasure,
  angularProcrustesMeasure,
  normalizedBuresMeasure,
  distanceCorrelationMeasure,
  mutualKnnMeasure,
  secondOrderCosineMeasure,
  rsmRiemannianMeasure,
];

/** The default registry: the built-ins, plus whatever plugins register. */
export const measures: MeasureRegistry = new MeasureRegistry();
for (const m of BUILTIN_MEASURES) measures.register(m as ConceptMeasure);

/**
 * Adds a measure to the default registry, so configs, `compareConceptSpaces` and the reports see
 * it (a plugin module calls this, or default-exports the measure for `alignability.plugins`).
 * @throws XLING_INVALID_ARGUMENT for a malformed measure or a taken id (unless `replace`).
 */
export function registerMeasure(measure: ConceptMeasure, options: { replace?: boolean } = {}): void {
  measures.register(measure, options);
}

/** A plain `(x, y) => number` statistic as a measure (higher = more alignable, 3 shared labels). */
export function measureFromStatistic(id: string, statistic: PairStatistic): ConceptMeasure {
  return {
    id,
    label: id,
    description: `custom statistic '${id}'`,
    higherIsMoreAlignable: true,
    minShared: 3,
    prepare: (x) => x,
    compare: (a, b) => statistic(a as never, b as never),
  };
}

// Procrustes: scipy-compatible disparity, orthogonal maps, generalised Procrustes
export { procrustes, type ProcrustesResult } from './procrustes/procrustes.js';
export { procrustesDisparity } from './procrustes/procrustes-disparity.js';
export {
  orthogonalProcrustes,
  type OrthogonalProcrustesOptions,
  type OrthogonalProcrustesResult,
} from './procrustes/orthogonal-procrustes.js';
export {
  OrthogonalProcrustes,
  type OrthogonalProcrustesEstimatorOptions,
  type OrthogonalProcrustesJson,
} from './procrustes/orthogonal-procrustes-estimator.js';
export {
  generalizedProcrustes,
  type GeneralizedProcrustesOptions,
  type GeneralizedProcrustesResult,
} from './procrustes/generalized-procrustes.js';
export type { Reflection } from './procrustes/procrustes-core.js';

// Canonical correlation analysis
export { cca, type CcaOptions, type CcaResult } from './cca/cca.js';
export { svcca, type SvccaOptions, type SvccaResult } from './cca/svcca.js';
export { pwcca, type PwccaOptions, type PwccaResult } from './cca/pwcca.js';

// Similarity metrics: CKA, HSIC, RDMs and RSA, rank correlations
export { linearCka, type LinearCkaOptions } from './metrics/linear-cka.js';
export { rbfCka, type RbfCkaOptions } from './metrics/rbf-cka.js';
export { hsic, type HsicOptions } from './metrics/hsic.js';
export { rdm, type RdmMetric, type RdmOptions } from './metrics/rdm.js';
export { rsa, type RsaMethod, type RsaOptions } from './metrics/rsa.js';
export { spearman } from './metrics/spearman.js';
export { pearson } from './metrics/pearson.js';
export { kendallTau } from './metrics/kendall-tau.js';

// Concept-space similarity measures from Klabunde et al. (2023)
export {
  mutualKnnOverlap,
  type MutualKnnMetric,
  type MutualKnnOverlapOptions,
} from './metrics/mutual-knn-overlap.js';
export { secondOrderCosine, type SecondOrderCosineOptions } from './metrics/second-order-cosine.js';
export { angularProcrustes } from './metrics/angular-procrustes.js';
export { distanceCorrelation } from './metrics/distance-correlation.js';
export { normalizedBures } from './metrics/normalized-bures.js';
export { rsmRiemannianDistance } from './metrics/rsm-riemannian-distance.js';

// Significance and controls
export type { PairStatistic } from './significance/statistic.js';
export type { ShuffleStatistic } from './significance/permuted-statistic.js';
export {
  permutationTest,
  type PermutationTestOptions,
  type PermutationTestResult,
} from './significance/permutation-test.js';
export { bootstrapCi, type BootstrapCiOptions, type BootstrapCiResult } from './significance/bootstrap-ci.js';
export {
  randomLabelControl,
  type RandomLabelControlOptions,
  type RandomLabelControlResult,
} from './significance/random-label-control.js';

// Worker threads of the opt-in `threads` option; native engines of the `engine` option
export { terminateAlignWorkers } from './linalg/terminate-align-workers.js';
export type { ProductEngine, ProductShape } from './linalg/product-engine.js';

// Concept-space comparison across languages
export {
  compareConceptSpaces,
  type CompareConceptSpacesOptions,
  type ConceptSpace,
  type ConceptSpaceComparison,
} from './compare/compare-concept-spaces.js';
export type { ConceptMeasure, MeasureOption, MeasureOptions } from './measures/concept-measure.js';
export { MeasureRegistry } from './measures/measure-registry.js';
export {
  BUILTIN_MEASURES,
  measureFromStatistic,
  measures,
  registerMeasure,
} from './measures/builtin-measures.js';

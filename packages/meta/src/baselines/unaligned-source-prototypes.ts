import type { InstanceSet } from '../instances/instance-set.js';
import type { LinearProbe } from '../probe/linear-probe.js';

/**
 * The "nearest source prototype without any map" baseline (METHOD.md section 6): the source
 * language's probe applied unchanged to target instances, i.e. argmin_c ||W_src^T x - p_c^src||^2
 * (without the source's class priors: the meta-learned maps it is compared with have none either).
 * Instances whose label has no source prototype count as errors.
 *
 * @param sourceProbe - a fitted source-language {@link LinearProbe}
 * @param target - target-language instances (test split)
 * @returns word-level accuracy
 * @throws XLING_NOT_FITTED, XLING_SHAPE_MISMATCH
 * @example unalignedAccuracy(enProbe, deTest)
 */
export function unalignedAccuracy(sourceProbe: LinearProbe, target: InstanceSet): number {
  return sourceProbe.score(target, { classPrior: 'uniform' });
}

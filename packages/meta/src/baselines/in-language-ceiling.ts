import type { InstanceSet } from '../instances/instance-set.js';
import { LinearProbe, type LinearProbeOptions } from '../probe/linear-probe.js';

/** Result of {@link inLanguageCeiling}. */
export interface InLanguageCeiling {
  /** Test accuracy of the language's own probe. */
  accuracy: number;
  /** The fitted probe. */
  probe: LinearProbe;
  /** Split the probe was fitted on (`dev` where the language has no train split). */
  fitSplit: string | undefined;
}

/**
 * The in-language ceiling (METHOD.md section 6): a probe fitted on the target language's own
 * labelled data and scored on its test split.
 *
 * @param train - the target's fitting split (train, or dev where there is none)
 * @param test - the target's test split
 * @param options - probe options; `dev` for early stopping goes in `dev`
 * @example (await inLanguageCeiling(deTrain, deTest, { dev: deDev })).accuracy
 */
export async function inLanguageCeiling(
  train: InstanceSet,
  test: InstanceSet,
  options: LinearProbeOptions & { dev?: InstanceSet } = {},
): Promise<InLanguageCeiling> {
  const { dev, ...probeOptions } = options;
  const probe = await new LinearProbe(probeOptions).fit(train, dev);
  return { accuracy: probe.score(test), probe, fitSplit: probe.fitSplit };
}

import type { InstanceSet } from '../instances/instance-set.js';
import { LinearProbe } from '../probe/linear-probe.js';
import { createSyntheticLanguages, type SyntheticLanguage } from '../synthetic/create-synthetic-languages.js';

/** Meta-training languages (the source among them); validation languages v, w; target tgt. */
export const TRAINING = ['src', ...'abcdefghijkl'.split('')];

/** Learner options small enough for tests (seconds), large enough to learn the synthetic task. */
export const SMALL = {
  hiddenSize: 32,
  learningRate: 5e-3,
  epochs: 8,
  episodesPerLanguage: 20,
  querySize: 5,
  dropout: 0.1,
} as const;

export interface World {
  languages: Record<string, SyntheticLanguage>;
  source: LinearProbe;
  training: Record<string, InstanceSet>;
  validation: Record<string, InstanceSet>;
}

export async function makeWorld(
  options: { shuffleLabels?: boolean; targetRotation?: number } = {},
): Promise<World> {
  const all = createSyntheticLanguages({
    languages: [...TRAINING, 'v', 'w', 'tgt'],
    seed: 1,
    shuffleLabels: options.shuffleLabels ?? false,
    rotations: { tgt: options.targetRotation ?? 0.1 },
    sentences: { train: 40, dev: 20, test: 30 },
  });
  const languages = Object.fromEntries(all.map((l) => [l.language, l]));
  const source = await new LinearProbe({ k: 8 }).fit(languages.src.train, languages.src.dev);
  const training = Object.fromEntries(TRAINING.map((l) => [l, languages[l].train]));
  const validation = { v: languages.v.dev, w: languages.w.dev };
  return { languages, source, training, validation };
}

/** The first `n` sentences of a set. */
export function firstSentences(set: InstanceSet, n: number): InstanceSet {
  const offsets = set.sentenceOffsets!.slice(0, n + 1);
  const rows = offsets[n];
  const d = set.x.cols;
  return { ...set, x: { rows, cols: d, data: set.x.data.slice(0, rows * d) }, labels: set.labels.slice(0, rows), sentenceOffsets: offsets };
}

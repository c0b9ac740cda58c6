// Convergence and default settings of both meta-learners, through the public API on synthetic
// languages with a known answer (createSyntheticLanguages: a universal concept part shared up to
// a small rotation, a language-specific part, offset, scale and noise). Each claim is checked on
// several generator seeds so that no threshold is tuned to one world.
import { describe, expect, it } from 'vitest';
import type { InstanceSet } from '../instances/instance-set.js';
import { countLabels } from '../instances/count-labels.js';
import { selectSentences } from '../instances/select-sentences.js';
import { classMeans } from '../prototypes/class-means.js';
import type { PrototypeSet } from '../prototypes/prototype-set.js';
import { type SyntheticLanguage, createSyntheticLanguages } from '../synthetic/create-synthetic-languages.js';
import { LanguageAdapterProtoNet } from './language-adapter-proto-net.js';
import { MetaProtoNet } from './meta-proto-net.js';

const SEEDS = [11, 12, 13];
const META = 'abcdefghijkl'.split('');
const TARGETS = ['t0', 't1', 't2'];
/** Small learners (seconds per fit) with the default learning rate, patience and adapt settings. */
const OPTIONS = { hiddenSize: 32, episodesPerLanguage: 20, querySize: 5, dropout: 0.1, epochs: 60 };

function world(seed: number, shuffleLabels = false): Record<string, SyntheticLanguage> {
  const all = createSyntheticLanguages({
    languages: [...META, 'v', 'w', ...TARGETS],
    seed,
    shuffleLabels,
    sentences: { train: 40, dev: 20, test: 30 },
    // Held-out targets are rotated well beyond the meta-training languages: zero-shot (and the
    // identity adapter) lose accuracy there, an adapter fitted on a few sentences wins it back.
    rotations: Object.fromEntries(TARGETS.map((t) => [t, 1])),
  });
  return Object.fromEntries(all.map((l) => [l.language, l]));
}

/** Source prototypes: the class means of language 'a' (k = d), the simplest PrototypeSet. */
function sourcePrototypes(set: InstanceSet): PrototypeSet {
  const means = classMeans(set.x, set.labels, set.numLabels);
  return {
    prototypes: { rows: means.labels.length, cols: set.x.cols, data: means.means },
    labels: means.labels,
    counts: countLabels(set.labels, set.numLabels),
    numLabels: set.numLabels,
  };
}

function fitData(languages: Record<string, SyntheticLanguage>) {
  return {
    source: sourcePrototypes(languages.a.train),
    languages: Object.fromEntries(META.map((l) => [l, languages[l].train])),
    validation: { v: languages.v.dev, w: languages.w.dev },
    targets: TARGETS,
  };
}

/** In-language ceiling: nearest class mean of the language's own train split, scored on `test`. */
function nearestClassMeanAccuracy(train: InstanceSet, test: InstanceSet): number {
  const d = train.x.cols;
  const { means, labels } = classMeans(train.x, train.labels, train.numLabels);
  let correct = 0;
  for (let i = 0; i < test.x.rows; i++) {
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (let c = 0; c < labels.length; c++) {
      let distance = 0;
      for (let j = 0; j < d; j++) distance += (test.x.data[i * d + j] - means[c * d + j]) ** 2;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    if (labels[best] === test.labels[i]) correct++;
  }
  return correct / test.x.rows;
}

function majorityRate(train: InstanceSet, test: InstanceSet): number {
  const counts = countLabels(train.labels, train.numLabels);
  const majority = counts.indexOf(Math.max(...counts));
  return test.labels.filter((y) => y === majority).length / test.labels.length;
}

const firstSentences = (set: InstanceSet, n: number): InstanceSet =>
  selectSentences(
    set,
    Array.from({ length: n }, (_, i) => i),
  );

/** The validation curve plateaued: patience stopped it, or its last 5 epochs moved less than 0.01. */
function plateaued(net: MetaProtoNet | LanguageAdapterProtoNet): boolean {
  const tail = net.history.slice(-5).map((e) => e.validationAccuracy);
  return net.converged || Math.max(...tail) - Math.min(...tail) < 0.01;
}

const zeroShot = new Map<number, Promise<MetaProtoNet>>();
const fewShot = new Map<number, Promise<LanguageAdapterProtoNet>>();
/** One fitted learner per seed, shared by the tests that need it. */
const zeroShotNet = (seed: number) => {
  if (!zeroShot.has(seed)) zeroShot.set(seed, new MetaProtoNet(OPTIONS).fit(fitData(world(seed))));
  return zeroShot.get(seed)!;
};
const fewShotNet = (seed: number) => {
  if (!fewShot.has(seed)) fewShot.set(seed, new LanguageAdapterProtoNet(OPTIONS).fit(fitData(world(seed))));
  return fewShot.get(seed)!;
};

describe('meta-learners at default settings (synthetic languages, several seeds)', () => {
  it.each(SEEDS)(
    'MetaProtoNet#fit(...) converges: early stopping ends a plateaued validation curve and keeps its best epoch (seed %i)',
    async (seed) => {
      const net = await zeroShotNet(seed);
      const accuracy = net.history.map((e) => e.validationAccuracy);
      expect(plateaued(net)).toBe(true);
      expect(net.stoppedEarly).toBe(net.epochsRun < OPTIONS.epochs);
      expect(net.epochsRun).toBe(net.history.length);
      expect(net.bestEpoch).toBe(1 + accuracy.indexOf(Math.max(...accuracy)));
      expect(net.bestEpoch).toBeGreaterThanOrEqual(1);
      // The default patience is 10 epochs; gains below the tolerance do not reset it, so the kept
      // (highest) epoch can be later than the one the counter started from.
      if (net.stoppedEarly) expect(net.epochsRun - net.bestEpoch).toBeLessThanOrEqual(10);
      // Learned something: the kept epoch is far above the first.
      expect(Math.max(...accuracy)).toBeGreaterThan(0.85);
    },
  );

  it.each(SEEDS)(
    'MetaProtoNet#score(set) zero-shot brings every meta-training language to >= 95 % of its in-language ceiling (seed %i)',
    async (seed) => {
      const net = await zeroShotNet(seed);
      const languages = world(seed);
      for (const l of META) {
        const ceiling = nearestClassMeanAccuracy(languages[l].train, languages[l].test);
        expect(ceiling, l).toBeGreaterThan(0.9);
        expect(net.score(languages[l].test), l).toBeGreaterThanOrEqual(0.95 * ceiling);
      }
    },
  );

  it.each(SEEDS)(
    'LanguageAdapterProtoNet#adapt(support) on 20 sentences at default options reaches >= 0.9 on held-out languages and beats the identity adapter (seed %i)',
    async (seed) => {
      const net = await fewShotNet(seed);
      expect(plateaued(net)).toBe(true);
      const languages = world(seed);
      let gain = 0;
      for (const t of TARGETS) {
        const support = firstSentences(languages[t].train, 20);
        const adapter = net.adapt(support);
        const identity = net.identityAdapter(support);
        const accuracy = adapter.score(languages[t].test);
        const baseline = identity.score(languages[t].test);
        expect(adapter.bestEpoch, t).toBeGreaterThan(0);
        expect(adapter.loss, t).toBeLessThan(identity.loss);
        expect(accuracy, t).toBeGreaterThanOrEqual(0.9);
        // A random rotation can be small enough to leave the identity at 100 %: never worse there.
        expect(accuracy, t).toBeGreaterThanOrEqual(baseline);
        gain += (accuracy - baseline) / TARGETS.length;
      }
      expect(gain).toBeGreaterThan(0.2);
    },
  );

  it.each(SEEDS)(
    'LanguageAdapterProtoNet#adapt(support) on a shuffled-label language stays near chance (seed %i)',
    async (seed) => {
      const net = await fewShotNet(seed);
      // Same vectors as the world the learner was fitted for, labels permuted within each split.
      const shuffled = world(seed, true);
      for (const t of TARGETS) {
        const { train, test } = shuffled[t];
        const accuracy = net.adapt(firstSentences(train, 20)).score(test);
        expect(accuracy, t).toBeLessThan(majorityRate(train, test) + 0.05);
      }
    },
  );
});

// End to end on real data: UD sentences (dev = fitting split, as for languages without a train
// split; test for testing) embedded by @xling/extract's tiny random BERT fixture (layer 2, first
// sub-word), stored as representation-store tensors by scripts/golden/meta/make-ud-fixture.mts.
// Even a tiny random model's vectors carry lexical cues, so the method's ordering must show:
// probe > majority, and zero-shot through the meta-learned map > the unaligned source probe.
import { fileURLToPath } from 'node:url';
import { DEPREL_LABELS, UPOS_LABELS, readSafetensors } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { MajorityClass } from '../baselines/majority-class.js';
import { unalignedAccuracy } from '../baselines/unaligned-source-prototypes.js';
import { buildInstancesFromTensors } from '../instances/build-instances-from-tensors.js';
import type { InstanceSet } from '../instances/instance-set.js';
import { LinearProbe } from '../probe/linear-probe.js';
import { MetaProtoNet } from './meta-proto-net.js';

const FIXTURES = new URL('../__fixtures__/ud-tiny-bert/', import.meta.url);

async function load(
  task: 'upos' | 'deprel',
): Promise<Record<string, { dev: InstanceSet; test: InstanceSet }>> {
  const out: Record<string, { dev: InstanceSet; test: InstanceSet }> = {};
  for (const language of ['en', 'de', 'fr', 'es', 'it', 'nl']) {
    const read = async (split: 'dev' | 'test') => {
      const file = fileURLToPath(new URL(`${language}-${split}.safetensors`, FIXTURES));
      const { tensors } = await readSafetensors(file);
      const labelIds = tensors[task].data as Int32Array;
      const labelNames = task === 'upos' ? UPOS_LABELS : DEPREL_LABELS;
      return buildInstancesFromTensors(
        { tensors, labelIds, labelNames },
        { task, fitSplit: split, language },
      );
    };
    out[language] = { dev: await read('dev'), test: await read('test') };
  }
  return out;
}

describe('MetaProtoNet on UD through a tiny BERT (end to end)', () => {
  for (const task of ['upos', 'deprel'] as const) {
    it(`fit(...) ${task}: source probe beats majority; zero-shot on an unseen language beats the unaligned source probe`, async () => {
      const sets = await load(task);
      const en = await new LinearProbe().fit(sets.en.dev);
      expect(en.fitSplit).toBe('dev');
      expect(en.prototypes.cols).toBe(task === 'upos' ? 32 : 64);
      expect(en.score(sets.en.test)).toBeGreaterThan(
        new MajorityClass().fit(sets.en.dev).score(sets.en.test) + 0.1,
      );
      const net = await new MetaProtoNet({
        hiddenSize: 128,
        epochs: 6,
        episodesPerLanguage: 20,
        querySize: 10,
        learningRate: 1e-3,
      }).fit({
        source: en.prototypeSet,
        languages: { en: sets.en.dev, de: sets.de.dev, fr: sets.fr.dev, es: sets.es.dev },
        validation: { it: sets.it.dev },
        targets: ['nl'],
      });
      expect(net.fitSplits).toEqual({ de: 'dev', en: 'dev', es: 'dev', fr: 'dev' });
      const zeroShot = net.score(sets.nl.test);
      const majority = new MajorityClass().fit(sets.nl.dev).score(sets.nl.test);
      expect(zeroShot).toBeGreaterThan(unalignedAccuracy(en, sets.nl.test) + 0.05);
      expect(zeroShot).toBeGreaterThan(majority + 0.05);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { planChain } from '../job-plan.js';
import { localChain } from './run-locally.js';

const units = (done: boolean) => Array.from({ length: 4 }, (_, i) => ({ id: `u${i}`, done }));

describe('localChain', () => {
  it.each([
    ['run', 'all', false, ['extract-shards', 'extract', 'run-shards', 'run']],
    ['run', 'all', true, ['run-shards', 'run']],
    ['meta train', 'meta', false, ['extract-shards', 'extract', 'meta-train-shards', 'meta-train']],
    ['align', 'alignability', true, ['align-shards', 'align']],
    ['probe', 'probes', true, ['probe-shards', 'probe']],
    ['extract', 'extract', false, ['extract-shards', 'extract']],
  ] as const)(
    '%s: the extraction array and gather, then one array for the later stages',
    (command, until, done, names) => {
      const planned = planChain({ command, until, units: units(done), ungathered: false, icl: false });
      expect(localChain(planned).map((job) => job.name)).toEqual(names);
    },
  );
});

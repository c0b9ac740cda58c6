import { describe, expect, it } from 'vitest';
import { planChain } from '../job-plan.js';
import { localChain } from './run-locally.js';

const units = (done: boolean) => Array.from({ length: 4 }, (_, i) => ({ id: `u${i}`, done }));

describe('localChain', () => {
  it.each([
    ['run', 'all', false, ['run-shards', 'run']],
    ['run', 'all', true, ['run-shards', 'run']],
    ['meta train', 'meta', false, ['meta-train-shards', 'meta-train']],
    ['align', 'alignability', true, ['align-shards', 'align']],
    ['probe', 'probes', true, ['probe-shards', 'probe']],
    ['extract', 'extract', false, ['extract-shards', 'extract']],
  ] as const)(
    '%s: one array for every stage up to the command, then the command (extract: the extraction array and the gather)',
    (command, until, done, names) => {
      const planned = planChain({ command, until, units: units(done), ungathered: false, icl: false });
      expect(localChain(planned).map((job) => job.name)).toEqual(names);
    },
  );
});

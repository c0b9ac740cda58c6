import { stageCommand } from './stage-command.js';

/** `xling probe <config>`: per-language probes. */
export const probeCommand = stageCommand({
  name: 'probe',
  until: 'probes',
  summary: 'fit the per-language linear probes (and random-label controls)',
  description:
    'Extracts what is missing, then fits one linear probe per language, task and layer on the fitting ' +
    'split (and a random-label control probe when alignability.randomLabelControl is on), cached in ' +
    '<outDir>/stages/probes/<key>/.',
  examples: [{ command: 'xling probe experiment.yaml', comment: 'after or instead of xling extract' }],
});

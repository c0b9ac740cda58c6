import { stageCommand } from './stage-command.js';

/** `xling run <config>`: the whole experiment and its report. */
export const runCommand = stageCommand({
  name: 'run',
  until: 'all',
  summary: 'run a whole experiment from a config file and write its report',
  description:
    'Runs every stage of the experiment the config describes: treebanks and representations, per-language ' +
    'probes with random-label controls, all-pairs alignability (Procrustes, RSA, CKA) with permutation ' +
    'p-values, meta-training, zero-shot scores of every method, few-shot curves, the layer sweep and the ' +
    'gap statistics. Writes report.json, report.md and report.html into the run folder and prints their ' +
    "paths and the zero-shot accuracy per method and task. 'xling eval <config>' does the same.",
  examples: [
    { command: 'xling run experiment.yaml', comment: 'everything, with the report at the end' },
    {
      command: 'xling run experiment.yaml --out runs-elsewhere --threads 2',
      comment: 'another output folder, on 2 threads',
    },
  ],
});

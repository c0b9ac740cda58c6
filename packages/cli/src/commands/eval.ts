import { stageCommand } from './stage-command.js';

/** `xling eval <config>`: scores and the full report (the same as `xling run`). */
export const evalCommand = stageCommand({
  name: 'eval',
  until: 'all',
  summary: 'score zero-shot and few-shot methods and write the full report (same as run)',
  description:
    'Scores every zero-shot method (majority, source centroids, source probe, Procrustes-mapped ' +
    'prototypes, the meta-learned map, the in-language ceiling) and the few-shot curves on the target ' +
    "languages and low-resource treebanks, and writes the full report. It is the same as 'xling run " +
    "<config>': both names exist because the pipeline's last stage is evaluation, and after " +
    "'xling meta train' it only does the scoring.",
  examples: [{ command: 'xling eval experiment.yaml', comment: 'after xling meta train, or from scratch' }],
});

import { stageCommand } from './stage-command.js';

/** `xling extract <config>`: representations into the store. */
export const extractCommand = stageCommand({
  name: 'extract',
  until: 'extract',
  summary: "extract the config's hidden states into the representation store",
  description:
    'Resolves the languages of the config to treebanks, pre-processes and samples their splits, and ' +
    'extracts the hidden states of every configured layer into <outDir>/store/ (one entry per model, ' +
    'layer, pooling, treebank and split). Later stages read them from there.',
  examples: [
    { command: 'xling extract experiment.yaml', comment: 'fill the store for this config' },
    { command: 'xling extract experiment.json --threads 0', comment: 'on all cores' },
  ],
});

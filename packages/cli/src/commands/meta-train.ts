import { stageCommand } from './stage-command.js';

/** `xling meta train <config>`: the meta-learners. */
export const metaTrainCommand = stageCommand({
  name: 'meta train',
  until: 'meta',
  summary: 'meta-train the zero-shot and few-shot learners of the config',
  description:
    'Runs the stages up to meta-training: episodes over the meta-training languages, model selection on ' +
    'the validation languages (zero-shot targets are never among them), and the trained learners cached ' +
    "in <outDir>/stages/meta/<key>/. 'xling eval <config>' then scores them.",
  examples: [{ command: 'xling meta train experiment.yaml', comment: 'train (resumes a killed run)' }],
});

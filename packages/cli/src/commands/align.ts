import { measures } from '@xling/align';
import { stageCommand } from './stage-command.js';

/** `xling align <config>`: alignability matrices and their report. */
export const alignCommand = stageCommand({
  name: 'align',
  until: 'alignability',
  summary: "measure all-pairs alignability of the languages' concept spaces and write a report",
  description:
    "Runs the stages up to alignability: the languages' prototypes, all-pairs values of the " +
    `configured measures (alignability.metrics; registered: ${measures
      .list()
      .map((m) => m.id)
      .join(', ')}) per task and layer, permutation p-values and the random-label control. ` +
    'Writes a report with the alignability matrices (no zero-shot scores yet).',
  examples: [
    { command: 'xling align experiment.yaml', comment: 'alignability report only' },
    { command: 'xling align experiment.yaml --out runs-a', comment: 'into another output folder' },
  ],
});

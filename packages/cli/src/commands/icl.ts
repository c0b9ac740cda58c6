import { stageCommand } from './stage-command.js';

/** `xling icl <config>`: in-context learning with a decoder, as a stage of the experiment. */
export const iclCommand = stageCommand({
  name: 'icl',
  until: 'icl',
  summary: 'run in-context learning (structured prompting) with a decoder and write its report',
  description:
    "Runs the ICL stage of the experiment the config describes, with the decoder of its 'icl' section " +
    "(icl.model, a folder 'xling model build' made from a LLaMA/Qwen/Mistral/GPT-2 checkpoint): per " +
    'target language, structured-prompting token accuracy with demonstrations from the source language, ' +
    "the target's own fitting split and none (mean ± standard error over icl.runs seeded demonstration " +
    'sets of icl.k sentences) beside the majority and per-word-majority baselines; the hidden states at ' +
    'the tag positions (gold tags fed back) as concepts: probes, the meta-learned map over ' +
    'icl.metaLanguages, nearest source prototype with and without it, the in-language ceiling; and each ' +
    "target's ICL accuracy against its alignability with the source (Spearman's rho with a bootstrap " +
    "interval). The encoder ('model') is not loaded. Progress shows tokens/s and forward passes per " +
    "word; finished runs are saved one by one, so an interrupted run resumes. 'xling run' includes this " +
    "stage when the config has an 'icl' section. Exit 1 with the key path for a bad config.",
  examples: [
    { command: 'xling icl experiment.yaml', comment: 'ICL accuracy, concepts and the relation' },
    {
      command: 'xling icl experiment.yaml --threads 4 --out runs-icl',
      comment: 'on 4 threads, into another output folder',
    },
  ],
});

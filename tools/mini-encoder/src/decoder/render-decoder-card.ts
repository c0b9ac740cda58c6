import type { TaggedRow } from './write-decoder-corpus.js';

interface Evaluation {
  rows: { language: string; tokens: number; loss: number; accuracy: number }[];
  loss: number;
  accuracy: number;
}

/** What the model card is rendered from: the corpus info, train_clm.py's log and the command. */
export interface DecoderCardInfo {
  data: {
    seed: number;
    alpha: number;
    encoder: string;
    plainRows: { language: string; trainSentences: number; heldOutSentences: number }[];
    taggedRows: TaggedRow[];
  };
  log: {
    args: Record<string, number | string>;
    torch: string;
    parameters: number;
    state: {
      step: number;
      wallSeconds: number;
      losses: { step: number; loss: number }[];
      evaluations: ({ step: number } & Record<'plain' | 'tags', Evaluation>)[];
    };
  };
  command: string;
  /** Markdown sections appended to the card (such as an ICL check). */
  sections?: string[];
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/** The model card (README.md) of models/xling-mini-decoder. */
export function renderDecoderCard({ data, log, command, sections = [] }: DecoderCardInfo): string {
  const a = log.args;
  const { state } = log;
  const last = state.evaluations[state.evaluations.length - 1];
  const plainSentences = data.plainRows.reduce((s, r) => s + r.trainSentences, 0);
  const taggedSentences = data.taggedRows.reduce((s, r) => s + r.trainSentences, 0);
  const tokensSeen = state.step * Number(a.batch_size) * Number(a.context);
  const byLanguage = new Map(last.tags.rows.map((r) => [r.language, r]));
  const taggedTokens = data.taggedRows.reduce((s, r) => s + r.trainTokens, 0);
  const english = data.taggedRows.find((r) => r.language === 'en');
  const perSentence = (tokens: number, sentences: number) => (tokens / sentences).toFixed(0);
  return `---
language: multilingual
license: mit
tags: [xling, llama, causal-lm, universal-dependencies, demonstration]
---

# xling-mini-decoder

A tiny LLaMA-architecture causal language model trained by the xling project on the UD text it
ships with, so that \`xling icl\` (structured prompting, Blevins et al. 2023) runs out of the box.
**Its numbers are a demonstration of the pipeline, not a finding about LLMs**: it is about
${(log.parameters / 1e6).toFixed(1)} M parameters, was trained for ${(state.wallSeconds / 60).toFixed(0)} minutes on one CPU thread, and
was trained *on the prompt format itself* (below), so its "in-context learning" is mostly a
tagger it learned in training. For the experiment with a real decoder, run \`xling model build\`
on a LLaMA/Qwen/Mistral checkpoint and point \`icl.model\` at it.

## Data

- **Plain text**: the word forms of every UD treebank's train and dev splits (never test), the
  default encoder's corpus and held-out split: ${plainSentences} training sentences in
  ${data.plainRows.length} languages, languages sampled with probability proportional to
  \`n_l ** ${data.alpha}\`.
- **Tagged lines**: the UPOS-tagged sentences of the **train** splits only (${taggedSentences}
  sentences in ${data.taggedRows.length} languages: ${data.taggedRows.map((r) => r.language).join(', ')}), pre-processed as the ICL experiment
  reads UD and written in the structured-prompting format of \`@xling/icl\`:
  \`Context: w1 … wn\` / \`Tagged: w1_T1 … wn_Tn\`. Languages with only dev and test splits here
  have no tagged lines.
- **Windows** of ${a.context} tokens start with BOS (\`[CLS]\`) and hold either plain sentences of one
  language, each ending in \`[SEP]\` (${pct(1 - Number(a.tagged_fraction))} of windows), or
  tagged demonstrations (${pct(Number(a.tagged_fraction))}); half of those switch to a second
  language after 1–5 demonstrations, as source-language demonstrations precede a target-language
  sentence in cross-lingual prompting. Training on this mixture is what lets a model of this size
  follow the prompt at all.
- **Held out**: the encoder's held-out sentences (5 %, at most 50 per language, seeded), in plain
  and, where they come from a train split, tagged form; never trained on.

## Tokenizer

The default encoder's cased WordPiece vocabulary (\`${data.encoder}/tokenizer.json\`) with the 17
UPOS tags and the prompt words \`Context\` and \`Tagged\` appended as whole pieces (in the encoder's
vocabulary a tag is 3–6 pieces). BOS is \`[CLS]\` (\`bos_token\` in tokenizer_config.json).

A tagged sentence is ${perSentence(taggedTokens, taggedSentences)} tokens on average${english ? ` (English ${perSentence(english.trainTokens, english.trainSentences)})` : ''}, so
the ${a.context} positions hold only a few demonstrations and the test sentence: \`@xling/icl\` keeps
as many of the \`k\` demonstrations as fit and reports the effective k.

## Architecture

LLaMA (\`LlamaForCausalLM\` tensor names, \`model_type: llama\`): ${a.layers} layers, hidden ${a.hidden},
${a.heads} heads, SwiGLU intermediate ${a.intermediate}, RMSNorm, rotary embeddings (theta
${a.rope_theta}), ${a.context} positions, tied input/output embeddings;
${log.parameters.toLocaleString('en')} parameters (float32).

## Training

PyTorch ${log.torch} on CPU (\`tools/mini-encoder/torch/train_clm.py\`, ${a.threads} thread),
seed ${a.seed}: ${state.step} steps of ${a.batch_size} windows (${(tokensSeen / 1e6).toFixed(1)} M tokens), AdamW
(betas 0.9/0.95, weight decay 0.1), peak learning rate ${a.lr}, ${a.warmup} warm-up steps then
linear decay, gradient clipping 1.0, ${(state.wallSeconds / 60).toFixed(1)} minutes on two cores shared with other jobs. The
loss is the next-token cross-entropy at every tag token and at a seeded random ${pct(Number(a.lm_fraction))} of
the other positions (the vocabulary projection is most of a step's cost at this size).

| step | held-out next-token loss | next-token accuracy | tag loss | tag accuracy (no demonstrations) |
| ---: | ---: | ---: | ---: | ---: |
${state.evaluations.map((e) => `| ${e.step} | ${e.plain.loss.toFixed(3)} | ${pct(e.plain.accuracy)} | ${e.tags.loss.toFixed(3)} | ${pct(e.tags.accuracy)} |`).join('\n')}

Tag accuracy: each held-out tagged sentence alone after BOS, the argmax over the whole
vocabulary at each tag token. Per language at the last step:

| language | tag tokens | tag accuracy |
| --- | ---: | ---: |
${[...byLanguage.values()].map((r) => `| ${r.language} | ${r.tokens} | ${pct(r.accuracy)} |`).join('\n')}

## Reproduce

\`\`\`sh
${command}
\`\`\`

(writes the corpus to the work folder once, runs \`train_clm.py\` with Debian's
\`/usr/bin/python3\`, resumable by rerunning the same command, then this folder's tokenizer files
and card). \`xling\` builds \`onnx/\` (with the generation graph) on first use; \`check-decoder\`
compares its logits with PyTorch's.
${sections.map((section) => `\n${section.trim()}\n`).join('')}`;
}

import { resolve } from 'node:path';
import { buildOnnxFromCheckpoint } from '@xling/extract';
import { formatBytes, formatCount } from '../output/format.js';
import { createProgressBar } from '../output/progress-bar.js';
import { UsageError } from '../usage-error.js';
import type { Command } from './command.js';
import { statSync } from 'node:fs';

/** `xling model build <hf-folder> <out-dir>`: ONNX from a safetensors checkpoint. */
export const modelBuildCommand: Command = {
  name: 'model build',
  summary: 'build a model folder with an ONNX graph from a Hugging Face safetensors checkpoint',
  usage: '<hf-folder> <out-dir> [--dtype fp32|fp16] [--generation auto|always|never]',
  description:
    'Converts a Hugging Face checkpoint (config.json, model.safetensors or its shards, tokenizer.json) ' +
    'into a model folder xling can extract from: config and tokenizer files copied, and onnx/model.onnx ' +
    '(model_fp16.onnx with --dtype fp16) with outputs last_hidden_state and hidden_states_0..L. For a decoder ' +
    '(llama, mistral, qwen2, qwen3, gpt2) also onnx/decoder_model_merged.onnx, the generation graph: logits, ' +
    'position ids and a key/value cache in Optimum naming, plus the hidden states (by default when the checkpoint ' +
    'has a language-model head). No Python needed. ' +
    'Supported model types: bert, roberta, xlm-roberta, llama, mistral, qwen2, qwen3, gpt2.',
  options: {
    dtype: {
      type: 'string',
      valueName: 'fp32|fp16',
      description: 'storage type of the weights (default fp32; fp16 halves the file, computes in fp32)',
    },
    generation: {
      type: 'string',
      valueName: 'auto|always|never',
      description:
        "a decoder's generation graph (decoder_model_merged.onnx): auto = when the checkpoint has its language-model head (default), always = fail without one, never = hidden states only",
    },
  },
  positionals: { min: 2, max: 2 },
  examples: [
    {
      command: 'xling model build ~/hf/bert-base-multilingual-cased models/mbert',
      comment: 'a downloaded checkpoint',
    },
    { command: 'xling model build ckpt/ out/ --dtype fp16', comment: 'half-size weights' },
    {
      command: 'xling model build ~/hf/Qwen3-0.6B models/qwen3 --generation never',
      comment: 'hidden states only',
    },
  ],
  async run({ positionals, values, io }) {
    const dtype = (values.dtype as string | undefined) ?? 'fp32';
    if (dtype !== 'fp32' && dtype !== 'fp16') {
      throw new UsageError(`--dtype must be fp32 or fp16, but got '${dtype}'.`, 'model build');
    }
    const generation = (values.generation as string | undefined) ?? 'auto';
    if (generation !== 'auto' && generation !== 'always' && generation !== 'never') {
      throw new UsageError(
        `--generation must be auto, always or never, but got '${generation}'.`,
        'model build',
      );
    }
    const [source, target] = positionals.map((p) => resolve(io.cwd, p)) as [string, string];
    const bar = createProgressBar(io.stderr);
    let result: Awaited<ReturnType<typeof buildOnnxFromCheckpoint>>;
    try {
      result = await buildOnnxFromCheckpoint(source, target, {
        dtype,
        generation,
        onProgress: bar.onProgress,
        ...(io.signal ? { signal: io.signal } : {}),
      });
    } finally {
      bar.finish();
    }
    const size =
      statSync(result.modelPath).size +
      (result.externalDataPath ? statSync(result.externalDataPath).size : 0);
    io.stdout.write(
      [
        `Built ${result.modelType} (${result.family} family): ${result.numLayers} layers, hidden size ${result.hiddenSize}, ${formatCount(result.parameterCount)} weights, ${result.dtype}.`,
        `  ${result.modelPath} (${formatBytes(size)}${result.externalDataPath ? ` with ${result.externalDataPath}` : ''})`,
        `  copied: ${result.copiedFiles.join(', ')}`,
        `  outputs: ${result.outputNames[0]}, ${result.outputNames[1]} .. ${result.outputNames[result.outputNames.length - 1]}`,
        ...(result.generationModelPath
          ? [
              `  generation graph: ${result.generationModelPath} (logits, present.<i>.key|value, hidden states)`,
            ]
          : []),
        ...(result.generationSkipped ? [`  no generation graph: ${result.generationSkipped}`] : []),
        `Check it with: xling model layers ${positionals[1]}`,
      ].join('\n') + '\n',
    );
    return 0;
  },
};

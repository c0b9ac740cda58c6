import { basename } from 'node:path';
import { ModelFolderError } from '@xling/core';
import type ort from 'onnxruntime-node';
import type { ModelFolder } from '../model-folder/read-model-folder.js';
import { type CachePart, PAST_NAME, pastName, presentName } from './cache-names.js';

/** The inputs and outputs of a generation graph, found by name. */
export interface GenerationLayout {
  numLayers: number;
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  /** Element type of the cache (`'float32'`, or `'float16'` for a float16 export). */
  cacheType: 'float32' | 'float16';
  /** Element type of each integer input (`'int64'` or `'int32'`), by name. */
  integerInputs: Map<string, 'int64' | 'int32'>;
  /** Optimum's merged graphs take a boolean `use_cache_branch` (true when the past is not empty). */
  useCacheBranch: boolean;
  /** `hidden_states_<i>` / `hidden_states.<i>` outputs for i = 0..L, or null when there are none. */
  hiddenStates: string[] | null;
}

const INTEGER_INPUTS = ['input_ids', 'attention_mask', 'position_ids'];
const HIDDEN_STATE = /^hidden_states[._](\d+)$/;

/**
 * Reads the layout of a graph with a key/value cache from its session: xling's own generation
 * graph, or an Optimum export (`decoder_model_merged.onnx`, or a `model.onnx` with past inputs),
 * which has no hidden-state outputs.
 *
 * @throws XLING_MODEL_FOLDER when an input is unknown, the cache inputs and outputs do not pair
 *   up layer by layer, `logits` is missing, or the cache's shape is neither in the graph nor in
 *   config.json.
 */
export function readGenerationLayout(session: ort.InferenceSession, folder: ModelFolder): GenerationLayout {
  const file = basename(folder.onnxFile);
  const fail = (problem: string): never => {
    throw new ModelFolderError(folder.dir, `${file} ${problem}`);
  };
  const integerInputs = new Map<string, 'int64' | 'int32'>();
  let useCacheBranch = false;
  let pastInputs = 0;
  for (const meta of session.inputMetadata) {
    const type = meta.isTensor ? meta.type : 'unknown';
    if (INTEGER_INPUTS.includes(meta.name) && (type === 'int64' || type === 'int32')) {
      integerInputs.set(meta.name, type);
    } else if (meta.name === 'use_cache_branch') useCacheBranch = true;
    else if (PAST_NAME.test(meta.name)) pastInputs++;
    else fail(`has an input '${meta.name}' (${type}) that xling does not know how to feed.`);
  }
  if (!integerInputs.has('input_ids')) fail("has no 'input_ids' input.");
  if (pastInputs === 0) {
    fail("has no 'past_key_values.<i>.key|value' inputs: it is not a graph with a key/value cache.");
  }
  const numLayers = Math.ceil(pastInputs / 2);
  const outputs = new Set(session.outputNames);
  for (let layer = 0; layer < numLayers; layer++) {
    for (const part of ['key', 'value'] as CachePart[]) {
      if (!session.inputNames.includes(pastName(layer, part)) || !outputs.has(presentName(layer, part))) {
        fail(
          `does not pair '${pastName(layer, part)}' with '${presentName(layer, part)}' for each of its ${numLayers} layers.`,
        );
      }
    }
  }
  if (!outputs.has('logits')) fail("has no 'logits' output.");
  const past = session.inputMetadata.find((meta) => meta.name === pastName(0, 'key'));
  const [kvHeads, headDim] =
    cacheShape(past, folder) ??
    fail('gives no cache shape, and config.json no num_key_value_heads and head_dim.');
  return {
    numLayers,
    kvHeads,
    headDim,
    vocabSize: vocabSize(session, folder) ?? fail('gives no vocabulary size, and config.json no vocab_size.'),
    cacheType: past?.isTensor && past.type === 'float16' ? 'float16' : 'float32',
    integerInputs,
    useCacheBranch,
    hiddenStates: hiddenStateOutputs(session.outputNames, numLayers, fail),
  };
}

/** `[kv_heads, head_dim]` from the graph's declared cache shape, else from config.json. */
function cacheShape(
  meta: ort.InferenceSession.ValueMetadata | undefined,
  folder: ModelFolder,
): [number, number] | null {
  const shape = meta?.isTensor ? meta.shape : [];
  if (typeof shape[1] === 'number' && typeof shape[3] === 'number' && shape[1] > 0 && shape[3] > 0) {
    return [shape[1], shape[3]];
  }
  const config = folder.config;
  const heads = positiveInteger(config.num_attention_heads);
  const kvHeads = positiveInteger(config.num_key_value_heads) ?? heads;
  const headDim = positiveInteger(config.head_dim) ?? (heads === null ? null : folder.hiddenSize / heads);
  return kvHeads !== null && headDim !== null && Number.isInteger(headDim) ? [kvHeads, headDim] : null;
}

function vocabSize(session: ort.InferenceSession, folder: ModelFolder): number | null {
  const meta = session.outputMetadata.find((m) => m.name === 'logits');
  const declared = meta?.isTensor ? meta.shape[2] : undefined;
  return typeof declared === 'number' && declared > 0 ? declared : positiveInteger(folder.config.vocab_size);
}

function hiddenStateOutputs(
  names: readonly string[],
  numLayers: number,
  fail: (problem: string) => never,
): string[] | null {
  const found = names.filter((name) => HIDDEN_STATE.test(name));
  if (found.length === 0) return null;
  const byLayer = new Map(found.map((name) => [Number(HIDDEN_STATE.exec(name)![1]), name]));
  const layers = Array.from({ length: numLayers + 1 }, (_, i) => byLayer.get(i));
  if (found.length !== numLayers + 1 || layers.includes(undefined)) {
    fail(
      `has ${found.length} hidden-state outputs, but its ${numLayers} layers need hidden_states_0..${numLayers}.`,
    );
  }
  return layers as string[];
}

function positiveInteger(value: unknown): number | null {
  return Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : null;
}

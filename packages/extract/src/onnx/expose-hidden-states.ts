import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ModelFolderError, writeFileAtomic } from '@xling/core';
import { fileFingerprint } from '../model-folder/model-fingerprint.js';
import type { LayerTensor } from './find-layer-tensors.js';
import { type OnnxModelProto, encodeOnnxModel, onnx } from './read-onnx-model.js';

/** Sidecar JSON written beside a derived graph, so it is reused only for the same source. */
interface DerivedRecord {
  format: 'xling-hidden-states';
  version: 1;
  source: string;
  sourceFingerprint: string;
  layers: LayerTensor[];
  embeddingRows: number | null;
}

/**
 * Path of the derived graph of `onnxFile` in `dir` (default: beside the source):
 * `onnx/model.onnx` → `onnx/model.hidden-states.onnx`.
 */
export function derivedGraphPath(onnxFile: string, dir = dirname(onnxFile)): string {
  return join(dir, `${basename(onnxFile, '.onnx')}.hidden-states.onnx`);
}

/**
 * The derived graph of `onnxFile` in `dir` (default: beside the source) if one exists, was made
 * from the same source bytes, and (when `layers` is given) exposes the same tensors.
 */
export async function findDerivedGraph(
  onnxFile: string,
  layers?: readonly LayerTensor[],
  dir?: string,
): Promise<{ file: string; layers: LayerTensor[]; embeddingRows: number | null } | undefined> {
  const file = derivedGraphPath(onnxFile, dir);
  const sidecar = `${file}.json`;
  if (!existsSync(file) || !existsSync(sidecar)) return undefined;
  let record: DerivedRecord;
  try {
    record = JSON.parse(await readFile(sidecar, 'utf8'));
  } catch {
    return undefined;
  }
  if (
    record.format !== 'xling-hidden-states' ||
    record.sourceFingerprint !== (await fileFingerprint(onnxFile))
  )
    return undefined;
  if (
    layers &&
    JSON.stringify(layers.map((l) => l.tensor)) !== JSON.stringify(record.layers.map((l) => l.tensor))
  )
    return undefined;
  return { file, layers: record.layers, embeddingRows: record.embeddingRows };
}

/**
 * Graph surgery: adds each layer's tensor to the graph outputs (typed as the graph's
 * `value_info` records it, else like the first output, a float `[batch, sequence, hidden]` tensor) and saves the result in `dir` (default: beside the source) as
 * `<name>.hidden-states.onnx` plus a `.json` sidecar naming the source fingerprint. External
 * data files keep their relative locations, so the derived graph shares the source's weights
 * (a graph saved elsewhere needs the source folder as onnxruntime's external data folder).
 * Outputs that the graph already declares are left as they are.
 */
export async function exposeHiddenStates(
  model: OnnxModelProto,
  onnxFile: string,
  layers: readonly LayerTensor[],
  embeddingRows: number | null,
  dir?: string,
): Promise<string> {
  const graph = model.graph;
  const known = new Set<string>();
  for (const node of graph.node) for (const out of node.output) known.add(out);
  for (const input of graph.input) known.add(input.name as string);
  const declared = new Set(graph.output.map((o) => o.name as string));
  const template = graph.output[0];
  for (const { layer, tensor } of layers) {
    if (!known.has(tensor)) {
      throw new ModelFolderError(
        dirname(onnxFile),
        `${basename(onnxFile)} has no tensor '${tensor}' (asked for layer ${layer}).`,
      );
    }
    if (declared.has(tensor)) continue;
    declared.add(tensor);
    // The tensor's own recorded type when there is one (a mixed-precision graph may keep the
    // residual stream in float32 under float16 outputs); else the first output's type.
    const type = graph.valueInfo.find((v) => v.name === tensor)?.type ?? template.type;
    graph.output.push(onnx.ValueInfoProto.create({ name: tensor, type: type as never }) as never);
  }
  const file = derivedGraphPath(onnxFile, dir);
  await writeFileAtomic(file, encodeOnnxModel(model));
  const record: DerivedRecord = {
    format: 'xling-hidden-states',
    version: 1,
    source: basename(onnxFile),
    sourceFingerprint: await fileFingerprint(onnxFile),
    layers: [...layers],
    embeddingRows,
  };
  await writeFileAtomic(`${file}.json`, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

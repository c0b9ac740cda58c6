import { resolve } from 'node:path';
import { listLayerOutputs } from '@xling/extract';
import { formatTable } from '../output/format.js';
import type { Command } from './command.js';

/** `xling model layers <model-dir>`: the candidate layer outputs of an ONNX graph. */
export const modelLayersCommand: Command = {
  name: 'model layers',
  summary: "list a model folder's candidate layer outputs (which tensor is layer i)",
  usage: '<model-dir> [--json]',
  description:
    'Reads the ONNX graph of a Hugging Face model folder and prints its graph outputs, its normalisation ' +
    'nodes in topological order, and the tensor xling reads for each layer 0..L (0 = embeddings): ' +
    '`hidden_states_<i>` outputs when the export has them, else the norm inputs or outputs the model ' +
    "family implies. When the graph does not fit the pattern it says why. Use it to pick 'layers' in a config.",
  options: {
    json: { type: 'boolean', description: 'print the listing as JSON' },
  },
  positionals: { min: 1, max: 1 },
  examples: [
    { command: 'xling model layers models/xling-mini-encoder', comment: 'the default model' },
    { command: 'xling model layers ./my-model --json', comment: 'as JSON, for scripts' },
  ],
  async run({ positionals, values, io }) {
    const dir = resolve(io.cwd, positionals[0]!);
    const outputs = await listLayerOutputs(dir);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `Model folder: ${dir}`,
      '',
      `Graph outputs (${outputs.graphOutputs.length}): ${outputs.graphOutputs.join(', ')}`,
    ];
    if (outputs.layers) {
      lines.push(
        '',
        `Layers 0..${outputs.layers.length - 1} (0 = embeddings):`,
        formatTable(
          ['layer', 'tensor', 'source'],
          outputs.layers.map((l) => [String(l.layer), l.tensor, l.source]),
          [true, false, false],
        ),
      );
    } else {
      lines.push(
        '',
        `No layer mapping: ${outputs.problem ?? 'the graph does not fit the expected pattern'}.`,
      );
    }
    lines.push('', `Normalisation nodes (${outputs.norms.length}):`);
    if (outputs.norms.length > 0) {
      lines.push(
        formatTable(
          ['#', 'node', 'op', 'input', 'output'],
          outputs.norms.map((n) => [String(n.index), n.node, n.opType, n.input ?? '-', n.output ?? '-']),
          [true, false, false, false, false],
        ),
      );
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

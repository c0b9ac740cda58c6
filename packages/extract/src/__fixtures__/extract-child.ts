// Child process of the kill-and-resume test: extracts a small corpus slowly, printing a line per
// finished shard, until the parent kills it with SIGKILL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RepresentationStore } from '@xling/core';
import { extractHiddenStates } from '../extract-hidden-states.js';
import { HiddenStateModel } from '../hidden-state-model.js';

const [modelDir, storeDir] = process.argv.slice(2);
const golden = JSON.parse(readFileSync(join(import.meta.dirname, 'tiny-bert.golden.json'), 'utf8'));

async function* slowCorpus() {
  for (let i = 0; i < 24; i++) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    yield { words: (golden.sentences[i % 4].words as string[]).map((form) => ({ form })) };
  }
}

const model = await HiddenStateModel.load(modelDir, { intraOpNumThreads: 1 });
const store = await RepresentationStore.open(storeDir);
let shards = 0;
await extractHiddenStates(model, slowCorpus(), {
  store,
  treebank: 'T',
  split: 'train',
  layers: [1, 2],
  shardSize: 3,
  onProgress: (event) => {
    if (event.status === 'progress') process.stdout.write(`shard ${++shards}\n`);
  },
});
process.stdout.write('done\n');

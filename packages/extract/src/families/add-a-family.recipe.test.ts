import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedSentences } from '../embed-sentences.js';
import { HiddenStateModel } from '../hidden-state-model.js';
import { copyModel } from '../test-helpers.js';
import { registerModelFamily } from './family-registry.js';
import type { ModelFamily } from './model-family.js';

// docs/contributing.md, "Add a model family", followed step by step: a model folder with an
// unknown model_type, the family a contributor writes for it, and the check that it reads.

const words = ['The', 'cat', 'sat', '.'];

describe('recipe: add a model family', () => {
  it('a family registered from outside xling makes an unknown model_type readable', async () => {
    const reference = await HiddenStateModel.load(await copyModel('tiny-bert'));
    const [expected] = await embedSentences(reference, [words], { layers: [2] });
    await reference.dispose();

    // Step 0: a checkpoint whose config.json names a model_type xling does not know.
    const dir = await copyModel('tiny-bert');
    const configFile = join(dir, 'config.json');
    const config = JSON.parse(await readFile(configFile, 'utf8'));
    await writeFile(configFile, JSON.stringify({ ...config, model_type: 'tiny-encoder' }));
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /model_type 'tiny-encoder', which xling does not know/,
    });

    // Step 1: the family module (packages/extract/src/families/<name>.ts in a pull request).
    const tinyEncoderFamily: ModelFamily = {
      name: 'tiny-encoder',
      modelTypes: ['tiny-encoder'],
      kind: 'encoder',
      start: 'cls',
      end: 'sep',
      normPlacement: 'post-norm',
      defaultPooling: 'first',
      positionOffset: 0,
    };
    // Step 2: register it (one line in family-registry.ts, or this call from your own code).
    registerModelFamily(tinyEncoderFamily);

    // Step 3: the test — the folder loads and gives the hidden states of the family it copies.
    const model = await HiddenStateModel.load(dir);
    const [got] = await embedSentences(model, [words], { layers: [2] });
    await model.dispose();
    if (got.skipped || expected.skipped) throw new Error('the sentence fits the tiny model');
    expect(got.words[2].first!.data).toEqual(expected.words[2].first!.data);
    expect(() => registerModelFamily({ ...tinyEncoderFamily, name: 'other' })).toThrow(
      /claims model_type 'tiny-encoder', which 'tiny-encoder' already has/,
    );
    expect(() =>
      registerModelFamily({ ...tinyEncoderFamily, name: 'x', modelTypes: ['x'], start: 'eos' } as never),
    ).toThrow(/start one of cls, bos, none/);
  });
});

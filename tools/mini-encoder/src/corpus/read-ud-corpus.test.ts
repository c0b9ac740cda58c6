import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseConlluForms, readUdCorpus } from './read-ud-corpus.js';

const conllu = [
  '# sent_id = 1',
  '1-2\tdel\t_\t_\t_\t_\t_\t_\t_\t_',
  '1\tde\tde\tADP\t_\t_\t3\tcase\t_\t_',
  '2\tel\tel\tDET\t_\t_\t3\tdet\t_\t_',
  '3\tsol\tsol\tNOUN\t_\t_\t0\troot\t_\t_',
  '3.1\tx\tx\tNOUN\t_\t_\t_\t_\t_\t_',
  '',
  '1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_',
  '',
].join('\n');

describe('parseConlluForms', () => {
  it('parseConlluForms(text) keeps multiword tokens as surface forms and drops comments and empty nodes', () => {
    expect(parseConlluForms(conllu)).toEqual([['del', 'sol'], ['Hi']]);
  });

  it('parseConlluForms(text) throws XLING_FILE_FORMAT on a short token line', () => {
    expect(() => parseConlluForms('1\tx\n', 'f.conllu')).toThrow(
      expect.objectContaining({ code: 'XLING_FILE_FORMAT', line: 1 }),
    );
  });
});

describe('readUdCorpus', () => {
  it('readUdCorpus({ udDir }) reads the train and dev files of MANIFEST.tsv and never test', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-ud-'));
    await writeFile(join(dir, 'a-train.conllu.gz'), gzipSync(conllu));
    await writeFile(join(dir, 'a-test.conllu'), conllu);
    await writeFile(
      join(dir, 'MANIFEST.tsv'),
      'treebank\tlang\tsplit\tfile\nUD_A\taa\ttrain\ta-train.conllu.gz\nUD_A\taa\ttest\ta-test.conllu\n',
    );
    const files = await readUdCorpus({ udDir: dir });
    expect(files.map((f) => [f.language, f.split, f.sentences.length])).toEqual([['aa', 'train', 2]]);
    await expect(readUdCorpus({ udDir: dir, splits: ['test'] })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
  });
});

import { join } from 'node:path';
import { readConllu } from '@xling/ud';
import { defaultUdDir, readUdCorpus } from '../corpus/read-ud-corpus.js';

// Checks that this tool's minimal FORM reader gives the same words as @xling/ud's readConllu
// (multiword tokens as their surface form, syntactic words of the range skipped, empty nodes
// dropped) on every train/dev file of the UD folder.
async function main(): Promise<void> {
  const udDir = defaultUdDir();
  let sentences = 0;
  let differences = 0;
  for (const file of await readUdCorpus({ udDir })) {
    let i = 0;
    for await (const sentence of readConllu(join(udDir, file.file))) {
      const covered = new Set<number>();
      const forms: string[] = [];
      for (const word of sentence.words) {
        const token = sentence.tokens.find((t) => t.start === word.id);
        if (token !== undefined) {
          forms.push(token.form);
          for (let k = token.start; k <= token.end; k++) covered.add(k);
        } else if (!covered.has(word.id)) {
          forms.push(word.form);
        }
      }
      const ours = file.sentences[i++];
      if (ours === undefined || ours.join('\u0001') !== forms.join('\u0001')) differences++;
      sentences++;
    }
    if (i !== file.sentences.length) differences += Math.abs(file.sentences.length - i);
  }
  console.log(`${sentences} sentences compared with @xling/ud readConllu, ${differences} differ`);
  if (differences > 0) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

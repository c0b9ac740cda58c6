/**
 * Decoding speed of structured prompting on the tiny llama fixture (random weights, 64 positions):
 * the golden file's two test sentences after its two demonstrations, repeated.
 *
 *   pnpm --filter @xling/icl bench                # 50 repetitions
 *   pnpm --filter @xling/icl bench -- --repeat 200
 *
 * Prints sentences/s, tokens/s and forward passes per word. The comparison with a PyTorch loop
 * on a real decoder is item 6 of issue 17, not this file.
 */
import { describeMachine } from '../../../scripts/bench/machine.js';
import { structuredPrompting } from '../src/structured-prompting.js';
import { FixtureModels, readGolden } from '../src/test-helpers.js';

const repeatArg = process.argv.indexOf('--repeat');
const repeat = repeatArg === -1 ? 50 : Math.max(1, Number(process.argv[repeatArg + 1]) || 1);

console.log(describeMachine("onnxruntime intra-op threads: onnxruntime's default (0 = one per core)"));
const models = new FixtureModels();
try {
  const golden = await readGolden();
  const model = await models.get('llama');
  const sentences = Array.from({ length: repeat }, () => golden.sentences).flat();
  const pool = { from: 'source', sentences: golden.demonstrations } as const;
  const options = { demonstrationSets: [[0, 1]] };
  await structuredPrompting(model, golden.sentences, pool, options); // warm-up
  const started = performance.now();
  const report = await structuredPrompting(model, sentences, pool, options);
  const seconds = (performance.now() - started) / 1000;
  const words = sentences.reduce((n, s) => n + s.words.length, 0);
  console.log(
    `${sentences.length} sentences in ${seconds.toFixed(2)} s: ${(sentences.length / seconds).toFixed(1)} sentences/s, ` +
      `${(report.tokens / seconds).toFixed(0)} tokens/s, ${(report.forwardPasses / words).toFixed(2)} passes/word`,
  );
} finally {
  await models.dispose();
}

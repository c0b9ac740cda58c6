// Child process of the writer-lock tests: one writer of a representation store. It writes a
// shard, prints 'begun', waits for a line on stdin, writes a second shard and completes.
import { createInterface } from 'node:readline';
import type { XlingError } from '../../errors/xling-error.js';
import { RepresentationStore } from '../representation-store.js';

const [dir, model, lockTimeoutMs] = process.argv.slice(2);
const key = { model, layer: 1, pooling: 'first', treebank: 'T', split: 'dev' };
const rows = (n: number) => ({
  words: { dtype: 'F32' as const, shape: [n, 2], data: new Float32Array(n * 2).fill(n) },
});
const say = (line: string) => process.stdout.write(`${line}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

try {
  const store = await RepresentationStore.open(dir, { lockTimeoutMs: Number(lockTimeoutMs) });
  say('opened');
  await store.begin(key, 'fp');
  await store.appendShard(key, rows(1), 1);
  say('begun');
  await lines.next();
  await store.appendShard(key, rows(2), 1);
  await store.complete(key);
  say('done');
} catch (error) {
  say(`error ${(error as XlingError).code} ${(error as Error).message}`);
  process.exitCode = 1;
}
process.stdin.destroy();

/**
 * CoNLL-U parsing speed: @xling/ud against the npm package `conllup`, on the same files, in one
 * run, on one core (the main thread).
 *
 *   pnpm --filter @xling/ud bench            # every file of the shared UD copy
 *   pnpm --filter @xling/ud bench -- --repeat 3
 *
 * The .conllu.gz files are gunzipped (and, for the string runs, decoded) before any timing.
 * `conllup` parses one sentence at a time (`sentenceConllToJson`), so its run includes cutting
 * the file at blank lines, which xling does as part of parsing. Each parser gets one untimed
 * warm-up pass over the first files; the best of `--repeat` passes is reported.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import conllupModule from 'conllup';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { parseConllu } from '../src/conllu/parse-conllu.js';
import { readConllu } from '../src/conllu/read-conllu.js';

// conllup is CommonJS with `exports.default`: under Node's ESM loader the default import is the
// whole `module.exports`, under a bundler it is `exports.default`.
const conllup = ((conllupModule as unknown as { default?: typeof conllupModule }).default ??
  conllupModule) as typeof conllupModule;

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const udDir = process.env.XLING_UD_DIR ?? resolve(repoRoot, '../shared/data/ud');
const repeatArg = process.argv.indexOf('--repeat');
const repeat = repeatArg === -1 ? 1 : Math.max(1, Number(process.argv[repeatArg + 1]) || 1);

if (!existsSync(udDir)) {
  console.error(`UD directory not found: ${udDir} (set XLING_UD_DIR)`);
  process.exit(1);
}

function findConlluGz(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findConlluGz(path));
    else if (entry.name.endsWith('.conllu.gz')) out.push(path);
  }
  return out.sort();
}

const paths = findConlluGz(udDir);
const buffers = paths.map((path) => gunzipSync(readFileSync(path)));
const strings = buffers.map((buffer) => buffer.toString('utf8'));
const totalBytes = buffers.reduce((sum, b) => sum + b.length, 0);
const mb = totalBytes / 1e6;
console.log(describeMachine('1 thread (the main thread); conllup too'));
console.log(`${paths.length} files, ${mb.toFixed(1)} MB uncompressed (${udDir}), best of ${repeat}\n`);

interface Result {
  name: string;
  /** Wall-clock seconds of the best pass. */
  seconds: number;
  /** CPU seconds (user + system) of that pass: the fairer figure on a shared, busy machine. */
  cpuSeconds: number;
  sentences: number;
}

function time(name: string, run: (i: number) => number): Result {
  // Warm-up on the first files (JIT), not timed.
  for (let i = 0; i < Math.min(8, paths.length); i++) run(i);
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let sentences = 0;
  for (let r = 0; r < repeat; r++) {
    sentences = 0;
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < paths.length; i++) sentences += run(i);
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (performance.now() - start) / 1000);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  return { name, seconds: best, cpuSeconds: bestCpu, sentences };
}

function conllupParse(text: string): number {
  let count = 0;
  let from = 0;
  while (from < text.length) {
    let end = text.indexOf('\n\n', from);
    if (end === -1) end = text.length;
    if (end > from) {
      conllup.sentenceConllToJson(text.slice(from, end));
      count++;
    }
    from = end + 2;
  }
  return count;
}

const results: Result[] = [
  time('xling parseConllu(string)', (i) => parseConllu(strings[i]).length),
  time('xling parseConllu(bytes) (+UTF-8 check, decode)', (i) => parseConllu(buffers[i]).length),
  time('conllup sentenceConllToJson', (i) => conllupParse(strings[i])),
];

// Streaming from the .gz files, gunzip included (not comparable to the rows above).
const streamStart = performance.now();
const streamCpu = process.cpuUsage();
let streamed = 0;
for (const path of paths) for await (const _ of readConllu(path)) streamed++;
const streamUsed = process.cpuUsage(streamCpu);
results.push({
  name: 'xling readConllu(path.gz) (+gunzip, streaming)',
  seconds: (performance.now() - streamStart) / 1000,
  cpuSeconds: (streamUsed.user + streamUsed.system) / 1e6,
  sentences: streamed,
});

const pad = (s: string, n: number) => s.padEnd(n);
console.log(
  `${pad('parser', 50)}${pad('wall s', 9)}${pad('MB/s', 9)}${pad('sent/s', 9)}${pad('cpu s', 9)}${pad('MB/cpu-s', 10)}sentences`,
);
for (const r of results) {
  console.log(
    `${pad(r.name, 50)}${pad(r.seconds.toFixed(2), 9)}${pad((mb / r.seconds).toFixed(1), 9)}${pad(Math.round(r.sentences / r.seconds).toString(), 9)}${pad(r.cpuSeconds.toFixed(2), 9)}${pad((mb / r.cpuSeconds).toFixed(1), 10)}${r.sentences}`,
  );
}
const [xlingString, xlingBytes, reference] = results;
const ratio = (x: Result) =>
  `${(reference.seconds / x.seconds).toFixed(2)}x wall, ${(reference.cpuSeconds / x.cpuSeconds).toFixed(2)}x cpu`;
console.log(`\nratio xling/conllup, string input: ${ratio(xlingString)}`);
console.log(`ratio xling/conllup, bytes input:  ${ratio(xlingBytes)}`);

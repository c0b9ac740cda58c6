// Benchmark of `xling ud stats` against a plain Python reference on the same files, in one run:
// both count sentences, syntactic words, multiword tokens, UPOS and universal deprels of every
// file of the UD directory; the totals must agree, then the times are compared.
// Both sides on 1 thread (the reference under scripts/bench/pinned_threads.py, which shows it loads
// no BLAS or OpenMP pool).
// Run: pnpm --filter @xling/cli bench   (the reference needs /usr/bin/python3; skipped without it)
//   XLING_UD_DIR=<a folder with a few treebanks> pnpm --filter @xling/cli bench   (a quick check)
import { existsSync } from 'node:fs';
import { resolveUdDir, scanUdDir, type UdStats } from '@xling/ud';
import { describeMachine } from '../../../scripts/bench/machine.js';
import {
  describeReference,
  python as pythonPath,
  runUnderPin,
} from '../../../scripts/bench/pinned-python.js';
import { run } from '../src/run.js';

console.log(describeMachine('1 thread (the calling thread)'));
const dir = resolveUdDir();
const files = (await scanUdDir(dir)).files.map((f) => f.path);
let json = '';
const io = {
  stdout: { write: (text: string) => (json += text), isTTY: false },
  stderr: { write: () => true, isTTY: false },
  env: process.env,
  cwd: process.cwd(),
};
const started = performance.now();
const status = await run(['ud', 'stats', dir, '--json'], io);
const xlingSeconds = (performance.now() - started) / 1000;
if (status !== 0) throw new Error(`xling ud stats exited with ${status}`);
const stats = JSON.parse(json) as UdStats;
const mb = stats.totals.bytes / 1e6;
console.log(
  `xling ud stats: ${files.length} files, ${mb.toFixed(1)} MB, ${stats.totals.sentences} sentences in ${xlingSeconds.toFixed(2)} s ` +
    `(${(mb / xlingSeconds).toFixed(1)} MB/s, ${Math.round(stats.totals.sentences / xlingSeconds)} sentences/s)`,
);

const python = `
import gzip, json, sys, time
files = json.load(sys.stdin)
t = time.perf_counter()
sentences = words = mwt = 0
upos = {}; deprel = {}
for path in files:
    with (gzip.open(path, 'rt', encoding='utf-8') if path.endswith('.gz') else open(path, encoding='utf-8')) as f:
        inside = False
        for line in f:
            line = line.rstrip('\\n')
            if not line:
                if inside: sentences += 1
                inside = False
                continue
            inside = True
            if line.startswith('#'): continue
            cols = line.split('\\t')
            i = cols[0]
            if '-' in i: mwt += 1; continue
            if '.' in i: continue
            words += 1
            upos[cols[3]] = upos.get(cols[3], 0) + 1
            d = cols[7].split(':')[0]
            deprel[d] = deprel.get(d, 0) + 1
print(json.dumps({'seconds': time.perf_counter() - t, 'sentences': sentences, 'words': words, 'mwt': mwt, 'upos': upos, 'deprel': deprel}))
`;
if (!existsSync(pythonPath)) {
  console.log(`reference: ${pythonPath} not found, skipped`);
} else {
  const result = runUnderPin(1, ['-c', python], { input: JSON.stringify(files) });
  const reference = JSON.parse(result.stdout);
  const same =
    reference.sentences === stats.totals.sentences &&
    reference.words === stats.totals.words &&
    reference.mwt === stats.totals.multiwordTokens &&
    JSON.stringify(Object.entries(reference.upos).sort()) ===
      JSON.stringify(Object.entries(stats.totals.upos).sort()) &&
    JSON.stringify(Object.entries(reference.deprel).sort()) ===
      JSON.stringify(Object.entries(stats.totals.deprel).sort());
  console.log(
    `python reference (gzip + str.split): ${reference.sentences} sentences in ${reference.seconds.toFixed(2)} s (${(mb / reference.seconds).toFixed(1)} MB/s)`,
  );
  console.log(describeReference(result.pinned));
  console.log(`counts agree: ${same ? 'yes' : 'NO'}`);
  console.log(`ratio python time / xling time: ${(reference.seconds / xlingSeconds).toFixed(2)}x`);
  if (!same) process.exitCode = 1;
}

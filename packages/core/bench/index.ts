// Benchmark of @xling/core's I/O kernels against numpy on the same input, in one run:
// safetensors write + read of a representation-sized tensor, and float32 -> float16 conversion.
// Both sides on 1 thread (numpy pinned by scripts/bench/pinned_threads.py).
// Run: pnpm --filter @xling/core bench   (needs /usr/bin/python3 with numpy for the reference)
//   BENCH_ROWS=20000 pnpm --filter @xling/core bench   (a quick check that it runs)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, type PinnedRun, runUnderPin } from '../../../scripts/bench/pinned-python.js';
import { createRng, float32ToFloat16, readSafetensors, writeSafetensors } from '../src/index.js';

console.log(describeMachine('1 thread (the calling thread)'));
const rows = Number(process.env.BENCH_ROWS ?? 200_000);
const dim = 128;
const rng = createRng(0);
const data = new Float32Array(rows * dim).map(() => rng.normal());
const dir = mkdtempSync(join(tmpdir(), 'xling-core-bench-'));
const path = join(dir, 'x.safetensors');
const mb = data.byteLength / 1e6;

function time(fn: () => unknown | Promise<unknown>, repeat = 5): Promise<number> {
  return (async () => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < repeat; i++) {
      const t = performance.now();
      await fn();
      best = Math.min(best, performance.now() - t);
    }
    return best / 1000;
  })();
}

const write = await time(() => writeSafetensors(path, { x: { dtype: 'F32', shape: [rows, dim], data } }));
const read = await time(() => readSafetensors(path));
const half = await time(() => float32ToFloat16(data));

const python = `
import json, struct, time, numpy as np
path = ${JSON.stringify(path)}
def best(f, n=5):
    b = 1e9
    for _ in range(n):
        t = time.perf_counter(); f(); b = min(b, time.perf_counter() - t)
    return b
def read():
    with open(path, 'rb') as fh:
        n = struct.unpack('<Q', fh.read(8))[0]; h = json.loads(fh.read(n)); return np.frombuffer(fh.read(), dtype=np.float32).copy()
x = read()
def write():
    h = json.dumps({'x': {'dtype': 'F32', 'shape': [${rows}, ${dim}], 'data_offsets': [0, x.nbytes]}}).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path + '.py', 'wb') as fh:
        fh.write(struct.pack('<Q', len(h)) + h); fh.write(x.tobytes()); fh.flush()
        import os; os.fsync(fh.fileno())
print(json.dumps({'write': best(write), 'read': best(read), 'half': best(lambda: x.astype(np.float16))}))
`;
let py: PinnedRun | Error;
try {
  py = runUnderPin(1, ['-c', python]);
} catch (error) {
  py = error as Error;
}
rmSync(dir, { recursive: true, force: true });
const rowsOut = [
  ['safetensors write (fsync)', write],
  ['safetensors read', read],
  ['float32 -> float16', half],
] as const;
console.log(`@xling/core bench: ${rows} x ${dim} float32 (${mb.toFixed(1)} MB)`);
if (py instanceof Error) {
  console.log(`numpy reference unavailable (${py.message.trim()}): xling only`);
  for (const [name, t] of rowsOut)
    console.log(`${name.padEnd(28)} xling ${(t * 1000).toFixed(1)} ms  ${(mb / t).toFixed(0)} MB/s`);
} else {
  console.log(describeReference(py.pinned));
  const ref = JSON.parse(py.stdout) as Record<string, number>;
  const keys = ['write', 'read', 'half'];
  console.log(
    `${'operation'.padEnd(28)} ${'xling'.padStart(10)} ${'numpy'.padStart(10)}  ratio (numpy time / xling time)`,
  );
  rowsOut.forEach(([name, t], i) => {
    const r = ref[keys[i]];
    console.log(
      `${name.padEnd(28)} ${(t * 1000).toFixed(1).padStart(8)}ms ${(r * 1000).toFixed(1).padStart(8)}ms  ${(r / t).toFixed(2)}x`,
    );
  });
}

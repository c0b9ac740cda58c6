import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomMatrix } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { linearCka } from '../metrics/linear-cka.js';
import { parallelRunCount } from './parallel-gemm.js';
import { terminateAlignWorkers } from './terminate-align-workers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (file: string) => fileURLToPath(new URL(`../../dist/${file}`, import.meta.url));

/** A script that uses threads: 2 and never terminates the workers; it must still exit. */
function script(load: string): string {
  return `${load}
const rows = [];
for (let i = 0; i < 2100; i++) rows.push(Array.from({ length: 72 }, (_, j) => Math.sin(i * 0.37 + j * 1.3) + Math.cos(i * j * 0.01)));
const other = rows.map((r, i) => r.map((v, j) => 2 * v + Math.sin(i + 11 * j)));
const a = align.linearCka(rows, other);
const b = align.linearCka(rows, other, { threads: 2 });
console.log(JSON.stringify({ a, b }));`;
}

function runNode(args: string[]): { status: number | null; a: number; b: number } {
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  expect(result.stderr).toBe('');
  const { a, b } = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}');
  return { status: result.status, a, b };
}

describe('terminateAlignWorkers()', () => {
  it('terminateAlignWorkers() stops the workers and a later threads: 2 call starts new ones', async () => {
    const x = randomMatrix(2100, 72, 1);
    const y = randomMatrix(2100, 72, 2);
    const first = linearCka(x, y, { threads: 2 });
    await terminateAlignWorkers();
    const before = parallelRunCount();
    expect(linearCka(x, y, { threads: 2 })).toBe(first);
    expect(parallelRunCount()).toBeGreaterThan(before);
    await terminateAlignWorkers();
    await terminateAlignWorkers();
  });

  it('a process that used threads: 2 exits on its own (workers are unref-ed), from the sources', () => {
    const { status, a, b } = runNode([
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      script("import * as align from './src/index.ts';"),
    ]);
    expect(status).toBe(0);
    expect(Math.abs(a - b)).toBeLessThan(1e-12 * a);
  });

  // The built package ships the worker as dist/gemm-worker.{js,cjs}; checked when dist exists
  // (turbo builds a package before its dependants' tests, not before its own).
  it.skipIf(!existsSync(dist('index.js')))('the ESM build (dist/index.js) runs threads: 2 and exits', () => {
    const { status, a, b } = runNode([
      '--input-type=module',
      '-e',
      script(`const align = await import(${JSON.stringify(dist('index.js'))});`),
    ]);
    expect(status).toBe(0);
    expect(Math.abs(a - b)).toBeLessThan(1e-12 * a);
  });

  it.skipIf(!existsSync(dist('index.cjs')))(
    'the CommonJS build (dist/index.cjs) runs threads: 2 and exits',
    () => {
      const { status, a, b } = runNode([
        '-e',
        script(`const align = require(${JSON.stringify(dist('index.cjs'))});`),
      ]);
      expect(status).toBe(0);
      expect(Math.abs(a - b)).toBeLessThan(1e-12 * a);
    },
  );
});

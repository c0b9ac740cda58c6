// Measures which Jupyter kernel executes TypeScript notebooks reliably under
// `jupyter nbconvert --execute`: runs one probe notebook (a workspace import, numeric work, an
// awaited promise, rich HTML display, a slow cell) N times per kernel and counts the code cells
// whose output went missing, the error cells and the wall time. Usage:
//   node scripts/measure-kernels.mjs [runs=10] [kernel...]   (default kernels: tslab deno)
// The kernels must be registered first (`pnpm run setup` for tslab; `npx deno jupyter --install`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nbconvertCommand } from './jupyter.mjs';

const PROBE_CELLS = [
  "import { linearCka } from '@xling/align';\nconsole.log('imported', typeof linearCka);",
  'const x = Array.from({ length: 50 }, (_, i) => [Math.sin(i), Math.cos(i), i / 50]);\nconsole.log(linearCka(x, x).toFixed(6));',
  "await new Promise((done) => setTimeout(done, 200));\nconsole.log('after await');",
  "console.log('line 1');\nconsole.log('line 2');",
  'let s = 0;\nfor (let i = 0; i < 2e7; i++) s += i % 7;\nconsole.log(s);',
  'console.log(JSON.stringify({ a: 1, b: [1, 2, 3] }));',
];

function probeNotebook(kernel) {
  const displayCell =
    kernel === 'deno'
      ? 'Deno.jupyter.html`<b>rich</b> display`;'
      : "import * as tslab from 'tslab';\ntslab.display.html('<b>rich</b> display');";
  const cells = [...PROBE_CELLS, displayCell].map((source) => ({
    cell_type: 'code',
    execution_count: null,
    metadata: {},
    outputs: [],
    source,
  }));
  return {
    cells,
    metadata: { kernelspec: { name: kernel, display_name: kernel } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

function runOnce(kernel, dir) {
  const input = join(dir, `${kernel}.ipynb`);
  writeFileSync(input, JSON.stringify(probeNotebook(kernel)));
  const started = performance.now();
  let failed = false;
  try {
    const [cmd, ...pre] = nbconvertCommand();
    execFileSync(
      cmd,
      [...pre, '--to', 'notebook', '--execute', '--inplace', '--ExecutePreprocessor.timeout=120', input],
      { cwd: process.cwd(), stdio: 'pipe' },
    );
  } catch {
    failed = true;
  }
  const seconds = (performance.now() - started) / 1000;
  const cells = JSON.parse(readFileSync(input, 'utf8')).cells;
  const missing = cells.filter((c) => c.outputs.length === 0).length;
  const errors = cells.filter((c) => c.outputs.some((o) => o.output_type === 'error')).length;
  return { seconds, missing, errors, failed };
}

const runs = Number(process.argv[2] ?? 10);
const kernels = process.argv.length > 3 ? process.argv.slice(3) : ['tslab', 'deno'];
// Inside the package, so the kernel (started in the notebook's folder) resolves the workspace packages.
const dir = mkdtempSync(join(import.meta.dirname, '..', '.kernels-'));
try {
  for (const kernel of kernels) {
    const results = Array.from({ length: runs }, () => runOnce(kernel, dir));
    const lossy = results.filter((r) => r.missing > 0).length;
    const times = results.map((r) => r.seconds).sort((a, b) => a - b);
    console.log(
      `${kernel}: ${runs} runs, ${lossy} lost outputs (${results.reduce((s, r) => s + r.missing, 0)} cells), ` +
        `${results.filter((r) => r.failed || r.errors > 0).length} failed, ` +
        `median ${times[Math.floor(runs / 2)].toFixed(1)} s, max ${times[runs - 1].toFixed(1)} s`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

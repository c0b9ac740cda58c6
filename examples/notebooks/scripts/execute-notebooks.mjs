// `pnpm notebooks:execute [--in-place] [--timeout <s>] [notebook...]`: runs every notebook (or the
// given ones) top to bottom with `jupyter nbconvert --execute` on the tslab kernel, each within a
// time limit, and checks the outputs (check-notebook.mjs). Executed copies go to a temporary folder;
// `--in-place` writes them over the notebooks, which is how the committed outputs are made.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { notebookProblems } from './check-notebook.mjs';
import { nbconvertCommand } from './jupyter.mjs';

export const NOTEBOOK_DIR = resolve(import.meta.dirname, '..');

/** The notebooks of the folder, in order. */
export function listNotebooks() {
  return readdirSync(NOTEBOOK_DIR)
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort()
    .map((f) => join(NOTEBOOK_DIR, f));
}

/**
 * Executes one notebook into `outDir` (the kernel starts in the notebook's own folder, so relative
 * paths in it work) and returns its problems and the seconds it took. A cell running past
 * `timeoutSeconds` fails the notebook.
 */
export function executeNotebook(notebook, outDir, timeoutSeconds = 600) {
  const [python, ...args] = nbconvertCommand();
  const started = performance.now();
  let failure = null;
  try {
    execFileSync(
      python,
      [
        ...args,
        '--to',
        'notebook',
        '--execute',
        '--allow-errors',
        `--ExecutePreprocessor.timeout=${timeoutSeconds}`,
        '--ExecutePreprocessor.kernel_name=tslab',
        '--output-dir',
        outDir,
        notebook,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutSeconds * 2000, maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    const stderr = String(error.stderr ?? '')
      .trim()
      .split('\n');
    failure = `nbconvert failed: ${stderr.slice(-3).join(' / ') || error.message}`;
  }
  const seconds = (performance.now() - started) / 1000;
  if (failure) return { problems: [failure], seconds, output: null };
  const output = join(outDir, basename(notebook));
  return { problems: notebookProblems(JSON.parse(readFileSync(output, 'utf8'))), seconds, output };
}

function main() {
  const { values, positionals } = parseArgs({
    options: { 'in-place': { type: 'boolean', default: false }, timeout: { type: 'string', default: '600' } },
    allowPositionals: true,
  });
  const notebooks = positionals.length ? positionals.map((p) => resolve(p)) : listNotebooks();
  const outDir = mkdtempSync(join(tmpdir(), 'xling-notebooks-'));
  let failed = 0;
  try {
    for (const notebook of notebooks) {
      const { problems, seconds, output } = executeNotebook(notebook, outDir, Number(values.timeout));
      console.log(`${problems.length ? 'FAIL' : 'ok  '} ${basename(notebook)} (${seconds.toFixed(0)} s)`);
      for (const p of problems) console.log(`     ${p}`);
      if (problems.length) failed++;
      else if (values['in-place']) {
        // Copy beside the notebook, then rename: a notebook is never left half-written.
        copyFileSync(output, `${notebook}.tmp`);
        renameSync(`${notebook}.tmp`, notebook);
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  if (failed) {
    console.log(`${failed} of ${notebooks.length} notebook(s) failed`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { notebookProblems } from './scripts/check-notebook.mjs';
import { NOTEBOOK_DIR, executeNotebook, listNotebooks } from './scripts/execute-notebooks.mjs';
import { jupyterPython } from './scripts/jupyter.mjs';

const notebooks = listNotebooks();
const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
const code = (source, outputs, metadata = {}) => ({ cell_type: 'code', source, outputs, metadata });
const printed = (text, name = 'stdout') => ({ output_type: 'stream', name, text });

describe('notebookProblems', () => {
  it('passes cells that printed or displayed, and silent cells tagged no-output', () => {
    const notebook = {
      cells: [
        { cell_type: 'markdown', source: '# title' },
        code('console.log(1)', [printed('1\n')]),
        code('display()', [{ output_type: 'display_data', data: { 'text/html': '<b>x</b>' } }]),
        code('let x = 1;', [], { tags: ['no-output'] }),
        code('   ', []),
      ],
    };
    expect(notebookProblems(notebook)).toEqual([]);
  });

  it('names the cell of an error output, a compile error on stderr, an exception and a missing output', () => {
    const notebook = {
      cells: [
        code('throw new Error("x")', [{ output_type: 'error', ename: 'Error', evalue: 'x', traceback: [] }]),
        code('e.words', [printed("30:23 - Property 'words' does not exist\n", 'stderr')]),
        code('run()', [printed('ReferenceError: model is not defined\n    at evalmachine:5:5\n', 'stderr')]),
        code('console.log(2)', []),
        code('console.warn("slow")', [printed('note: slow\n', 'stderr')]),
      ],
    };
    expect(notebookProblems(notebook)).toEqual([
      'cell 1 (throw new Error("x")): Error: x',
      "cell 2 (e.words): 30:23 - Property 'words' does not exist",
      'cell 3 (run()): ReferenceError: model is not defined',
      'cell 4 (console.log(2)): printed nothing',
    ]);
  });
});

describe('the committed notebooks', () => {
  it('are at least the five of the README, on the tslab kernel', () => {
    expect(notebooks.length).toBeGreaterThanOrEqual(5);
    for (const file of notebooks) expect(read(file).metadata.kernelspec.name, basename(file)).toBe('tslab');
  });

  it.each(notebooks.map((f) => [basename(f), f]))(
    '%s is committed with the outputs of a clean run',
    (_, file) => {
      // tslab leaves execution_count empty, so the outputs themselves are the evidence of the run.
      expect(notebookProblems(read(file))).toEqual([]);
    },
  );
});

// Executing needs Jupyter and the tslab kernel (`pnpm notebooks:setup`); .ci/run installs both,
// so on CI their absence fails here. Elsewhere the block is skipped with the reason.
const python = jupyterPython();
const runnable = python !== null || process.env.CI !== undefined;
describe.skipIf(!runnable)(
  `executing the notebooks${python ? '' : ' (no Python with Jupyter found)'}`,
  () => {
    const outDir = mkdtempSync(join(tmpdir(), 'xling-notebooks-test-'));
    afterAll(() => rmSync(outDir, { recursive: true, force: true }));

    /** Executes cells as a notebook inside the package (where the kernel finds @types/node). */
    function execute(sources) {
      const dir = mkdtempSync(join(NOTEBOOK_DIR, '.notebook-test-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'broken.ipynb');
      const cells = sources.map((source, i) => ({ ...code(source, []), id: `c${i}`, execution_count: null }));
      const kernelspec = { name: 'tslab', display_name: 'TypeScript', language: 'typescript' };
      writeFileSync(
        file,
        JSON.stringify({ cells, metadata: { kernelspec }, nbformat: 4, nbformat_minor: 5 }),
      );
      return executeNotebook(file, join(dir, 'executed'), 120).problems;
    }

    it('reports a cell that does not type-check, and the later cells that then print nothing', () => {
      expect(
        execute(['const n: number = 1;\nconsole.log(n);', 'const s: string = n;', 'console.log("after");']),
      ).toEqual([
        expect.stringMatching(/^cell 2 \(const s: string = n;\): \d+:\d+ - Type 'number' is not assignable/),
        'cell 3 (console.log("after");): printed nothing',
      ]);
    });

    it('reports a cell that throws', () => {
      expect(execute(['console.log(1);', 'throw new RangeError("boom");'])).toEqual([
        expect.stringMatching(/^cell 2 \(throw new RangeError\("boom"\);\): RangeError: boom/),
      ]);
    });

    it.each(notebooks.map((f) => [basename(f), f]))('%s runs top to bottom with every output', (_, file) => {
      const { problems, seconds } = executeNotebook(file, outDir, 600);
      expect(problems).toEqual([]);
      console.log(`${basename(file)}: ${seconds.toFixed(0)} s`);
    });
  },
);

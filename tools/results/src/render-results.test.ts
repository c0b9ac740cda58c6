import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentResult, IclSection } from '@xling/eval';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticResult } from '../../../packages/eval/src/report/synthetic-result.js';
import { type WriteResultsOptions, writeResults } from './write-results.js';

// Every expected number below is computed here from the synthetic report, not by the renderer.
const avg = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const pc = (v: number) => (v * 100).toFixed(1);
const signed = (v: number) => `${v > 0 ? '+' : ''}${pc(v)}`;
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const offDiagonal = (rows: (number | null)[][]) =>
  avg(rows.flatMap((r, i) => r.filter((v, j): v is number => i !== j && v !== null)));

const SECTIONS = [
  /^# Results of /m,
  /^## .*probes converge/im,
  /^## Alignability \(layer 8, mean over 28 language pairs\)$/m,
  /^## Zero-shot word accuracy \(layer 8, mean over target languages\)$/m,
  /^## Meta-learning curves$/m,
  /^## The gap between languages$/m,
  /^## Few-shot \(mean over 2 targets, 5 seeds\)$/m,
];

const LOGREG = (
  hash: string,
) => `# Probe vs logistic regression — run ${hash}, model m, layer 8, pooling first

## UPOS (layer 8)

| language | fit split | probe acc | LR acc | ok |
|---|---|---:|---:|---|
| en | train | 91.0 | 91.5 | yes |

**PASS**: all 1 language × task rows satisfy probe >= NCM and probe >= LR - 7 points (LR converged).
`;
const LR = (
  hash: string,
) => `UPOS accuracy (%) on layer 8 of m, run ${hash}: LR = ... Made by \`scripts/model/lr_vs_lookup.py\`.

| language | n fit | n test | LR | lookup | LR − lookup |
|---|---:|---:|---:|---:|---:|
| en | 100 | 90 | 91.5 | 80.0 | +11.5 |

**FAIL**: LR − lookup is +11.5 points on average (needs ≥ 15); 1 language(s) below.
`;
const CARD = `# m

- Wall time: 36.3 min on wasm (1 thread).

BERT (post-norm), 2 layers, hidden 128, 1978208 parameters (7.55 MiB fp32).

Train and dev splits only; no test sentence was seen.

| **all** | 1875 | 11290 | | 6.603 | 11.7% |
`;

/** The alignability stage's note on the prototypes not chosen, as alignability-stage.ts words it. */
const OTHER_PROTOTYPES =
  'For comparison, upos alignability at layer 8 with class means instead (mean over pairs, no permutations): procrustes 0.300, linear-cka 0.700.';

let dir: string;
let runDir: string;
let result: ExperimentResult;
let page: string;

async function render(report: unknown, options: Partial<WriteResultsOptions> = {}): Promise<string> {
  const run = await mkdtemp(join(dir, 'run-'));
  await writeFile(join(run, 'report.json'), JSON.stringify(report));
  const out = join(run, 'results.md');
  await writeResults({ runDir: run, out, cwd: dir, ...options });
  return readFile(out, 'utf8');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xling-results-'));
  result = syntheticResult();
  result.run.notes!.push(OTHER_PROTOTYPES);
  runDir = join(dir, 'runs', 'synthetic');
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, 'report.json'), JSON.stringify(result));
  const model = join(dir, 'model');
  await mkdir(model);
  await writeFile(
    join(model, 'config.json'),
    JSON.stringify({ model_type: 'bert', num_hidden_layers: 2, hidden_size: 128 }),
  );
  await writeFile(join(model, 'README.md'), CARD);
  await writeFile(join(dir, 'logreg.md'), LOGREG(result.run.configHash));
  await writeFile(join(dir, 'lr.md'), LR(result.run.configHash));
  await writeFile(join(dir, 'other-run.md'), LOGREG('sha256:another'));
  await renderPage();
});

/** The page with every input: the synthetic report, a model folder and both scripts’ tables. */
async function renderPage(): Promise<void> {
  await writeResults({
    runDir: 'runs/synthetic',
    modelDir: 'model',
    logregTable: 'logreg.md',
    lrTable: 'lr.md',
    timing: '9 min 5 s, user 10 min 34 s',
    out: 'results.md',
    cwd: dir,
  });
  page = await readFile(join(dir, 'results.md'), 'utf8');
}

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('renderResults on the synthetic report', () => {
  it('has every section the report has data for, and no ICL section without ICL', () => {
    for (const heading of SECTIONS) expect(page).toMatch(heading);
    expect(page).not.toMatch(/In-context learning/);
    expect(page).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('describes the model from its config and card, and the run from the report', () => {
    expect(page).toContain('a 2-layer, 128-dimensional BERT-style encoder (2.0 M parameters)');
    expect(page).toContain('trained for 36.3 min on wasm (1 thread) without seeing any UD test sentence');
    expect(page).toContain('held-out masked-LM accuracy of 11.7 %');
    // mBERT's 172 M parameters over the model's 1978208.
    expect(page).toContain(
      `are ${Math.round(172e6 / 1978208)} to ${Math.round(550e6 / 1978208)} times larger`,
    );
    expect(page).toContain('**9 min 5 s** wall time (user 10 min 34 s); report `runs/synthetic/`');
    expect(page).toContain(`${result.run.ud.treebanks.length} treebanks of UD 2.14`);
    const low = result.run.ud.treebanks.filter((t) => t.resource === 'low').length;
    expect(page).toContain(`(${low} in the low-resource group)`);
    const devForTrain = result.run.splitSubstitutions.filter((s) => s.used === 'dev').length;
    expect(page).toContain(`${devForTrain} languages have no train split`);
    for (const note of result.run.notes!.filter((n) => n !== OTHER_PROTOTYPES))
      expect(page).toContain(`- ${note}`);
    expect(page).not.toContain(`- ${OTHER_PROTOTYPES}`);
  });

  it('gives the probe means, the convergence and flag counts and the word-lookup count', () => {
    const probes = result.probes!;
    const column = (pick: (p: (typeof probes)[number]) => number | null) =>
      pc(avg(probes.map(pick).filter((v): v is number => v !== null)));
    const row = `| UPOS | ${column((p) => p.accuracy)} | ${column((p) => p.majority)} | ${column((p) => p.nearestClassMean)} |`;
    expect(page).toContain(row);
    const converged = probes.filter((p) => p.converged).length;
    expect(page).toContain(`${converged} of ${probes.length} probes (8 languages × 1 task) converged`);
    expect(page).toContain(`the report flags ${probes.filter((p) => p.flags.length > 0).length} probes`);
    const wins = probes.filter((p) => p.wordLookup! > p.accuracy!).length;
    expect(page).toContain(`beats the probe in ${wins} of ${probes.length} languages (UPOS)`);
    // The lookup never wins in the synthetic report: the page says the opposite of "word identity".
    expect(page).toContain('the vectors carry more than the identity of the word');
    expect(page).not.toContain('mostly encode word identity');
  });

  it('pastes the reference scripts’ tables with their verdict and command', () => {
    expect(page).toContain('/usr/bin/python3 scripts/golden/meta/probe_vs_logreg.py runs/synthetic');
    expect(page).toContain('/usr/bin/python3 scripts/model/lr_vs_lookup.py runs/synthetic');
    expect(page).toMatch(/Result: \*\*PASS\*\*[\s\S]*Result: \*\*FAIL\*\*/);
    expect(page).toContain('| en | train | 91.0 | 91.5 | yes |');
    expect(page).toContain('| en | 100 | 90 | 91.5 | 80.0 | +11.5 |');
    // The script's headings nest under the page's `###`.
    expect(page).toContain('#### Probe vs logistic regression');
    expect(page).toContain('##### UPOS (layer 8)');
  });

  it('gives each alignability mean, its control and the pairs with p < 0.05', () => {
    for (const m of result.alignability!) {
      let significant = 0;
      m.pValues?.forEach((r, i) => {
        r.forEach((p, j) => {
          if (j > i && p !== null && p < 0.05) significant++;
        });
      });
      const cells = [
        offDiagonal(m.values).toFixed(3),
        offDiagonal(m.control!).toFixed(3),
        m.pValues ? String(significant) : '–',
      ];
      expect(page).toMatch(new RegExp(`\\| UPOS \\| [^|]+ \\| ${literal(cells.join(' | '))} \\|`));
    }
  });

  it('compares the means with the other prototypes’ from the run’s note', () => {
    const [procrustes, cka] = result.alignability!.map((m) => offDiagonal(m.values));
    const largest = Math.max(Math.abs(0.3 - procrustes), Math.abs(0.7 - cka)).toFixed(3);
    expect(page).toContain(
      `With class means instead (no permutations), the means are Procrustes disparity 0.300, linear CKA 0.700 (UPOS): at most ${largest} from the means above.`,
    );
  });

  it('gives the mean zero-shot accuracy of each method over the targets', () => {
    const methods = [...new Set(result.zeroShot!.map((z) => z.method))];
    for (const method of methods) {
      const rows = result.zeroShot!.filter((z) => z.method === method);
      expect(page).toContain(`| ${method} | ${pc(avg(rows.map((r) => r.accuracy)))} | ${rows.length} |`);
    }
    // Every target has every method: the paired means are the plain ones.
    const of = (method: string) =>
      avg(result.zeroShot!.filter((z) => z.method === method).map((z) => z.accuracy));
    const [base, meta, ceiling] = [of('unaligned'), of('meta'), of('in-language')];
    expect(page).toContain(
      `changes the accuracy of the unmapped baseline (unaligned) by ${signed(meta - base)} points (UPOS) and so covers ` +
        `${((100 * (meta - base)) / (ceiling - base)).toFixed(0)} % (UPOS) of the distance`,
    );
  });

  it('gives the learning curves, the gaps and the few-shot means', () => {
    for (const c of result.learningCurves!) {
      const best = c.points.find((p) => p.epoch === c.bestEpoch)!;
      expect(page).toContain(
        `| ${c.points.at(-1)!.epoch} | ${c.bestEpoch} | ${pc(best.validationAccuracy!)} | ${c.converged ? 'yes' : 'no'} |`,
      );
    }
    for (const g of result.gaps!) expect(page).toContain(`| UPOS | ${g.method} | ${signed(g.gap!.gap)} [`);
    for (const method of ['few-shot-adapter', 'probe-on-support', 'identity-adapter']) {
      const curves = result.fewShot!.filter((c) => c.method === method);
      const means = [1, 2, 5, 10, 20, 50].map((n) =>
        pc(avg(curves.map((c) => c.points.find((p) => p.n === n)!.mean))),
      );
      expect(page).toContain(`| UPOS, ${method} | ${means.join(' | ')} |`);
    }
  });
});

describe('conditional sentences', () => {
  it('says the representations mostly encode word identity when the lookup beats most probes', async () => {
    const report = syntheticResult();
    const probes = report.probes!;
    probes.forEach((p, i) => {
      p.wordLookup = i < 5 ? (p.accuracy! + 1) / 2 : p.accuracy! - 0.01;
    });
    const text = await render(report);
    expect(text).toContain('beats the probe in 5 of 8 languages');
    expect(text).toContain('mostly encode word identity');
    // The lookup's mean is then above the probe's: the heading names it as the one baseline not beaten.
    expect(avg(probes.map((p) => p.wordLookup!))).toBeGreaterThan(avg(probes.map((p) => p.accuracy!)));
    expect(text).toContain('and beat every baseline but word identity on average');
  });

  it('says the data cannot tell when every interval of the gap change contains 0', async () => {
    const report = syntheticResult();
    for (const g of report.gaps!) if (g.gapChange) Object.assign(g.gapChange, { lower: -0.05, upper: 0.05 });
    expect(await render(report)).toContain('the data cannot tell whether explicit alignment narrows the gap');
  });

  it('renders the ICL section with its means when the report has one', async () => {
    const accuracy = (language: string, demonstrations: 'source' | 'none', value: number) => ({
      task: 'upos' as const,
      language,
      demonstrations,
      k: demonstrations === 'none' ? 0 : 4,
      effectiveK: demonstrations === 'none' ? 0 : 2,
      runs: 1,
      accuracy: value,
      standardError: null,
      perRun: [value],
      sentences: 20,
      words: 300,
      skipped: 0,
      majority: demonstrations === 'none' ? null : 0.2,
      perWordMajority: demonstrations === 'none' ? null : 0.5,
      forwardPassesPerWord: 2,
    });
    const icl: IclSection = {
      model: { name: 'tiny-decoder', fingerprint: 'sha256:0123', layers: 4 },
      layers: [2],
      k: 4,
      runs: 1,
      scoring: 'mean',
      labelForm: 'strings',
      labelSet: 'all',
      maxSentences: 50,
      metaLanguages: ['de'],
      accuracy: [accuracy('cy', 'source', 0.6), accuracy('mr', 'source', 0.4), accuracy('cy', 'none', 0.3)],
      concepts: [],
      relation: [],
    };
    const text = await render({ ...syntheticResult(), icl });
    expect(text).toMatch(/^## In-context learning with tiny-decoder$/m);
    expect(text).toContain(
      'source demonstrations 50.0 % (2 targets) and no demonstrations 30.0 % (1 target)',
    );
    expect(text).toContain('the accuracy changes by +30.0 points with source demonstrations (1 target)');
    expect(text).toContain(
      'With source demonstrations the decoder beats the majority tag, not a word lookup of the source pool',
    );
  });
});

describe('writeResults refuses inputs that do not belong together', () => {
  it('rejects a table from another run and a report that breaks the schema, leaving the page as it was', async () => {
    await expect(
      writeResults({ runDir: 'runs/synthetic', logregTable: 'other-run.md', out: 'results.md', cwd: dir }),
    ).rejects.toMatchObject({ code: 'XLING_FILE_FORMAT', ruleId: 'other-run' });
    await expect(
      writeResults({ runDir: 'runs/synthetic', logregTable: 'lr.md', out: 'results.md', cwd: dir }),
    ).rejects.toMatchObject({ code: 'XLING_FILE_FORMAT', ruleId: 'script-output' });
    const broken = syntheticResult();
    broken.probes![0].accuracy = 1.5;
    await expect(render(broken)).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      ruleId: 'experiment-result-schema',
    });
    await expect(
      writeResults({ runDir: 'runs/synthetic', timing: '9 min', out: 'results.md', cwd: dir }),
    ).rejects.toMatchObject({ code: 'XLING_INVALID_ARGUMENT' });
    expect(await readFile(join(dir, 'results.md'), 'utf8')).toBe(page);
  });
});

describe('the command line', () => {
  it('writes the page and names the command that made it', () => {
    // From the repository root, as `pnpm results` runs it (tsx resolves from there).
    const root = join(import.meta.dirname, '../../..');
    const cli = join(import.meta.dirname, 'render-results-cli.ts');
    const out = join(dir, 'cli.md');
    const run = spawnSync(process.execPath, ['--import', 'tsx', cli, runDir, '--out', out], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^# Results of /);
    const usage = spawnSync(process.execPath, ['--import', 'tsx', cli], { cwd: root, encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^usage: pnpm results <run-dir>/);
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { UD_DIR, writeTinyConfig } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

const env = { XLING_UD_DIR: UD_DIR };

describe('stage commands', () => {
  it("run(['extract' | 'probe' | 'align' | 'meta train' | 'run' | 'eval', config]) runs the stages on one cache and ends with the report and summary", async () => {
    const { dir, config } = writeTinyConfig();
    const io = () => bufferIo({ cwd: dir, env });

    const extract = io();
    expect(await run(['extract', 'config.yaml'], extract)).toBe(EXIT.ok);
    expect(extract.out()).toMatch(/Stage 'extract' done: representations are in the store/);
    expect(extract.err()).toMatch(/extract .*5\/5 treebanks .*: done/);
    const runDir = /Run folder: (\S+)/.exec(extract.out())![1]!;
    expect(runDir).toMatch(/^out\/runs\/[0-9a-f]{12}$/);
    expect(existsSync(join(dir, 'out', 'store'))).toBe(true);

    const probe = io();
    expect(await run(['probe', config], probe)).toBe(EXIT.ok);
    expect(probe.out()).toMatch(/Stage 'probes' done/);
    expect(probe.err()).not.toMatch(/extractHiddenStates/);

    const align = io();
    expect(await run(['align', config], align)).toBe(EXIT.ok);
    expect(align.out()).toContain(`Run folder: ${runDir}\n`);
    expect(align.out()).toMatch(/Report:\n {2}out\/runs\/\w+\/report\.html\n/);
    expect(align.out()).toMatch(/Alignability between languages, mean over pairs \(layer 2\):/);
    expect(align.out()).toMatch(/upos +rsa +-?\d\.\d{3} +higher +\d+\/6/);
    expect(align.out()).not.toMatch(/Zero-shot/);

    const meta = io();
    expect(await run(['meta', 'train', config], meta)).toBe(EXIT.ok);
    expect(meta.out()).toMatch(/Stage 'meta' done/);

    const all = io();
    expect(await run(['run', config], all)).toBe(EXIT.ok);
    expect(all.out()).toContain(`Run folder: ${runDir}\n`);
    expect(all.out()).toMatch(
      /Zero-shot word accuracy, mean over target languages \(number scored\), layer 2:/,
    );
    for (const method of [
      'majority',
      'source-classifier',
      'source-probe',
      'procrustes',
      'meta',
      'in-language',
    ])
      expect(all.out()).toMatch(new RegExp(`\\n${method} +\\d+\\.\\d% \\(\\d\\) +\\d+\\.\\d% \\(\\d\\)\\n`));
    for (const file of ['report.json', 'report.md', 'report.html'])
      expect(existsSync(join(dir, runDir, file))).toBe(true);

    const again = io();
    expect(await run(['eval', config, '--threads', '2'], again)).toBe(EXIT.ok);
    expect(again.out()).toContain(`Run folder: ${runDir}\n`);
    expect(again.err()).not.toMatch(/extractHiddenStates|meta-train/);
    for (const stage of ['probes', 'alignability', 'meta', 'zero-shot', 'few-shot'])
      expect(again.err()).toMatch(new RegExp(`\\nstage ${stage} [0-9a-f]{12}: reused .*: done\\n`));

    // Other measures: only the alignability stage runs again (and the report, in a new run folder).
    writeFileSync(
      config,
      JSON.stringify({
        ...JSON.parse(readFileSync(config, 'utf8')),
        alignability: { metrics: ['linearCka'], permutations: 9 },
      }),
    );
    const measures = io();
    expect(await run(['align', config], measures)).toBe(EXIT.ok);
    expect(measures.err()).toMatch(/\nstage probes [0-9a-f]{12}: reused .*: done\n/);
    expect(measures.err()).toMatch(/\nstage alignability [0-9a-f]{12}: computed .*: done\n/);
    expect(measures.out()).not.toContain(`Run folder: ${runDir}\n`);
  });

  it("run(['run', config]) exits 1 naming every wrong key of the config", async () => {
    const { dir, config } = writeTinyConfig({ maxFitSentence: 100, probe: { epochs: 0 } });
    const io = bufferIo({ cwd: dir, env });
    expect(await run(['run', config], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(/^xling: error: Invalid experiment config '.*config\.yaml':\n/);
    expect(io.err()).toMatch(/config\.yaml: maxFitSentence: is not a known key \(known: .*maxFitSentences/);
    expect(io.err()).toMatch(/config\.yaml: probe\.epochs: must be an integer in \[1, 10000\], but got 0/);
    expect(io.err()).toMatch(/\[XLING_CONFIG\]\n$/);
    expect(io.out()).toBe('');
  });

  it("run(['extract', config]) exits 1 for a missing config file, a YAML syntax error and a missing model", async () => {
    const { dir } = writeTinyConfig();
    const missing = bufferIo({ cwd: dir, env });
    expect(await run(['extract', 'nope.yaml'], missing)).toBe(EXIT.failure);
    expect(missing.err()).toMatch(/nope\.yaml: \(file\): cannot be read/);

    writeFileSync(join(dir, 'bad.yaml'), 'model: [unclosed\n');
    const syntax = bufferIo({ cwd: dir, env });
    expect(await run(['extract', 'bad.yaml'], syntax)).toBe(EXIT.failure);
    expect(syntax.err()).toMatch(/bad\.yaml: \(syntax\): /);

    const noModel = writeTinyConfig({ model: 'no-such-model' });
    const io = bufferIo({ cwd: noModel.dir, env });
    expect(await run(['extract', noModel.config], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(/no-such-model.*\[XLING_MODEL_FOLDER\]/);
  });

  it("run(['run']) and run(['run', config, '--threads', 'x']) are usage errors (exit 2)", async () => {
    const io = bufferIo();
    expect(await run(['run'], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/'run' needs an argument: <config>/);
    const threads = bufferIo();
    expect(await run(['run', 'c.yaml', '--threads', 'x'], threads)).toBe(EXIT.usage);
    expect(threads.err()).toMatch(/--threads must be a non-negative integer, but got 'x'/);
  });
});

describe('stage commands, interrupted', () => {
  it("run(['extract', config]) with an aborted signal exits 1 with XLING_ABORTED and says a rerun resumes", async () => {
    const { dir, config } = writeTinyConfig();
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    const io = { ...bufferIo({ cwd: dir, env }), signal: controller.signal };
    expect(await run(['extract', config], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(
      /xling: interrupted; finished stages are cached: rerun the same command to resume\.\n/,
    );
    expect(io.err()).toMatch(/\[XLING_ABORTED\]\n$/);
  });
});

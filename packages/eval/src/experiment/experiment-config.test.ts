import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configHash } from './config-hash.js';
import { DEFAULT_EXPERIMENT_CONFIG, resolveExperimentConfig } from './experiment-config.js';
import { loadExperimentConfig } from './load-experiment-config.js';

describe('resolveExperimentConfig(input, file)', () => {
  it('fills every default and keeps nested overrides', () => {
    const config = resolveExperimentConfig({ model: 'm', probe: { epochs: 3 } });
    expect(config.probe).toEqual({ ...DEFAULT_EXPERIMENT_CONFIG.probe, epochs: 3 });
    expect(config.layers).toEqual([7]);
    expect(config.sourceLanguage).toBe('en');
  });

  it('reports every problem at once with its key path (XLING_CONFIG)', () => {
    let error: unknown;
    try {
      resolveExperimentConfig(
        {
          layers: [7, -1],
          probe: { epoch: 3 },
          fewShot: { shots: [1, 1] },
          bootstrap: { resamples: 0 },
          pooling: 'max',
        },
        'my.yaml',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'XLING_CONFIG', file: 'my.yaml' });
    const keys = (error as { problems: Array<{ key: string }> }).problems.map((p) => p.key);
    expect(keys).toEqual([
      'layers[1]',
      'probe.epoch',
      'fewShot.shots',
      'bootstrap.resamples',
      'pooling',
      'model',
    ]);
    expect((error as Error).message).toMatch(
      /my\.yaml: probe\.epoch: is not a known key \(known: schedule, epochs, learningRate, batchSize, tolerance, patience, init, classPrior, k\)/,
    );
    expect((error as Error).message).toMatch(
      /my\.yaml: pooling: must be one of 'first', 'last', 'mean', but got "max"/,
    );
  });

  it("takes device 'cpu' (default) or 'cuda', and names the key of anything else", () => {
    expect(resolveExperimentConfig({ model: 'm' }).device).toBe('cpu');
    expect(resolveExperimentConfig({ model: 'm', device: 'cuda' }).device).toBe('cuda');
    expect(() => resolveExperimentConfig({ model: 'm', device: 'gpu' }, 'my.yaml')).toThrow(
      /my\.yaml: device: must be one of 'cpu', 'cuda', but got "gpu"/,
    );
  });

  it('rejects a zero-shot target that is also meta-trained on, and the source among the targets', () => {
    expect(() =>
      resolveExperimentConfig({ model: 'm', metaLanguages: ['de', 'cy'], targetLanguages: ['cy', 'en'] }),
    ).toThrow(
      /metaLanguages\[1\]: 'cy' is also a target language[\s\S]*targetLanguages: must not contain the source language 'en'/,
    );
  });
});

describe('resolveExperimentConfig(input, file) on the schema edges', () => {
  const problemsOf = (input: unknown) => {
    try {
      resolveExperimentConfig(input, 'c.yaml');
    } catch (error) {
      return (error as { problems: Array<{ key: string; message: string }> }).problems;
    }
    throw new Error('no problems');
  };

  it('names every unknown key of an object, not only the first', () => {
    expect(problemsOf({ model: 'm', a: 1, probe: { b: 1, c: 2 }, d: 3 }).map((p) => p.key)).toEqual([
      'a',
      'probe.b',
      'probe.c',
      'd',
    ]);
  });

  it('refuses a list where a section belongs, and names a number that breaks two bounds once', () => {
    expect(problemsOf({ model: 'm', probe: [1], seed: -0.5 })).toEqual([
      { key: 'probe', message: 'must be an object, but got [1]' },
      { key: 'seed', message: 'must be an integer in [0, 4294967295], but got -0.5' },
    ]);
    expect(problemsOf(['model'])).toEqual([
      { key: '(root)', message: 'must be an object, but got ["model"]' },
    ]);
  });

  it('keeps a __proto__ measure id in measureOptions, so it is refused like any unknown id', () => {
    const input = JSON.parse('{"model": "m", "alignability": {"measureOptions": {"__proto__": {"k": 1}}}}');
    expect(problemsOf(input)).toEqual([
      {
        key: 'alignability.measureOptions.__proto__',
        message: 'names a measure that is not in alignability.metrics (procrustes, rsa, linearCka)',
      },
    ]);
  });

  it('takes a slurm section of defaults and per-stage resources, and names the allowed stages of an unknown one', () => {
    const slurm = {
      partition: 'cpu',
      time: '04:00:00',
      mem: 16000,
      sbatch: ['--account=lab'],
      stages: { extract: { partition: 'gpu', gpus: 'a100:1' }, 'meta-train': { cpus: 8, mem: '64G' } },
    };
    expect(resolveExperimentConfig({ model: 'm' }).slurm).toBeUndefined();
    expect(resolveExperimentConfig({ model: 'm', slurm }).slurm).toEqual(slurm);
    const bad = {
      cpus: 0,
      time: '4 hours',
      mem: true,
      sbatch: ['; rm -rf /'],
      stages: { 'meta train': {}, probe: { gpu: 1 } },
    };
    const word = 'one word of letters, digits and . : = , @ / + -';
    expect(problemsOf({ model: 'm', slurm: bad })).toEqual([
      { key: 'slurm.cpus', message: 'must be an integer in [1, ∞], but got 0' },
      { key: 'slurm.time', message: `must be ${word}, but got "4 hours"` },
      { key: 'slurm.mem', message: `must be a positive integer or ${word}, but got true` },
      {
        key: 'slurm.sbatch[0]',
        message: `must be one sbatch option such as '--account=lab', but got "; rm -rf /"`,
      },
      {
        key: 'slurm.stages.meta train',
        message: 'is not a known key (known: extract, probe, align, meta-train, run, eval)',
      },
      {
        key: 'slurm.stages.probe.gpu',
        message: 'is not a known key (known: partition, time, cpus, mem, gpus, sbatch)',
      },
    ]);
  });

  it('gives each config its own copy of the defaults', () => {
    resolveExperimentConfig({ model: 'm' }).layers.push(3);
    resolveExperimentConfig({ model: 'm' }).probe.k.upos = 2;
    expect(resolveExperimentConfig({ model: 'm' }).layers).toEqual([7]);
    expect(DEFAULT_EXPERIMENT_CONFIG.layers).toEqual([7]);
    expect(DEFAULT_EXPERIMENT_CONFIG.probe.k.upos).toBe(32);
  });
});

describe('config keys named like Object.prototype members', () => {
  const keys = ['valueOf', 'hasOwnProperty', '__proto__', 'constructor', 'toString', 'isPrototypeOf'];

  it.each(keys)('rejects %s at the top level and nested, as an unknown key', (key) => {
    const input = JSON.parse(`{"model": "m", "${key}": 1, "probe": {"${key}": {"a": 1}}}`);
    let error: unknown;
    try {
      resolveExperimentConfig(input, 'c.json');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'XLING_CONFIG' });
    const problemKeys = (error as { problems: Array<{ key: string }> }).problems.map((p) => p.key);
    expect(problemKeys).toEqual([key, `probe.${key}`]);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it.each(['..', '../x', '.hidden', '', 'a/b'])(
    'rejects the modelName %j, which would leave the store',
    (name) => {
      expect(() => resolveExperimentConfig({ model: 'm', modelName: name })).toThrow(
        /modelName: must be a plain name/,
      );
    },
  );

  it.each(keys)('rejects %s read from a YAML file', async (key) => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-config-'));
    const path = join(dir, 'c.yaml');
    await writeFile(path, `model: m\n${key}: 1\n`);
    await expect(loadExperimentConfig(path)).rejects.toMatchObject({
      code: 'XLING_CONFIG',
      message: expect.stringContaining(`${key}: is not a known key`),
    });
  });
});

describe('loadExperimentConfig(path)', () => {
  it('refuses a device, a FIFO-like path and an oversized file with coded errors', async () => {
    await expect(loadExperimentConfig('/dev/zero')).rejects.toMatchObject({ code: 'XLING_FILE_NOT_REGULAR' });
    const dir = await mkdtemp(join(tmpdir(), 'xling-config-'));
    const path = join(dir, 'big.yaml');
    await writeFile(path, `model: m\ntitle: ${'x'.repeat(1 << 20)}\n`);
    await expect(loadExperimentConfig(path)).rejects.toMatchObject({ code: 'XLING_LIMIT_EXCEEDED' });
    await expect(loadExperimentConfig(join(dir, 'none.yaml'))).rejects.toMatchObject({
      code: 'XLING_CONFIG',
    });
  });

  it('stops a YAML alias bomb with a coded error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-config-'));
    const path = join(dir, 'bomb.yaml');
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(',')}]`,
      );
    }
    await writeFile(path, `model: m\n${levels.join('\n')}\n`);
    await expect(loadExperimentConfig(path)).rejects.toMatchObject({
      code: 'XLING_CONFIG',
      message: expect.stringMatching(/\(syntax\): Excessive alias count/),
    });
  });

  it('reads YAML and JSON, and names the file and line of a syntax error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-config-'));
    await writeFile(join(dir, 'a.yaml'), 'model: m\nlayers: [3]\n');
    await writeFile(join(dir, 'b.json'), '{"model": "m", "layers": [3]}');
    await writeFile(join(dir, 'bad.yaml'), 'model: m\nlayers: [3\n');
    expect((await loadExperimentConfig(join(dir, 'a.yaml'))).layers).toEqual([3]);
    expect(await loadExperimentConfig(join(dir, 'b.json'))).toEqual(
      await loadExperimentConfig(join(dir, 'a.yaml')),
    );
    await expect(loadExperimentConfig(join(dir, 'bad.yaml'))).rejects.toThrow(
      /bad\.yaml: \(syntax\): .*line/,
    );
    await expect(loadExperimentConfig(join(dir, 'missing.yaml'))).rejects.toThrow(
      /missing\.yaml: \(file\): cannot be read/,
    );
  });
});

describe('configHash(config)', () => {
  it('ignores where data and output live, but not what changes numbers', () => {
    const a = resolveExperimentConfig({ model: 'm' });
    expect(
      configHash({
        ...a,
        outDir: 'elsewhere',
        udDir: '/ud',
        threads: 2,
        device: 'cuda',
        title: 'x',
        slurm: { partition: 'gpu', stages: { extract: { gpus: 1 } } },
      }),
    ).toBe(configHash(a));
    expect(configHash({ ...a, seed: 1 })).not.toBe(configHash(a));
    expect(configHash(a)).toMatch(/^[0-9a-f]{12}$/);
  });
});

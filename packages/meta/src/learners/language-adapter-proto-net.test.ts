import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMALL, type World, firstSentences, makeWorld } from '../__fixtures__/synthetic-world.js';
import { LanguageAdapterProtoNet } from './language-adapter-proto-net.js';

let world: World;
let net: LanguageAdapterProtoNet;

beforeAll(async () => {
  // The target's universal part is rotated more than any training language's: an adapter fixes it.
  world = await makeWorld({ targetRotation: 0.6 });
  net = await new LanguageAdapterProtoNet(SMALL).fit({
    source: world.source.prototypeSet,
    languages: world.training,
    validation: world.validation,
    targets: ['tgt'],
  });
});

describe('LanguageAdapterProtoNet (synthetic languages with a known answer)', () => {
  it("adapt(support) few-shot accuracy rises above the identity adapter's and does not fall as the number N of target sentences grows", () => {
    const { tgt } = world.languages;
    const none = net.score(tgt.test);
    const curve = [1, 5, 20].map((n) => net.adapt(firstSentences(tgt.train, n)).score(tgt.test));
    expect(curve[0]).toBeGreaterThan(none);
    expect(curve[1]).toBeGreaterThanOrEqual(curve[0] - 0.01);
    expect(curve[2]).toBeGreaterThanOrEqual(curve[1] - 0.01);
    expect(curve[2]).toBeGreaterThan(0.9);
  });

  it('fit(...) trains one adapter per meta-training language', () => {
    expect(Object.keys(net.adapters).sort()).toEqual([...'abcdefghijkl'.split(''), 'src']);
    expect(net.adapters.a.a).toHaveLength(64);
  });

  it('adapt(support, { epochs: 0 }) keeps the identity adapter', () => {
    const support = firstSentences(world.languages.tgt.train, 2);
    const adapter = net.adapt(support, { epochs: 0 });
    expect(adapter.bestEpoch).toBe(0);
    expect(adapter.losses).toEqual([]);
    expect(adapter.loss).toBe(adapter.initialLoss);
    expect(adapter.predict(world.languages.tgt.test.x)).toEqual(net.predict(world.languages.tgt.test.x));
  });

  it('adapt(support) is deterministic and keeps the epoch whose parameters have the lowest support loss', () => {
    const a = net.adapt(firstSentences(world.languages.tgt.train, 5), { epochs: 10 });
    const b = net.adapt(firstSentences(world.languages.tgt.train, 5), { epochs: 10 });
    expect(a.weights).toEqual(b.weights);
    expect(a.losses).toHaveLength(10);
    expect(a.loss).toBe(Math.min(...a.losses));
    expect(a.bestEpoch).toBe(1 + a.losses.indexOf(a.loss));
    expect(a.loss).toBeLessThan(a.initialLoss);
  });

  it('adapt(support) never returns the identity initialisation once an epoch ran, even when every epoch is worse', () => {
    // A learning rate far too large makes every epoch's loss exceed the identity's.
    const adapter = net.adapt(firstSentences(world.languages.tgt.train, 5), { learningRate: 50, epochs: 3 });
    expect(Math.min(...adapter.losses)).toBeGreaterThan(adapter.initialLoss);
    expect(adapter.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(adapter.loss).toBe(adapter.losses[adapter.bestEpoch - 1]);
  });

  it("identityAdapter([support]) is the untouched adapter: the learner's own predictions, the support loss adapt() starts from", () => {
    const support = firstSentences(world.languages.tgt.train, 5);
    const { test } = world.languages.tgt;
    const identity = net.identityAdapter(support);
    const k = net.phi.k;
    expect(identity.weights).toEqual(
      Float64Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0)),
    );
    expect(identity.bias).toEqual(new Float64Array(k));
    expect(identity.bestEpoch).toBe(0);
    expect(identity.predict(test.x)).toEqual(net.predict(test.x));
    expect(identity.score(test)).toBe(net.score(test));
    expect(identity.loss).toBe(net.adapt(support).initialLoss);
    expect(net.identityAdapter().loss).toBeNaN();
    expect(() => new LanguageAdapterProtoNet().identityAdapter()).toThrow(
      expect.objectContaining({ code: 'XLING_NOT_FITTED' }),
    );
  });

  it('save(folder) / load(folder) round-trip keeps predictions and adapters', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-adapter-'));
    try {
      await net.save(folder);
      const loaded = await LanguageAdapterProtoNet.load(folder);
      const x = world.languages.tgt.test.x;
      expect(loaded.predict(x)).toEqual(net.predict(x));
      expect(loaded.adapters.b.a).toEqual(net.adapters.b.a);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('LanguageAdapterProtoNet.load(folder) throws XLING_FILE_FORMAT for a missing adapter tensor', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-adapter-'));
    try {
      await net.save(folder);
      const config = join(folder, 'config.json');
      const json = JSON.parse(await readFile(config, 'utf8'));
      await writeFile(config, JSON.stringify({ ...json, adapters: [...json.adapters, 'zz'] }));
      await expect(LanguageAdapterProtoNet.load(folder)).rejects.toMatchObject({
        code: 'XLING_FILE_FORMAT',
        file: join(folder, 'model.safetensors'),
        message: expect.stringMatching(/tensor 'adapter\.zz\.a' is missing/),
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('new LanguageAdapterProtoNet({ orthogonalization }) throws XLING_INVALID_ARGUMENT (a zero-shot option)', () => {
    expect(() => new LanguageAdapterProtoNet({ orthogonalization: 0.1 } as never)).toThrow(
      /options\.orthogonalization' passed to 'LanguageAdapterProtoNet' is not a known option/,
    );
  });

  it('adapt(support) throws XLING_SHAPE_MISMATCH for vectors of another width and XLING_NOT_FITTED before fit', () => {
    const bad = {
      x: { rows: 1, cols: 3, data: new Float64Array(3) },
      labels: Int32Array.of(0),
      numLabels: 6,
    };
    expect(() => net.adapt(bad)).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
    expect(() => new LanguageAdapterProtoNet().adapt(bad)).toThrow(
      expect.objectContaining({ code: 'XLING_NOT_FITTED' }),
    );
  });
});

describe('LanguageAdapterProtoNet.adaptAsync (onnxruntime, float32)', () => {
  it('follows adapt() (float64 JavaScript) to float32 rounding: the same losses per epoch, the same kept epoch and predictions', async () => {
    const support = firstSentences(world.languages.tgt.train, 5);
    const exact = net.adapt(support, { epochs: 10 });
    const fast = await net.adaptAsync(support, { epochs: 10 });
    expect(fast.losses).toHaveLength(10);
    fast.losses.forEach((loss, i) => {
      expect(Math.abs(loss - exact.losses[i])).toBeLessThan(1e-4 * Math.max(1, exact.losses[i]));
    });
    expect(Math.abs(fast.initialLoss - exact.initialLoss)).toBeLessThan(
      1e-5 * Math.max(1, exact.initialLoss),
    );
    expect(fast.bestEpoch).toBe(exact.bestEpoch);
    const x = world.languages.tgt.test.x;
    const [a, b] = [exact.predict(x), fast.predict(x)];
    expect(a.filter((label, i) => label === b[i]).length / a.length).toBeGreaterThan(0.99);
    const largest = Math.max(...fast.weights.map((w, i) => Math.abs(w - exact.weights[i])));
    expect(largest).toBeLessThan(1e-3);
  });

  it("falls back to adapt() on the 'js' engine, bit for bit", async () => {
    const json = net.toJSON();
    const options = json.options as Record<string, unknown>;
    const js = LanguageAdapterProtoNet.fromJSON({ ...json, options: { ...options, engine: 'js' } });
    const support = firstSentences(world.languages.tgt.train, 3);
    expect((await js.adaptAsync(support, { epochs: 4 })).weights).toEqual(
      js.adapt(support, { epochs: 4 }).weights,
    );
  });

  it('rejects bad options and supports as adapt() does', async () => {
    await expect(
      net.adaptAsync(firstSentences(world.languages.tgt.train, 2), { epochs: -1 }),
    ).rejects.toThrow(/epochs/);
    await expect(
      net.adaptAsync(world.languages.tgt.train, { epochs: 1 }).then((a) => a.losses),
    ).resolves.toHaveLength(1);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMALL, type World, firstSentences, makeWorld } from '../__fixtures__/synthetic-world.js';
import { LanguageAdapterProtoNet } from './language-adapter-proto-net.js';

let world: World;
let net: LanguageAdapterProtoNet;

beforeAll(async () => {
  // The target's universal part is rotated more than any training language's: an adapter fixes it.
  world = makeWorld({ targetRotation: 0.6 });
  net = await new LanguageAdapterProtoNet(SMALL).fit({
    source: world.source.prototypeSet,
    languages: world.training,
    validation: world.validation,
    targets: ['tgt'],
  });
});

describe('LanguageAdapterProtoNet (synthetic languages with a known answer)', () => {
  it('adapt(support) few-shot accuracy rises with the number N of target sentences', () => {
    const { tgt } = world.languages;
    const none = net.score(tgt.test);
    const curve = [1, 5, 20].map((n) =>
      net.adapt(firstSentences(tgt.train, n), { learningRate: 1e-3 }).score(tgt.test),
    );
    expect(curve[0]).toBeGreaterThan(none);
    expect(curve[2]).toBeGreaterThan(curve[0] + 0.05);
    expect(curve[2]).toBeGreaterThan(0.9);
  });

  it('fit(...) trains one adapter per meta-training language', () => {
    expect(Object.keys(net.adapters).sort()).toEqual([...'abcdefghijkl'.split(''), 'src']);
    expect(net.adapters.a.a).toHaveLength(64);
  });

  it('adapt(support, { epochs: 0 }) keeps the identity adapter', () => {
    const adapter = net.adapt(firstSentences(world.languages.tgt.train, 2), { epochs: 0 });
    expect(adapter.bestEpoch).toBe(0);
    expect(adapter.predict(world.languages.tgt.test.x)).toEqual(net.predict(world.languages.tgt.test.x));
  });

  it('adapt(support) is deterministic and keeps the lowest-loss epoch', () => {
    const a = net.adapt(firstSentences(world.languages.tgt.train, 5), { learningRate: 1e-3, epochs: 10 });
    const b = net.adapt(firstSentences(world.languages.tgt.train, 5), { learningRate: 1e-3, epochs: 10 });
    expect(a.weights).toEqual(b.weights);
    expect(a.bestEpoch).toBeGreaterThan(0);
    expect(Number.isFinite(a.loss)).toBe(true);
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

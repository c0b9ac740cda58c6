import { describe, expect, it } from 'vitest';
import { NotFittedError } from '../../errors/not-fitted-error.js';
import { XlingError } from '../../errors/xling-error.js';

/** What every learned map in xling provides (fit/transform/score, tagged JSON). */
export interface ConformingEstimator {
  fit(...args: never[]): unknown;
  toJSON(): { kind: string; version: number };
}

/** How the conformance suite drives one estimator class. */
export interface EstimatorCase<E extends ConformingEstimator> {
  /** A fresh, unfitted estimator with fixed options (and seed). */
  create: () => E;
  /** Fresh arguments for `fit` (the suite checks they are not mutated). */
  fitArgs: () => unknown[];
  /** Names of getters that expose learned state (must throw before fit). */
  fittedGetters: string[];
  /** Applies the fitted estimator to data and returns something comparable (predictions, a map). */
  apply: (estimator: E) => unknown;
  /** The class' static `fromJSON`. */
  fromJSON: (json: unknown) => E;
  /** Whether two fits with the same options give identical output. @defaultValue true */
  deterministic?: boolean;
}

function snapshot(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v) =>
      ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v,
    ),
  );
}

/**
 * The shared conformance suite (scikit-learn's `parametrize_with_checks`): every aligner, probe
 * and meta-learner of xling runs it from its own test file.
 */
export function describeEstimator<E extends ConformingEstimator>(name: string, c: EstimatorCase<E>): void {
  describe(`${name} conforms to the estimator contract`, () => {
    it('throws XLING_NOT_FITTED from learned getters and apply before fit', () => {
      const estimator = c.create();
      for (const getter of c.fittedGetters) {
        expect(() => (estimator as Record<string, unknown>)[getter], getter).toThrow(NotFittedError);
      }
      let thrown: unknown;
      try {
        const out = c.apply(estimator);
        if (out instanceof Promise) out.catch(() => {});
      } catch (error) {
        thrown = error;
      }
      expect(XlingError.isInstance(thrown) && (thrown as XlingError).code).toBe('XLING_NOT_FITTED');
      expect(String((thrown as Error).message)).toMatch(/not fitted yet\. Call 'fit'/);
    });

    it('fit(...) returns the estimator itself (or a promise of it) and does not mutate its inputs', async () => {
      const estimator = c.create();
      const args = c.fitArgs();
      const before = snapshot(args);
      expect(await (estimator.fit as (...a: unknown[]) => unknown)(...args)).toBe(estimator);
      expect(snapshot(args)).toEqual(before);
    });

    it('toJSON() round-trips through fromJSON() to the same output', async () => {
      const estimator = c.create();
      await (estimator.fit as (...a: unknown[]) => unknown)(...c.fitArgs());
      const json = JSON.parse(JSON.stringify(estimator.toJSON()));
      expect(json.kind).toBe(name);
      expect(typeof json.version).toBe('number');
      const restored = c.fromJSON(json);
      expect(snapshot(c.apply(restored))).toEqual(snapshot(c.apply(estimator)));
    });

    it('fromJSON() rejects another kind with XLING_INVALID_ARGUMENT', async () => {
      const estimator = c.create();
      await (estimator.fit as (...a: unknown[]) => unknown)(...c.fitArgs());
      const json = { ...estimator.toJSON(), kind: 'SomethingElse' };
      expect(() => c.fromJSON(json)).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    });

    if (c.deterministic !== false) {
      it('gives identical output for two fits with the same options', async () => {
        const a = c.create();
        const b = c.create();
        await (a.fit as (...x: unknown[]) => unknown)(...c.fitArgs());
        await (b.fit as (...x: unknown[]) => unknown)(...c.fitArgs());
        expect(snapshot(c.apply(a))).toEqual(snapshot(c.apply(b)));
      });
    }
  });
}

import { describe, expect, it } from 'vitest';
import { checkOptions } from './check-options.js';

const constraints = {
  k: { type: 'integer', min: 1 },
  lr: { type: 'number', min: 0, exclusiveMin: true },
  pooling: { type: 'enum', values: ['first', 'last', 'mean'] },
  verbose: { type: 'boolean' },
} as const;

describe('checkOptions(options, constraints, functionName)', () => {
  it('accepts valid options and undefined values', () => {
    expect(() =>
      checkOptions({ k: 3, lr: 0.1, pooling: 'mean', verbose: undefined }, constraints, 'f'),
    ).not.toThrow();
    expect(() => checkOptions(undefined, constraints, 'f')).not.toThrow();
  });

  it('names the option and the constraint in the error', () => {
    expect(() => checkOptions({ k: 0 }, constraints, 'linearProbe')).toThrow(
      "Argument 'options.k' passed to 'linearProbe' must be an integer >= 1, but got 0.",
    );
    expect(() => checkOptions({ lr: 0 }, constraints, 'f')).toThrow(/must be a finite number > 0, but got 0/);
    expect(() => checkOptions({ lr: Number.NaN }, constraints, 'f')).toThrow(/but got NaN/);
    expect(() => checkOptions({ pooling: 'max' }, constraints, 'f')).toThrow(
      /one of 'first', 'last', 'mean', but got 'max'/,
    );
  });

  it('rejects unknown keys (typos)', () => {
    expect(() => checkOptions({ poolng: 'first' }, constraints, 'f')).toThrow(
      /'options.poolng' .* is not a known option/,
    );
  });

  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__'])(
    'rejects %s as unknown instead of finding an Object.prototype member',
    (key) => {
      expect(() => checkOptions(JSON.parse(`{"${key}": 1}`), constraints, 'f')).toThrow(
        new RegExp(`'options.${key}' .* is not a known option`),
      );
    },
  );

  it('checks object options for the methods they must have', () => {
    const table = { engine: { type: 'object', methods: ['multiply'] } } as const;
    expect(() => checkOptions({ engine: { multiply: () => 0 } }, table, 'cca')).not.toThrow();
    expect(() => checkOptions({ engine: { multiply: 1 } }, table, 'cca')).toThrow(
      "Argument 'options.engine' passed to 'cca' must be an object with method multiply, but got an object without those methods.",
    );
    expect(() => checkOptions({ engine: [] }, table, 'cca')).toThrow(/but got an array/);
    expect(() => checkOptions({ engine: null }, table, 'cca')).toThrow(/but got null/);
    expect(() => checkOptions({ engine: {} }, { engine: { type: 'object' } }, 'cca')).not.toThrow();
  });
});

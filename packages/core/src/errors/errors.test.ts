import { describe, expect, it } from 'vitest';
import { AbortError, throwIfAborted } from './abort-error.js';
import { FileFormatError } from './file-format-error.js';
import { InvalidArgumentError } from './invalid-argument-error.js';
import { ModelFolderError } from './model-folder-error.js';
import { NotFittedError } from './not-fitted-error.js';
import { ShapeMismatchError } from './shape-mismatch-error.js';
import { XlingError } from './xling-error.js';

describe('errors', () => {
  it('ShapeMismatchError uses the documented message template and code', () => {
    const e = new ShapeMismatchError('y', 'procrustes', "17 rows like 'x'", '12');
    expect(e.message).toBe("Argument 'y' passed to 'procrustes' must have 17 rows like 'x', but got 12.");
    expect(e.code).toBe('XLING_SHAPE_MISMATCH');
    expect(e).toBeInstanceOf(XlingError);
  });

  it('every subclass has its stable code', () => {
    expect(new InvalidArgumentError('k', 'f', 'must be positive.').code).toBe('XLING_INVALID_ARGUMENT');
    expect(new NotFittedError('LinearProbe').message).toMatch(
      /^This LinearProbe instance is not fitted yet\. Call 'fit'/,
    );
    expect(new ModelFolderError('/m', 'missing config.json', ['config.json']).code).toBe(
      'XLING_MODEL_FOLDER',
    );
    expect(new AbortError('extract').code).toBe('XLING_ABORTED');
  });

  it('FileFormatError names file, line, column and rule', () => {
    const e = new FileFormatError({
      file: 'a.conllu',
      line: 3,
      column: 7,
      ruleId: 'column-count',
      reason: 'expected 10 columns, got 9',
    });
    expect(e.message).toBe('a.conllu:3:7: expected 10 columns, got 9 (column-count)');
    expect([e.file, e.line, e.column, e.ruleId]).toEqual(['a.conllu', 3, 7, 'column-count']);
  });

  it('XlingError.isInstance(error) recognises errors from another copy by marker', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('xling.error')]: true, code: 'XLING_X' });
    expect(XlingError.isInstance(foreign)).toBe(true);
    expect(XlingError.isInstance(new Error('x'))).toBe(false);
    expect(XlingError.isInstance(new InvalidArgumentError('a', 'b', 'c'))).toBe(true);
  });

  it('throwIfAborted(signal, task) throws AbortError once the signal fired', () => {
    const controller = new AbortController();
    expect(() => throwIfAborted(controller.signal, 't')).not.toThrow();
    controller.abort();
    expect(() => throwIfAborted(controller.signal, 't')).toThrow(AbortError);
  });
});

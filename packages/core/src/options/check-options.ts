import { InvalidArgumentError } from '../errors/invalid-argument-error.js';

/** One option's constraint, in the spirit of scikit-learn's `_parameter_constraints`. */
export type OptionConstraint =
  | { type: 'integer'; min?: number; max?: number; optional?: boolean }
  | {
      type: 'number';
      min?: number;
      max?: number;
      exclusiveMin?: boolean;
      exclusiveMax?: boolean;
      optional?: boolean;
    }
  | { type: 'boolean'; optional?: boolean }
  | { type: 'string'; optional?: boolean }
  | { type: 'enum'; values: readonly string[]; optional?: boolean }
  | { type: 'function'; optional?: boolean }
  /** An object (not null, not an array) whose `methods` are all functions: a pluggable strategy. */
  | { type: 'object'; methods?: readonly string[]; optional?: boolean };

/** A table of constraints keyed by option name. */
export type OptionConstraints = Record<string, OptionConstraint>;

function describe(c: OptionConstraint): string {
  switch (c.type) {
    case 'integer':
      return `an integer${c.min !== undefined ? ` >= ${c.min}` : ''}${c.max !== undefined ? ` and <= ${c.max}` : ''}`;
    case 'number':
      return `a finite number${c.min !== undefined ? ` ${c.exclusiveMin ? '>' : '>='} ${c.min}` : ''}${
        c.max !== undefined ? ` and ${c.exclusiveMax ? '<' : '<='} ${c.max}` : ''
      }`;
    case 'enum':
      return `one of ${c.values.map((v) => `'${v}'`).join(', ')}`;
    case 'object':
      return c.methods?.length
        ? `an object with method${c.methods.length > 1 ? 's' : ''} ${c.methods.join(', ')}`
        : 'an object';
    default:
      return `a ${c.type}`;
  }
}

function shown(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object without those methods';
  return String(value);
}

function satisfies(value: unknown, c: OptionConstraint): boolean {
  switch (c.type) {
    case 'integer':
      return (
        Number.isInteger(value) &&
        (c.min === undefined || (value as number) >= c.min) &&
        (c.max === undefined || (value as number) <= c.max)
      );
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (c.min !== undefined && (c.exclusiveMin ? value <= c.min : value < c.min)) return false;
      if (c.max !== undefined && (c.exclusiveMax ? value >= c.max : value > c.max)) return false;
      return true;
    }
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && c.values.includes(value);
    case 'function':
      return typeof value === 'function';
    case 'object':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        (c.methods ?? []).every((m) => typeof (value as Record<string, unknown>)[m] === 'function')
      );
  }
}

/**
 * Validates `options` against `constraints` up front, so bad options fail before any work with
 * a message naming the option: "Argument 'options.k' passed to 'linearProbe' must be an integer
 * >= 1, but got 0." Unknown keys are rejected too, which catches typos.
 *
 * @throws XLING_INVALID_ARGUMENT
 */
export function checkOptions(
  options: object | undefined,
  constraints: OptionConstraints,
  functionName: string,
): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      functionName,
      `must be an object, but got ${options === null ? 'null' : typeof options}.`,
    );
  }
  for (const [key, value] of Object.entries(options)) {
    const c = Object.hasOwn(constraints, key) ? constraints[key] : undefined;
    if (c === undefined) {
      const known = Object.keys(constraints).join(', ');
      throw new InvalidArgumentError(
        `options.${key}`,
        functionName,
        `is not a known option (known: ${known}).`,
      );
    }
    if (value === undefined && c.optional !== false) continue;
    if (!satisfies(value, c)) {
      throw new InvalidArgumentError(
        `options.${key}`,
        functionName,
        `must be ${describe(c)}, but got ${shown(value)}.`,
      );
    }
  }
}

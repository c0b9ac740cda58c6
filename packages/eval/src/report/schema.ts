/** A tiny declarative schema for JSON values, enough to give every problem a path and a reason. */
export type Spec =
  | { type: 'string'; nonEmpty?: boolean }
  | { type: 'number'; min?: number; max?: number; integer?: boolean }
  | { type: 'boolean' }
  | { type: 'literal'; value: string | number | boolean }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'array'; of: Spec; minLength?: number; length?: number }
  | { type: 'object'; fields: Record<string, Spec>; optional?: readonly string[] }
  | { type: 'nullable'; of: Spec };

/** One problem found by {@link checkSpec}. */
export interface SchemaIssue {
  /** Path of the offending key, e.g. `zeroShot[2].accuracy`. */
  path: string;
  /** What is wrong, e.g. `must be a number in [0, 1], but got 1.5.` */
  message: string;
}

export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function describe(spec: Spec): string {
  switch (spec.type) {
    case 'string':
      return spec.nonEmpty ? 'a non-empty string' : 'a string';
    case 'number': {
      const kind = spec.integer ? 'an integer' : 'a finite number';
      if (spec.min !== undefined && spec.max !== undefined) return `${kind} in [${spec.min}, ${spec.max}]`;
      if (spec.min !== undefined) return `${kind} >= ${spec.min}`;
      if (spec.max !== undefined) return `${kind} <= ${spec.max}`;
      return kind;
    }
    case 'boolean':
      return 'true or false';
    case 'literal':
      return JSON.stringify(spec.value);
    case 'enum':
      return `one of ${spec.values.map((v) => `'${v}'`).join(', ')}`;
    case 'array':
      return spec.length !== undefined ? `an array of ${spec.length}` : 'an array';
    case 'object':
      return 'an object';
    case 'nullable':
      return `${describe(spec.of)} or null`;
  }
}

/** Checks `value` against `spec`, appending every problem to `issues` (stops at 50). */
export function checkSpec(value: unknown, spec: Spec, path: string, issues: SchemaIssue[]): void {
  if (issues.length >= 50) return;
  const fail = () => issues.push({ path, message: `must be ${describe(spec)}, but got ${show(value)}.` });
  switch (spec.type) {
    case 'string':
      if (typeof value !== 'string' || (spec.nonEmpty && value.length === 0)) fail();
      return;
    case 'number':
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (spec.integer && !Number.isInteger(value)) ||
        (spec.min !== undefined && value < spec.min) ||
        (spec.max !== undefined && value > spec.max)
      ) {
        fail();
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail();
      return;
    case 'literal':
      if (value !== spec.value) fail();
      return;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) fail();
      return;
    case 'nullable': {
      if (value === null) return;
      const before = issues.length;
      checkSpec(value, spec.of, path, issues);
      // A scalar that fails says null would have done too ("a finite number in [0, 1] or null").
      if (issues.length === before + 1 && issues[before].path === path && spec.of.type !== 'array') {
        issues[before] = { path, message: `must be ${describe(spec)}, but got ${show(value)}.` };
      }
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return void fail();
      if (spec.length !== undefined && value.length !== spec.length) return void fail();
      if (spec.minLength !== undefined && value.length < spec.minLength) {
        issues.push({
          path,
          message: `must hold at least ${spec.minLength} entries, but got ${value.length}.`,
        });
        return;
      }
      for (const [i, item] of value.entries()) checkSpec(item, spec.of, `${path}[${i}]`, issues);
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void fail();
      const record = value as Record<string, unknown>;
      const optional = new Set(spec.optional ?? []);
      for (const [key, fieldSpec] of Object.entries(spec.fields)) {
        const child = path === '' ? key : `${path}.${key}`;
        if (!Object.hasOwn(record, key) || record[key] === undefined) {
          if (!optional.has(key))
            issues.push({ path: child, message: `is required (${describe(fieldSpec)}).` });
          continue;
        }
        checkSpec(record[key], fieldSpec, child, issues);
      }
      for (const key of Object.keys(record)) {
        if (!Object.hasOwn(spec.fields, key)) {
          const known = Object.keys(spec.fields).join(', ');
          issues.push({
            path: path === '' ? key : `${path}.${key}`,
            message: `is not a known key (known: ${known}).`,
          });
        }
      }
      return;
    }
  }
}

import * as v from 'valibot';

/** The messages of an object schema's own problems (its fields bring their own). */
export interface ObjectMessages {
  /** The value is not a plain object (an array included). */
  notObject: (input: unknown) => string;
  /** A key the schema does not list; `known` is the comma-separated list of its keys. */
  unknownKey: (known: string) => string;
}

/**
 * A schema's declared type: only what it takes and what it gives. The schema helpers return it, so
 * the published .d.ts does not spell out every pipe and message function (that tripled its size).
 */
export type Schema<TInput, TOutput = TInput> = v.GenericSchema<TInput, TOutput>;

const isPlainObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Fails `dataset` with `schema`'s own type issue (its message function sees the value as `input`). */
function refuse<TSchema extends v.GenericSchema>(
  schema: TSchema,
  dataset: v.UnknownDataset,
  config: v.Config<v.BaseIssue<unknown>>,
): ReturnType<TSchema['~run']> {
  v._addIssue(schema, 'type', dataset, config);
  // The failed dataset, as valibot's own schemas return it after a type issue.
  return dataset as unknown as ReturnType<TSchema['~run']>;
}

/**
 * `v.strictObject` with xling's messages and three differences. valibot reports a missing key on
 * the object, not on the field: the message used is the field's own message for `undefined` ("is
 * required (...)"), so a field's wording lives in one place. valibot takes an array for an object
 * (its items as keys "0", "1", ...): arrays are refused. valibot names only the first unknown key:
 * every one is named here. Unknown keys are own keys of the value that `entries` does not own, so
 * `constructor` or `__proto__` is one too (and never read from Object.prototype).
 */
export function strictObject<const TEntries extends v.ObjectEntries>(
  entries: TEntries,
  messages: ObjectMessages,
): v.StrictObjectSchema<TEntries, (issue: v.BaseIssue<unknown>) => string> {
  const known = Object.keys(entries).join(', ');
  const message = (issue: v.BaseIssue<unknown>): string => {
    if (issue.expected === 'never') return messages.unknownKey(known);
    const key = issue.path?.[0]?.key;
    if (typeof key === 'string' && Object.hasOwn(entries, key))
      return v.safeParse(entries[key], undefined).issues?.[0].message ?? issue.message;
    return messages.notObject(issue.input);
  };
  const strict = v.strictObject(entries, message);
  // Checks the entries and leaves unknown keys out of the output; they are named below.
  const entriesOnly = v.object(entries, message);
  return {
    ...strict,
    '~run'(dataset, config) {
      const input = dataset.value;
      if (!isPlainObject(input)) return refuse(strict, dataset, config);
      const result = entriesOnly['~run'](dataset, config);
      for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
        if (Object.hasOwn(entries, key)) continue;
        const path: [v.ObjectPathItem] = [
          { type: 'object', origin: 'key', input: input as never, key, value },
        ];
        v._addIssue(strict, 'key', result, config, { input: key, expected: 'never', path });
      }
      return result as ReturnType<(typeof strict)['~run']>;
    },
  };
}

/**
 * `v.strictTuple` that refuses an array of the wrong length as a whole, with `message`, instead of
 * naming a missing item or an extra one.
 */
export function fixedTuple<const TItems extends v.TupleItems>(
  items: TItems,
  message: (issue: v.BaseIssue<unknown>) => string,
): v.StrictTupleSchema<TItems, (issue: v.BaseIssue<unknown>) => string> {
  const tuple = v.strictTuple(items, message);
  return {
    ...tuple,
    '~run'(dataset, config) {
      const { value } = dataset;
      if (Array.isArray(value) && value.length === items.length) return tuple['~run'](dataset, config);
      return refuse(tuple, dataset, config);
    },
  };
}

/** The key path of an issue as xling writes it: `probe.k.upos`, `zeroShot[2].ci`, '' for the root. */
export function issueKey(issue: v.BaseIssue<unknown>): string {
  let key = '';
  for (const item of issue.path ?? []) {
    const part = item.key as string | number;
    key += typeof part === 'number' ? `[${part}]` : key === '' ? part : `.${part}`;
  }
  return key;
}

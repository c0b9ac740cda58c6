import { InvalidArgumentError } from '@xling/core';

/**
 * The shared first check of every `fromJSON`: `json` is an object tagged with `kind` and one of
 * `versions`. Returns it typed; the caller checks the fields.
 * @throws XLING_INVALID_ARGUMENT naming the kind it got
 */
export function checkJsonKind<T>(json: unknown, kind: string, versions: readonly number[], fn: string): T {
  const j = json as { kind?: unknown; version?: unknown } | null;
  if (typeof j !== 'object' || j === null || j.kind !== kind || !versions.includes(j.version as number)) {
    throw new InvalidArgumentError(
      'json',
      fn,
      `must be a ${kind} version ${versions.join(' or ')} object, but got kind ${String(j?.kind)}.`,
    );
  }
  return json as T;
}

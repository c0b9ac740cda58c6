import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkOptions, findWorkspaceRoot, InvalidArgumentError } from '@xling/core';
import { UdDataError } from './ud-data-error.js';

/** Options of {@link resolveUdDir}; both exist for tests and embedding, defaults are the process'. */
export interface ResolveUdDirOptions {
  /** Folder the relative fallbacks start from. @defaultValue process.cwd() */
  cwd?: string;
  /** Environment to read `XLING_UD_DIR` from. @defaultValue process.env */
  env?: Record<string, string | undefined>;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Finds the UD directory, first match wins:
 * 1. `explicit`, when given (it must exist: an explicit choice never falls through);
 * 2. the environment variable `XLING_UD_DIR` (it must exist too);
 * 3. `<repo root>/../shared/data/ud`, the repo root being the nearest folder at or above
 *    `cwd` that holds `pnpm-workspace.yaml`;
 * 4. `<cwd>/../shared/data/ud`.
 *
 * Returns an absolute path. The folder may use either layout that {@link resolveTreebank}
 * understands (the offline copy with MANIFEST.tsv, or an extracted UD release).
 *
 * @example
 * resolveUdDir(); // '/home/me/shared/data/ud' when run inside a clone next to `shared/`
 * @throws XLING_UD_DATA_MISSING naming every candidate that was tried.
 */
export function resolveUdDir(explicit?: string, options: ResolveUdDirOptions = {}): string {
  const { cwd = process.cwd(), env = process.env, ...rest } = options;
  // checkOptions has no 'object' constraint: `env` is checked by hand.
  checkOptions({ ...rest, cwd }, { cwd: { type: 'string' } }, 'resolveUdDir');
  if (typeof env !== 'object' || env === null) {
    throw new InvalidArgumentError(
      'options.env',
      'resolveUdDir',
      `must be an object, but got ${String(env)}.`,
    );
  }
  if (explicit !== undefined && explicit !== '') {
    const dir = resolve(cwd, explicit);
    if (!isDirectory(dir)) {
      throw new UdDataError(`UD directory '${dir}' does not exist or is not a folder.`, { dir });
    }
    return dir;
  }
  const fromEnv = env.XLING_UD_DIR;
  if (fromEnv !== undefined && fromEnv !== '') {
    const dir = resolve(cwd, fromEnv);
    if (!isDirectory(dir)) {
      throw new UdDataError(`XLING_UD_DIR='${fromEnv}' is not a folder (resolved to '${dir}').`, { dir });
    }
    return dir;
  }
  const candidates: string[] = [];
  const root = findWorkspaceRoot(cwd);
  if (root !== undefined) candidates.push(join(root, '..', 'shared', 'data', 'ud'));
  candidates.push(resolve(cwd, '..', 'shared', 'data', 'ud'));
  for (const candidate of candidates) {
    if (isDirectory(candidate)) return resolve(candidate);
  }
  throw new UdDataError(
    `No UD directory found. Pass one explicitly, set XLING_UD_DIR, or place the data at one of: ${[
      ...new Set(candidates),
    ].join(', ')}.`,
    { dir: candidates.join(', '), missing: candidates },
  );
}

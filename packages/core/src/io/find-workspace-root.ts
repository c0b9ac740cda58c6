import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The nearest folder at or above `start` that holds `pnpm-workspace.yaml` — the root of an xling
 * checkout — or undefined outside one. Used to find the repository's default model and the UD
 * data beside it (`<root>/../shared/data/ud`).
 */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

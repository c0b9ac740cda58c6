import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XlingError } from '@xling/core';

/**
 * The built CLI entry point of this @xling/cli (`dist/bin.js` of the package this module belongs
 * to), found from this module's own path whether it runs from `src/` or from `dist/`: job scripts
 * run it with this process's node, so the jobs run exactly this version.
 * @throws XLING_SLURM when the package has no built bin (run `pnpm build` first).
 */
export function xlingBin(): string {
  // import.meta.url is empty in the CJS build: start from the running script there.
  let dir = dirname(import.meta.url ? fileURLToPath(import.meta.url) : (process.argv[1] ?? '.'));
  while (dirname(dir) !== dir) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === '@xling/cli') {
      const bin = join(dir, 'dist', 'bin.js');
      if (existsSync(bin)) return bin;
      throw new XlingError(
        'XLING_SLURM',
        `The xling CLI is not built: '${bin}' is missing; run 'pnpm build'.`,
      );
    }
    dir = dirname(dir);
  }
  throw new XlingError('XLING_SLURM', 'Cannot find the @xling/cli package this code belongs to.');
}

#!/usr/bin/env node
// `prepack` guard of every public package: refuses to pack when a file that package.json's
// main/module/types/exports/bin point at is missing (an unbuilt package would otherwise pack
// without its dist/), or when the LICENSE is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.cwd();
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const targets = new Set(['LICENSE', 'README.md']);
const collect = (v) => {
  if (typeof v === 'string') targets.add(v);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
};
for (const key of ['main', 'module', 'types', 'exports', 'bin']) collect(pkg[key]);
const missing = [...targets].filter((t) => !t.includes('*') && !existsSync(join(dir, t)));
if (missing.length > 0) {
  console.error(`${pkg.name}: cannot pack, missing ${missing.join(', ')} (run 'pnpm build' first).`);
  process.exit(1);
}

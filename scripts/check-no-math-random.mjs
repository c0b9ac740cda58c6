// Library code must take randomness from a seeded Rng (`createRng` in @xling/core), never
// Math.random: every random choice in xling has to be reproducible from a seed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.ts$/.test(name) && !/\.test\.ts$/.test(name)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/Math\.random\s*\(/.test(line))
            offenders.push(`${path}:${i + 1}: Math.random() in library code`);
        });
    }
  }
}
for (const pkg of readdirSync('packages')) walk(join('packages', pkg, 'src'));
if (offenders.length > 0) {
  console.error(offenders.join('\n'));
  process.exit(1);
}

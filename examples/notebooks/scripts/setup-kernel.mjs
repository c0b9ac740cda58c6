// `pnpm notebooks:setup`: registers the tslab TypeScript kernel with the Python that has Jupyter,
// pointing at this checkout's tslab binary (so the kernel needs no global install and no PATH
// entry), and prints what to install when Jupyter is missing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { jupyterPython } from './jupyter.mjs';

const tslab = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tslab');
if (!existsSync(tslab)) {
  console.error(`error: ${tslab} is missing; run pnpm install first`);
  process.exit(1);
}
const python = jupyterPython();
if (!python) {
  console.error(
    'error: no Python with Jupyter found. On Debian/Ubuntu (as root):\n' +
      '  apt-get install jupyter-notebook python3-nbconvert python3-ipykernel jupyter-client\n' +
      'elsewhere: pip install notebook nbconvert ipykernel jupyter_client\n' +
      'or point XLING_JUPYTER_PYTHON at a Python that has them.',
  );
  process.exit(1);
}
const scope = process.getuid?.() === 0 ? [] : ['--user'];
execFileSync(tslab, ['install', '--python', python, '--binary', tslab, ...scope], { stdio: 'inherit' });
console.log(`tslab kernel registered with ${python}; run the notebooks with pnpm notebooks:execute`);

// Finds a Python that has Jupyter (nbconvert + jupyter_client): $XLING_JUPYTER_PYTHON, else the first of
// python3 on the PATH and /usr/bin/python3 that can import both. The first python3 on a PATH is often a
// pyenv/conda one without Jupyter, which is what broke `tslab install` before.
import { execFileSync } from 'node:child_process';

const CANDIDATES = [process.env.XLING_JUPYTER_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);

function hasJupyter(python) {
  try {
    execFileSync(python, ['-c', 'import nbconvert, jupyter_client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The Python with Jupyter, or null. */
export function jupyterPython() {
  return CANDIDATES.find(hasJupyter) ?? null;
}

/** argv prefix that runs nbconvert with that Python; throws a readable error when none. */
export function nbconvertCommand() {
  const python = jupyterPython();
  if (!python) {
    throw new Error(
      'no Python with Jupyter found (tried ' +
        CANDIDATES.join(', ') +
        '). On Debian/Ubuntu: ' +
        'apt-get install jupyter-notebook python3-nbconvert python3-ipykernel jupyter-client; ' +
        'elsewhere: pip install nbconvert ipykernel jupyter_client; or set XLING_JUPYTER_PYTHON.',
    );
  }
  return [python, '-m', 'nbconvert'];
}

// Writes the code cells of every notebook as one TypeScript module per notebook in
// `.notebook-ts/`, so that `tsc` type-checks the notebooks with the workspace's settings (the
// kernel type-checks too, but reports some errors as a bare `<Error>`). Cells are joined in order.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const out = join(root, '.notebook-ts');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);
for (const name of readdirSync(root).filter((f) => f.endsWith('.ipynb'))) {
  const { cells } = JSON.parse(readFileSync(join(root, name), 'utf8'));
  const code = cells
    .filter((c) => c.cell_type === 'code')
    .map((c, i) => `// cell ${i + 1}\n${[].concat(c.source).join('')}`)
    .join('\n\n');
  writeFileSync(join(out, name.replace(/\.ipynb$/, '.ts')), `${code}\nexport {};\n`);
}

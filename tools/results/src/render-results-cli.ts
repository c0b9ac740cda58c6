import { parseArgs } from 'node:util';
import { writeResults } from './write-results.js';

// pnpm results <run-dir> [--model <dir>] [--logreg-table <file.md>] [--lr-table <file.md>]
//   [--timing "<wall>, user <user>"] [--out docs/results.md]   (README.md says where each comes from)
const { values, positionals } = parseArgs({
  // `pnpm <script> -- --flag` passes the `--` through; without this, parseArgs would read every
  // flag after it as a positional.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  allowPositionals: true,
  options: {
    model: { type: 'string' },
    'logreg-table': { type: 'string' },
    'lr-table': { type: 'string' },
    timing: { type: 'string' },
    out: { type: 'string' },
  },
});

async function main(): Promise<void> {
  if (positionals.length !== 1) {
    console.error(
      'usage: pnpm results <run-dir> [--model <dir>] [--logreg-table <file.md>] [--lr-table <file.md>] ' +
        '[--timing "<wall>, user <user>"] [--out docs/results.md]',
    );
    process.exitCode = 2;
    return;
  }
  const out = await writeResults({
    runDir: positionals[0],
    modelDir: values.model,
    logregTable: values['logreg-table'],
    lrTable: values['lr-table'],
    timing: values.timing,
    out: values.out,
  });
  console.log(`wrote ${out}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.message}` : error);
  process.exitCode = 1;
});

import { describe, expect, it } from 'vitest';
import { renderJobScript, shellQuote } from './job-script.js';

describe('job scripts', () => {
  it('shellQuote keeps every character literal, quotes included', () => {
    expect(shellQuote("it's $HOME `x`")).toBe(`'it'\\''s $HOME \`x\`'`);
  });

  it('renderJobScript writes the #SBATCH lines, the folder and the quoted command, with the array shard last', () => {
    const script = renderJobScript({
      sbatch: ['--partition=gpu', '--gpus-per-task=1'],
      cwd: '/lab/my runs',
      command: ['/usr/bin/node', '/x/bin.js', 'extract', "/c/it's.yaml"],
      shardCount: 4,
    });
    expect(script).toBe(
      [
        '#!/bin/bash',
        '# Written by xling (--executor slurm); submitted with sbatch, rewritten on every submission.',
        '#SBATCH --partition=gpu',
        '#SBATCH --gpus-per-task=1',
        'set -eu',
        "cd '/lab/my runs'",
        `exec '/usr/bin/node' '/x/bin.js' 'extract' '/c/it'\\''s.yaml' --shard "$SLURM_ARRAY_TASK_ID/4"`,
        '',
      ].join('\n'),
    );
  });
});

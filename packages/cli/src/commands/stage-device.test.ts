import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ortBackends } from '@xling/extract';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { UD_DIR, writeTinyConfig } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

const env = { XLING_UD_DIR: UD_DIR };
const cuda = ortBackends().backends.find((b) => b.name === 'cuda');
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('stage commands, --device', () => {
  it("run(['extract', config, '--device', 'gpu']) is a usage error (exit 2)", async () => {
    const io = bufferIo();
    expect(await run(['extract', 'c.yaml', '--device', 'gpu'], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/--device must be one of cpu, cuda, but got 'gpu'/);
  });

  // This machine has no CUDA files (the install script is skipped): the real check answers.
  it.skipIf(cuda?.installed)(
    "'--device cuda', or 'device: cuda' in the config, fails before any work with XLING_BACKEND_UNAVAILABLE and the install command",
    async () => {
      for (const [changes, args] of [
        [{}, ['--device', 'cuda']],
        [{ device: 'cuda' }, []],
      ] as const) {
        const { dir, config } = writeTinyConfig(changes);
        temps.push(dir);
        const io = bufferIo({ cwd: dir, env });
        expect(await run(['extract', config, ...args], io)).toBe(EXIT.failure);
        expect(io.err()).toMatch(/cannot run on 'cuda': .*\[XLING_BACKEND_UNAVAILABLE\]\n$/);
        // Where the binary has CUDA (Linux x64), the message says how to fetch it.
        if (cuda) expect(io.err()).toContain('&& ONNXRUNTIME_NODE_INSTALL=1 node script/install');
        expect(existsSync(join(dir, 'out'))).toBe(false);
      }
    },
  );
});

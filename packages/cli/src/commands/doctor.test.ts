import { ortBackends } from '@xling/extract';
import { describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { UD_DIR } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

// The real listing of this machine: the doctor must say what the binary says.
const real = ortBackends();
const cuda = real.backends.find((b) => b.name === 'cuda');

describe('doctor', () => {
  it("run(['doctor']) prints the versions, every backend of the binary, CUDA's state and the UD directory", async () => {
    const io = bufferIo({ env: { XLING_UD_DIR: UD_DIR } });
    expect(await run(['doctor'], io)).toBe(EXIT.ok);
    const out = io.out();
    expect(out).toContain(`Node.js: ${process.version} on ${process.platform}/${process.arch}\n`);
    expect(out).toContain(`onnxruntime-node: ${real.version} in ${real.packageDir}\n`);
    expect(out).toContain('Backends (listSupportedBackends of the native binding):\n');
    expect(out).toMatch(/\nbackend +bundled +installed\n/);
    for (const b of real.backends)
      expect(out).toMatch(
        new RegExp(`\\n${b.name} +${b.bundled ? 'yes' : 'no'} +${b.installed ? 'yes' : 'no'}\\n`),
      );
    if (!cuda) expect(out).toMatch(/CUDA: not available: onnxruntime-node ships CUDA for Linux x64 only/);
    else if (!cuda.installed)
      expect(out).toContain(
        `CUDA: not installed (the install script of onnxruntime-node was skipped). To enable it, run\nwhere api.nuget.org is reachable (it downloads the CUDA 12 provider of the same version):\n  cd '${real.packageDir}' && ONNXRUNTIME_NODE_INSTALL=1 node script/install\n`,
      );
    else expect(out).toMatch(/CUDA: installed; --device cuda/);
    expect(out).toMatch(new RegExp(`\\nUD directory: ${UD_DIR}\\n$`));
    expect(io.err()).toBe('');
  });

  it("run(['doctor', '--json']) prints the same as JSON, and a missing UD directory is a finding (exit 0)", async () => {
    const io = bufferIo({ env: { XLING_UD_DIR: '/nonexistent/ud' } });
    expect(await run(['doctor', '--json'], io)).toBe(EXIT.ok);
    const report = JSON.parse(io.out());
    expect(Object.keys(report)).toEqual(['node', 'platform', 'arch', 'onnxruntime', 'cuda', 'ud']);
    expect(report).toMatchObject({ node: process.version, platform: process.platform, arch: process.arch });
    expect(report.onnxruntime).toEqual(real);
    expect(report.onnxruntime.backends).toContainEqual({ name: 'cpu', bundled: true, installed: true });
    expect(report.cuda).toEqual(
      !cuda
        ? { status: 'not-in-build', install: null }
        : cuda.installed
          ? { status: 'installed', install: null }
          : {
              status: 'not-installed',
              install: `cd '${real.packageDir}' && ONNXRUNTIME_NODE_INSTALL=1 node script/install`,
            },
    );
    expect(report.ud).toEqual({
      dir: '/nonexistent/ud',
      exists: false,
      problem: expect.stringMatching(/XLING_UD_DIR='\/nonexistent\/ud' is not a folder/),
    });
  });

  it("run(['doctor', 'extra']) is a usage error (exit 2)", async () => {
    const io = bufferIo();
    expect(await run(['doctor', 'extra'], io)).toBe(EXIT.usage);
  });
});

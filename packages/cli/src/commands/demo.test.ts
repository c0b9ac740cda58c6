import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { bufferIo } from '../test-io.js';

describe('demo', () => {
  it("run(['demo', dir]) prints the UD statistics report of the whole folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xling-demo-'));
    for (const [treebank, file] of [
      ['UD_Foo-Bar', 'foo_bar-ud-dev.conllu'],
      ['UD_Foo-Bar', 'foo_bar-ud-test.conllu'],
      ['UD_Baz-Qux', 'baz_qux-ud-test.conllu'],
    ] as const) {
      mkdirSync(join(dir, treebank), { recursive: true });
      writeFileSync(join(dir, treebank, file), '1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n\n');
    }
    const io = bufferIo();
    expect(await run(['demo', dir], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/^xling demo: UD statistics report/);
    expect(io.out()).toMatch(/Total: 2 treebanks, 3 files, 3 sentences, 3 words/);
    expect(io.out()).toMatch(/dev used for fitting and test for testing \(1\): UD_Foo-Bar\./);
    expect(io.out()).toMatch(/Test only \(1\): UD_Baz-Qux\./);
  });

  it("run(['demo']) exits 1 naming the candidates when no UD folder can be found", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xling-demo-none-'));
    writeFileSync(join(cwd, 'pnpm-workspace.yaml'), '');
    const io = bufferIo({ cwd, env: {} });
    expect(await run(['demo'], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(/No UD directory found\. .*set XLING_UD_DIR/);
  });
});

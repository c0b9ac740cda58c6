import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXPERIMENT_CONFIG, loadExperimentConfig } from '@xling/eval';
import { describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { bufferIo } from '../test-io.js';

describe('config init', () => {
  it("run(['config', 'init']) writes a commented YAML that loads as exactly the defaults; a second call exits 1 unless --force", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xling-config-'));
    const io = bufferIo({ cwd: dir });
    expect(await run(['config', 'init'], io)).toBe(EXIT.ok);
    const path = join(dir, 'xling.config.yaml');
    expect(io.out()).toBe(`Wrote ${path}\nNext: xling run xling.config.yaml\n`);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^# xling experiment config/);
    expect(text).toMatch(/\n# metaLanguages: /);
    expect(await loadExperimentConfig(path)).toEqual({
      ...DEFAULT_EXPERIMENT_CONFIG,
      model: 'models/xling-mini-encoder',
    });

    const again = bufferIo({ cwd: dir });
    expect(await run(['config', 'init'], again)).toBe(EXIT.failure);
    expect(again.err()).toMatch(/already exists; pass --force to overwrite it\. \[XLING_FILE_EXISTS\]/);
    expect(await run(['config', 'init', '--force', '--model', 'models/other'], bufferIo({ cwd: dir }))).toBe(
      EXIT.ok,
    );
    expect((await loadExperimentConfig(path)).model).toBe('models/other');
  });
});

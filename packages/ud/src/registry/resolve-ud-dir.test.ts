import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUdDir } from './resolve-ud-dir.js';

function makeTree() {
  const base = mkdtempSync(join(tmpdir(), 'xling-uddir-'));
  const repo = join(base, 'repo');
  mkdirSync(join(repo, 'packages', 'ud'), { recursive: true });
  writeFileSync(join(repo, 'pnpm-workspace.yaml'), 'packages: []\n');
  mkdirSync(join(base, 'shared', 'data', 'ud'), { recursive: true });
  return { base, repo, ud: join(base, 'shared', 'data', 'ud') };
}

describe('resolveUdDir', () => {
  it('resolveUdDir(explicit) returns the absolute folder and wins over XLING_UD_DIR', () => {
    const { base, ud } = makeTree();
    expect(resolveUdDir('shared/data/ud', { cwd: base, env: { XLING_UD_DIR: '/nonexistent' } })).toBe(ud);
  });

  it('resolveUdDir() reads XLING_UD_DIR before the repo fallback', () => {
    const { repo, base } = makeTree();
    const other = join(base, 'other');
    mkdirSync(other);
    expect(resolveUdDir(undefined, { cwd: repo, env: { XLING_UD_DIR: other } })).toBe(other);
  });

  it('resolveUdDir() falls back to <repo root>/../shared/data/ud from a package folder', () => {
    const { repo, ud } = makeTree();
    expect(resolveUdDir(undefined, { cwd: join(repo, 'packages', 'ud'), env: {} })).toBe(ud);
  });

  it('resolveUdDir() finds the real shared data from this package', () => {
    expect(resolveUdDir()).toMatch(/shared[\\/]data[\\/]ud$/);
  });

  it('resolveUdDir(explicit) throws XLING_UD_DATA_MISSING for a missing folder instead of falling through', () => {
    const { base } = makeTree();
    expect(() => resolveUdDir('nope', { cwd: base, env: {} })).toThrow(
      expect.objectContaining({
        code: 'XLING_UD_DATA_MISSING',
        message: expect.stringMatching(/nope' does not exist/),
      }),
    );
    expect(() => resolveUdDir(undefined, { cwd: base, env: { XLING_UD_DIR: 'gone' } })).toThrow(
      /XLING_UD_DIR='gone'/,
    );
  });

  it('resolveUdDir() lists the candidates it tried when nothing is found', () => {
    const lonely = mkdtempSync(join(tmpdir(), 'xling-lonely-'));
    const cwd = join(lonely, 'a');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'pnpm-workspace.yaml'), '');
    expect(() => resolveUdDir(undefined, { cwd, env: {} })).toThrow(
      /No UD directory found.*set XLING_UD_DIR.*shared[\\/]data[\\/]ud/,
    );
  });
});

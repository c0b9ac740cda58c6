import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findWorkspaceRoot } from './find-workspace-root.js';

describe('findWorkspaceRoot(start)', () => {
  it('finds the nearest folder with pnpm-workspace.yaml at or above start, else undefined', () => {
    const root = mkdtempSync(join(tmpdir(), 'xling-root-'));
    const deep = join(root, 'packages', 'a', 'src');
    mkdirSync(deep, { recursive: true });
    expect(findWorkspaceRoot(deep)).toBeUndefined();
    writeFileSync(join(root, 'pnpm-workspace.yaml'), '');
    expect(findWorkspaceRoot(deep)).toBe(root);
    expect(findWorkspaceRoot(root)).toBe(root);
  });
});

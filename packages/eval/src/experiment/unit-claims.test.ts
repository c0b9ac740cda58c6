import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StageUnits } from './stage-units.js';
import { UnitClaims } from './unit-claims.js';

const dirs: string[] = [];
function claimsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'xling-claims-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (pid === undefined) throw new Error('no child pid');
  return pid;
}

describe('UnitClaims', () => {
  it('gives each unit to the first claimer only, per stage', () => {
    const a = new UnitClaims(claimsDir());
    const b = new UnitClaims(a.dir);
    expect(a.claim('probes', 'upos/en')).toBe(true);
    expect(b.claim('probes', 'upos/en')).toBe(false);
    expect(a.claim('probes', 'upos/en')).toBe(false);
    expect(b.claim('meta', 'upos/en')).toBe(true);
    expect(b.claim('probes', 'upos/de')).toBe(true);
  });

  it('waitFor resolves when the unit is ready or its claimer marks it finished', async () => {
    const claims = new UnitClaims(claimsDir());
    claims.claim('s', 'u');
    let ready = false;
    setTimeout(() => {
      ready = true;
    }, 250);
    await claims.waitFor('s', 'u', () => ready);
    expect(ready).toBe(true);
    claims.claim('s', 'empty');
    setTimeout(() => claims.finish('s', 'empty'), 250);
    await expect(claims.waitFor('s', 'empty', () => false)).resolves.toBeUndefined();
  });

  it('waitFor fails instead of hanging when nobody claimed the unit or its claimer died', async () => {
    const claims = new UnitClaims(claimsDir());
    await expect(claims.waitFor('s', 'u', () => false)).rejects.toMatchObject({
      code: 'XLING_STAGE_INCOMPLETE',
      message: expect.stringContaining("lacks its unit 'u': no shard took it"),
    });
    claims.claim('s', 'u');
    const [file] = readdirSync(claims.dir);
    const claim = JSON.parse(readFileSync(join(claims.dir, file), 'utf8'));
    const pid = deadPid();
    writeFileSync(join(claims.dir, file), JSON.stringify({ ...claim, pid }));
    await expect(claims.waitFor('s', 'u', () => false)).rejects.toMatchObject({
      code: 'XLING_STAGE_INCOMPLETE',
      message: expect.stringContaining(`(pid ${pid}) exited without finishing it`),
    });
  });

  it('a claim appears whole: a claim file that cannot be read is an error, not a wait', async () => {
    const claims = new UnitClaims(claimsDir());
    claims.claim('s', 'u');
    const [file] = readdirSync(claims.dir);
    expect(JSON.parse(readFileSync(join(claims.dir, file), 'utf8'))).toMatchObject({
      unit: 'u',
      pid: process.pid,
    });
    writeFileSync(join(claims.dir, file), '');
    await expect(claims.waitFor('s', 'u', () => false)).rejects.toMatchObject({
      code: 'XLING_STAGE_INCOMPLETE',
      message: expect.stringContaining('is unreadable'),
    });
    expect(readdirSync(claims.dir)).toEqual([file]); // no temporary file left
  });

  it('waitFor stops with XLING_ABORTED when the signal fires', async () => {
    const claims = new UnitClaims(claimsDir());
    claims.claim('s', 'u');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await expect(claims.waitFor('s', 'u', () => false, controller.signal)).rejects.toMatchObject({
      code: 'XLING_ABORTED',
    });
  });
});

describe('StageUnits.unit with claims', () => {
  it('computes what it claims first, skips the rest, then reads every unit, waiting for the others', async () => {
    const dir = claimsDir();
    const done = new Map<string, number>();
    const access = (id: string, value: number) => ({
      ready: () => done.has(id),
      load: async () => done.get(id)!,
      compute: async () => {
        done.set(id, value);
        return value;
      },
    });
    const mine = new StageUnits('stage', ['a', 'b'], { kind: 'claim', claims: new UnitClaims(dir) });
    const other = new UnitClaims(dir);
    expect(other.claim('stage', 'b')).toBe(true);
    expect(mine.assembles).toBe(false);
    expect(await mine.unit('a', access('a', 1))).toBe(1);
    expect(await mine.unit('b', access('b', 2))).toBeUndefined();
    expect(done.has('b')).toBe(false);
    const reader = new StageUnits('stage', ['a', 'b'], {
      kind: 'complete',
      stage: 'stage',
      command: 'xling probe <config>',
      claims: new UnitClaims(dir),
    });
    setTimeout(() => done.set('b', 20), 200);
    expect(await reader.unit('a', access('a', -1))).toBe(1);
    expect(await reader.unit('b', access('b', -1))).toBe(20);
    // Without claims a missing unit of a stage read complete is an error, as before.
    const strict = new StageUnits('stage', ['c'], {
      kind: 'complete',
      stage: 'stage',
      command: 'xling probe <config>',
    });
    await expect(strict.unit('c', access('c', 3))).rejects.toMatchObject({ code: 'XLING_STAGE_INCOMPLETE' });
    // ... unless the unit has nothing to compute (a control task without word forms).
    expect(await strict.unit('c', { ...access('c', 3), empty: async () => true })).toBeUndefined();
    expect(done.has('c')).toBe(false);
  });
});

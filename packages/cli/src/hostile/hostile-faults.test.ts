// Ordinary faults through the real CLI on the tiny experiment: a full disk, a read-only or
// unusable output folder, flipped or deleted shards. Each ends in a clear coded error, and once
// the fault is gone a rerun gives the correct result. Disk faults need a tmpfs: they run where
// mounting is allowed (root, as in CI containers) and are skipped with the reason elsewhere
// (the packages' own tests inject ENOSPC/EROFS for the same code paths).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig, UD_DIR } from '../test-experiment.js';
import {
  CLEAN_FAILURE,
  errorCode,
  type HostileOptions,
  hostileVerdict,
  runHostile as runIn,
} from './run-hostile.js';

const runHostile = (args: string[], options: HostileOptions) =>
  runIn(args, { ...options, env: { XLING_UD_DIR: UD_DIR } });

function tryMount(dir: string, options: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function mountAllowed(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'xling-mount-probe-'));
  const mounted = tryMount(probe, 'size=64k');
  if (mounted) execFileSync('umount', [probe]);
  rmSync(probe, { recursive: true, force: true });
  return mounted;
}
const canMount = mountAllowed();

let sandbox: string;
const mounted: string[] = [];
beforeAll(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'xling-hostile-faults-'));
  await writeFile(join(sandbox, 'config.yaml'), JSON.stringify({ ...tinyConfig('out'), outDir: 'out' }));
});
afterAll(async () => {
  for (const dir of mounted) execFileSync('umount', [dir]);
  await rm(sandbox, { recursive: true, force: true });
});

function mountTmpfs(name: string, options: string): string {
  const dir = join(sandbox, name);
  mkdirSync(dir);
  if (!tryMount(dir, options)) throw new Error(`mount tmpfs ${options} on ${dir} failed`);
  mounted.push(dir);
  return name;
}

async function shards(out: string): Promise<string[]> {
  const files = (await readdir(join(sandbox, out, 'store'), { recursive: true })) as string[];
  return files.filter((f) => f.endsWith('.safetensors')).sort();
}

describe.skipIf(!canMount)('disk faults (tmpfs; skipped where mounting is not allowed)', () => {
  it('a full disk during extraction ends in XLING_FILE_SYSTEM; a rerun with space resumes', {
    timeout: 120_000,
  }, async () => {
    const full = mountTmpfs('full', 'size=96k');
    const run = await runHostile(['extract', 'config.yaml', '--out', `${full}/out`], {
      sandbox,
      writable: [full],
    });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toBe('XLING_FILE_SYSTEM');
    expect(run.stderr).toMatch(/the disk is full.*\(ENOSPC\)/);
    execFileSync('mount', ['-o', 'remount,size=64m', join(sandbox, full)]);
    const rerun = await runHostile(['extract', 'config.yaml', '--out', `${full}/out`], {
      sandbox,
      writable: [full],
    });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect((await readdir(join(sandbox, full, 'out', 'store'), { recursive: true })).join()).not.toMatch(
      /\.tmp/,
    );
  });

  it('a read-only output folder ends in XLING_FILE_SYSTEM naming it', { timeout: 60_000 }, async () => {
    const ro = mountTmpfs('ro', 'size=64k');
    await mkdir(join(sandbox, ro, 'out'));
    execFileSync('mount', ['-o', 'remount,ro', join(sandbox, ro)]);
    const run = await runHostile(['extract', 'config.yaml', '--out', `${ro}/out`], { sandbox });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toBe('XLING_FILE_SYSTEM');
    expect(run.stderr).toMatch(/read-only.*\(EROFS\)/);
  });
});

describe('output and store faults', () => {
  it('an --out that is a file ends in XLING_FILE_SYSTEM', { timeout: 60_000 }, async () => {
    await writeFile(join(sandbox, 'a-file'), 'x');
    const run = await runHostile(['extract', 'config.yaml', '--out', 'a-file'], { sandbox });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toBe('XLING_FILE_SYSTEM');
    expect(run.stderr).toContain('a-file');
  });

  it('flipped shard bytes are caught on read; a deleted shard is named with its repair, which works', {
    timeout: 180_000,
  }, async () => {
    const first = await runHostile(['extract', 'config.yaml', '--out', 'good'], {
      sandbox,
      writable: ['good'],
    });
    expect(first.status, first.stderr).toBe(0);
    // Layer 2 is the probed layer (tinyConfig's first), so `xling probe` reads these shards.
    const [shard, other] = (await shards('good')).filter((f) => f.includes('L2-'));
    const path = join(sandbox, 'good', 'store', shard!);
    const original = await readFile(path);
    const bytes = Buffer.from(original);
    for (let i = 0; i < 100; i++) bytes[bytes.length - 1 - i * 7] ^= 0x5a;
    await writeFile(path, bytes);
    const flipped = await runHostile(['probe', 'config.yaml', '--out', 'good'], {
      sandbox,
      writable: ['good'],
    });
    expect(hostileVerdict(flipped), flipped.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(flipped)).toBe('XLING_STORE_CORRUPT');
    expect(flipped.stderr).toContain(shard!.split('/').pop()!);
    await writeFile(path, original);
    await rm(join(sandbox, 'good', 'store', other!));
    // Every stage through 'eval' reads every entry: the lost shard is named, with the repair.
    const deleted = await runHostile(['eval', 'config.yaml', '--out', 'good'], {
      sandbox,
      writable: ['good'],
    });
    expect(hostileVerdict(deleted), deleted.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(deleted)).toBe('XLING_STORE_INCOMPLETE');
    expect(deleted.stderr).toContain(other!);
    const entry = /delete the folder '([^']+)'/.exec(deleted.stderr)?.[1];
    expect(entry).toBeDefined();
    await rm(entry!, { recursive: true });
    const repaired = await runHostile(['eval', 'config.yaml', '--out', 'good'], {
      sandbox,
      writable: ['good'],
    });
    expect(repaired.status, repaired.stderr).toBe(0);
  });
});

describe('two writers on one store', () => {
  it('run at once: each finishes or fails with XLING_STORE_LOCKED, and the store stays whole', {
    timeout: 240_000,
  }, async () => {
    const both = await Promise.all([
      runHostile(['extract', 'config.yaml', '--out', 'shared'], { sandbox, writable: ['shared'] }),
      runHostile(['extract', 'config.yaml', '--out', 'shared'], { sandbox, writable: ['shared'] }),
    ]);
    for (const run of both) {
      expect(run.timedOut).toBe(false);
      if (run.status !== 0) {
        expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
        expect(errorCode(run)).toBe('XLING_STORE_LOCKED');
      }
    }
    expect(both.some((run) => run.status === 0)).toBe(true);
    // A rerun completes whatever a refused writer left, then every shard passes its checksum.
    const rerun = await runHostile(['probe', 'config.yaml', '--out', 'shared'], {
      sandbox,
      writable: ['shared'],
    });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect((await shards('shared')).length).toBeGreaterThan(0);
  });
});

it.runIf(!canMount)('reports why the disk-fault cases were skipped', () => {
  expect(canMount).toBe(false); // mounting a tmpfs needs root (CAP_SYS_ADMIN); see the header
});

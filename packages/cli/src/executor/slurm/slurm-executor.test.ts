import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireFileLock } from '@xling/core';
import { extractionStatus, unitsOfShard } from '@xling/eval';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCliConfig } from '../../experiment/load-cli-config.js';
import { EXIT, run } from '../../run.js';
import { UD_DIR } from '../../test-experiment.js';
import { bufferIo } from '../../test-io.js';
import { differences, writeThreeLanguageConfig } from '../../test-sharding.js';

const SCRIPTS = resolve(import.meta.dirname, '../../../../../scripts/slurm');
// The scripts' default: $TMPDIR/xling-slurm (os.tmpdir() reads TMPDIR too).
const SLURM_DIR = process.env.XLING_SLURM_DIR ?? join(tmpdir(), 'xling-slurm');

/** Starts the one-node cluster (or finds it running); the reason when it cannot. */
function startCluster(): { env?: Record<string, string>; startedHere: boolean; skip?: string } {
  const running = existsSync(join(SLURM_DIR, 'slurmctld.pid'));
  try {
    execFileSync('sh', ['-c', 'command -v sbatch'], { stdio: 'ignore' });
  } catch {
    return { startedHere: false, skip: "'sbatch' is not installed (apt-get install -y slurm-wlm munge)" };
  }
  try {
    const out = execFileSync('bash', [join(SCRIPTS, 'start-local-cluster.sh')], {
      env: { ...process.env, XLING_SLURM_DIR: SLURM_DIR },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const env = Object.fromEntries(
      [...out.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    return { env, startedHere: !running };
  } catch (error) {
    const reason = `the local Slurm cluster did not start: ${(error as { stderr?: string }).stderr ?? String(error)}`;
    // On CI with sbatch installed, a cluster that does not start is a failure, not a skip.
    if (process.env.CI) throw new Error(reason);
    return { startedHere: false, skip: reason };
  }
}

const cluster = startCluster();
if (cluster.skip) console.warn(`Skipping the Slurm executor test: ${cluster.skip}`);

const temps: string[] = [];
afterAll(() => {
  if (cluster.startedHere) {
    execFileSync('bash', [join(SCRIPTS, 'stop-local-cluster.sh')], {
      env: { ...process.env, XLING_SLURM_DIR: SLURM_DIR },
    });
  }
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(cluster.skip !== undefined)('--executor slurm on a one-node cluster', () => {
  it('4 array tasks, one failing, then a re-submission of only its unit: store and report as one process', async () => {
    const { dir, config } = writeThreeLanguageConfig();
    temps.push(dir);
    const env = { XLING_UD_DIR: UD_DIR, ...cluster.env };
    const io = () => bufferIo({ cwd: dir, env });
    const single = io();
    expect(await run(['align', config, '--out', 'single'], single)).toBe(EXIT.ok);
    const runDir = /Run folder: single\/(\S+)/.exec(single.out())![1]!;

    // Shard 2 fails deterministically: its unit store's writer lock is held by this (live) process.
    const loaded = await loadCliConfig(config, io(), { outDir: join(dir, 'sharded') });
    const [locked] = unitsOfShard(await extractionStatus(loaded), { index: 2, count: 4 });
    const lockDir = join(dir, 'sharded', 'store-units', locked!.id);
    mkdirSync(lockDir, { recursive: true });
    const lock = await acquireFileLock(join(lockDir, 'writer.lock'), { code: 'TEST_LOCK', remedy: '' });
    const submit = [
      'align',
      config,
      '--out',
      'sharded',
      '--executor',
      'slurm',
      '--shards',
      '4',
      '--slurm-poll',
      '1',
    ];
    const first = io();
    expect(await run(submit, first)).toBe(EXIT.failure);
    await lock.release();
    const [arrayId, alignId] = [...first.out().matchAll(/Submitted job (\d+)/g)].map((m) => m[1]!);
    const logs = join(dir, 'sharded', 'runs', runDir.split('/').pop()!, 'slurm', 'logs');
    const failedLog = join(logs, `extract-${arrayId}_2.log`);
    expect(first.err()).toContain(
      `array task ${arrayId}_2 (shard 2/4) did not finish its units; log: ${failedLog}`,
    );
    expect(readFileSync(failedLog, 'utf8')).toMatch(/XLING_STORE_LOCKED/);
    expect(first.err()).toMatch(new RegExp(`job ${alignId} \\(align\\) ended CANCELLED`));
    expect(first.err()).toContain('extraction units done: 5/6');
    const marks = join(dir, 'sharded', 'store-units', 'done');
    const before = new Map(readdirSync(marks).map((name) => [name, statSync(join(marks, name)).mtimeMs]));
    expect(before.size).toBe(5);

    const second = io();
    expect(await run(submit, second)).toBe(EXIT.ok);
    const [arrayAgain] = [...second.out().matchAll(/Submitted job (\d+)/g)].map((m) => m[1]!);
    // Only task 2 ran again, and it extracted only the missing unit; the other marks are untouched.
    expect(readdirSync(logs).filter((name) => name.startsWith(`extract-${arrayAgain}_`))).toEqual([
      `extract-${arrayAgain}_2.log`,
    ]);
    expect(readFileSync(join(logs, `extract-${arrayAgain}_2.log`), 'utf8')).toMatch(
      new RegExp(`Shard 2/4: 1 units\\n {2}${locked!.id}: extracted\\n`),
    );
    for (const [name, mtime] of before) expect(statSync(join(marks, name)).mtimeMs).toBe(mtime);
    expect(differences(join(dir, 'single'), join(dir, 'sharded'), runDir)).toEqual([]);
  }, 600_000);
});

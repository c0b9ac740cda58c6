import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
import { xlingBin } from './xling-bin.js';

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

/** The jobs a submission printed (`Submitted job <id>: <command>, tasks <tasks>`), in order. */
function submitted(out: string): { id: string; what: string }[] {
  return [...out.matchAll(/^Submitted job (\d+): (.+)$/gm)].map((m) => ({ id: m[1]!, what: m[2]! }));
}

describe.skipIf(cluster.skip !== undefined)('--executor slurm on a one-node cluster', () => {
  it('a chain of arrays (extract, probe, meta train, run) with one failing extraction task, re-submitted: store and report as one process', async () => {
    const { dir, config } = writeThreeLanguageConfig();
    temps.push(dir);
    const env = { XLING_UD_DIR: UD_DIR, ...cluster.env };
    const io = () => bufferIo({ cwd: dir, env });
    const single = io();
    expect(await run(['run', config, '--out', 'single'], single)).toBe(EXIT.ok);
    const runDir = /Run folder: single\/(\S+)/.exec(single.out())![1]!;
    // #SBATCH resources from the config's slurm section, in no key: the run folder stays the same.
    const slurm = { sbatch: ['--comment=xling'], stages: { probe: { cpus: 1 }, run: { time: 30 } } };
    writeFileSync(config, JSON.stringify({ ...JSON.parse(readFileSync(config, 'utf8')), slurm }));
    const slurmDir = join(dir, 'sharded', runDir, 'slurm');
    const logs = join(slurmDir, 'logs');

    // Shard 2 fails deterministically: its unit store's writer lock is held by this (live) process.
    const loaded = await loadCliConfig(config, io(), { outDir: join(dir, 'sharded') });
    const [locked] = unitsOfShard(await extractionStatus(loaded), { index: 2, count: 4 });
    const lockDir = join(dir, 'sharded', 'store-units', locked!.id);
    mkdirSync(lockDir, { recursive: true });
    const lock = await acquireFileLock(join(lockDir, 'writer.lock'), { code: 'TEST_LOCK', remedy: '' });
    const submit = [
      'run',
      config,
      '--out',
      'sharded',
      '--executor',
      'slurm',
      '--shards',
      '4',
      '--slurm-poll',
      '1',
      '--slurm-time',
      '20',
    ];
    const first = io();
    expect(await run(submit, first)).toBe(EXIT.failure);
    await lock.release();
    const chain = submitted(first.out());
    expect(chain.map((job) => job.what)).toEqual([
      'extract --shard i/4, tasks 0-3',
      'extract',
      'probe --shard i/4, tasks 0-3',
      'meta train --shard i/4, tasks 0-3',
      'run --shard i/4, tasks 0-3',
      'run',
    ]);
    const [extractArray, gather, probes, learners, scores, final] = chain.map((job) => job.id);
    expect(first.err()).toMatch(
      new RegExp(`xling: jobs ended 0/6; extract-shards \\(job ${extractArray}\\)`),
    );
    const failedLog = join(logs, `extract-shards-${extractArray}_2.log`);
    expect(first.err()).toContain(
      `array task ${extractArray}_2 (extract --shard 2/4) did not finish its units; log: ${failedLog}`,
    );
    expect(readFileSync(failedLog, 'utf8')).toMatch(/XLING_STORE_LOCKED/);
    // Slurm cancelled the rest of the chain before it started.
    expect(first.err()).toContain(`job ${gather} (extract) ended CANCELLED before it started`);
    for (const [id, what] of [
      [probes, 'probe'],
      [learners, 'meta train'],
      [scores, 'run'],
    ]) {
      expect(first.err()).toContain(
        `array ${id} tasks 0-3 (${what} --shard i/4) ended CANCELLED before they started`,
      );
    }
    expect(first.err()).toContain(`job ${final} (run) ended CANCELLED before it started`);
    expect(first.err()).toContain('extraction units done: 5/6');
    const marks = join(dir, 'sharded', 'store-units', 'done');
    const before = new Map(readdirSync(marks).map((name) => [name, statSync(join(marks, name)).mtimeMs]));
    expect(before.size).toBe(5);

    // The scripts: each array runs its command with --shard; no job runs a CUDA session (cpu).
    const script = (name: string) => readFileSync(join(slurmDir, `${name}.sh`), 'utf8');
    const exec = (name: string) => /^exec (.*)$/m.exec(script(name))![1]!;
    // Resources: the config's defaults, then its stage entry, then the flags (--slurm-time over 30).
    const sbatchLines = (name: string) => [...script(name).matchAll(/^#SBATCH (.*)$/gm)].map((m) => m[1]);
    expect(sbatchLines('extract-shards')).toEqual(['--time=20', '--comment=xling']);
    expect(sbatchLines('probe-shards')).toEqual(['--time=20', '--cpus-per-task=1', '--comment=xling']);
    expect(sbatchLines('run')).toEqual(['--time=20', '--comment=xling']);
    const args = `'${config}' '--out' '${join(dir, 'sharded')}' '--ud-dir' '${UD_DIR}' '--device' 'cpu'`;
    const shard = ' --shard "$SLURM_ARRAY_TASK_ID/4"';
    for (const [name, words, sharded] of [
      ['extract-shards', "'extract'", true],
      ['extract', "'extract'", false],
      ['probe-shards', "'probe'", true],
      ['meta-train-shards', "'meta' 'train'", true],
      ['run-shards', "'run'", true],
      ['run', "'run'", false],
    ] as const) {
      expect(exec(name)).toBe(
        `'${process.execPath}' '${xlingBin()}' ${words} ${args}${sharded ? shard : ''}`,
      );
    }

    const second = io();
    expect(await run(submit, second)).toBe(EXIT.ok);
    const again = submitted(second.out());
    expect(again.map((job) => job.what)).toEqual([
      'extract --shard i/4, tasks 2',
      'extract',
      'probe --shard i/4, tasks 0-3',
      'meta train --shard i/4, tasks 0-3',
      'run --shard i/4, tasks 0-3',
      'run',
    ]);
    // Only task 2 ran again, and it extracted only the missing unit; the other marks are untouched.
    const arrayAgain = again[0]!.id;
    expect(readdirSync(logs).filter((name) => name.startsWith(`extract-shards-${arrayAgain}_`))).toEqual([
      `extract-shards-${arrayAgain}_2.log`,
    ]);
    expect(readFileSync(join(logs, `extract-shards-${arrayAgain}_2.log`), 'utf8')).toMatch(
      new RegExp(`Shard 2/4: 1 units\\n {2}${locked!.id}: extracted\\n`),
    );
    for (const [name, mtime] of before) expect(statSync(join(marks, name)).mtimeMs).toBe(mtime);
    // Every task of the later arrays ran its shard.
    for (const [name, job] of [
      ['probe-shards', again[2]!],
      ['meta-train-shards', again[3]!],
      ['run-shards', again[4]!],
    ] as const) {
      for (const task of [0, 1, 2, 3]) {
        expect(readFileSync(join(logs, `${name}-${job.id}_${task}.log`), 'utf8')).toContain(
          `Shard ${task}/4: its units are in the stage folders`,
        );
      }
    }
    expect(second.out()).toContain(
      `Done: job ${again[5]!.id} finished; its output: ${join(logs, `run-${again[5]!.id}.log`)}`,
    );
    expect(differences(join(dir, 'single'), join(dir, 'sharded'), runDir)).toEqual([]);

    // Extraction done and gathered: the chain starts at the probes; the report is the same again.
    const third = io();
    expect(await run(submit, third)).toBe(EXIT.ok);
    expect(submitted(third.out()).map((job) => job.what)).toEqual([
      'probe --shard i/4, tasks 0-3',
      'meta train --shard i/4, tasks 0-3',
      'run --shard i/4, tasks 0-3',
      'run',
    ]);
    expect(differences(join(dir, 'single'), join(dir, 'sharded'), runDir)).toEqual([]);
  }, 600_000);
});

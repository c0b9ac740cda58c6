import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { UD_DIR } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';
import { fileTree } from '@xling/core/testing';
import { differences, writeThreeLanguageConfig } from '../test-sharding.js';

const env = { XLING_UD_DIR: UD_DIR };
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('stage commands with --shard i/N', () => {
  it("4 plain 'xling extract --shard' processes, 2 'xling probe --shard', 2 'xling align --shard', then 'xling align', give the store and report.json of one 'xling align'", async () => {
    const { dir, config } = writeThreeLanguageConfig();
    temps.push(dir);
    const io = () => bufferIo({ cwd: dir, env });
    const units: string[] = [];
    for (let i = 0; i < 4; i++) {
      const shard = io();
      expect(await run(['extract', config, '--out', 'sharded', '--shard', `${i}/4`], shard)).toBe(EXIT.ok);
      expect(shard.err()).toContain(`, shard ${i}/4\n`);
      units.push(...[...shard.out().matchAll(/^ {2}(\S+): extracted$/gm)].map((m) => m[1]!));
      expect(shard.out()).toMatch(/Unit stores: sharded\/store-units\n/);
    }
    // Each of the 6 units (3 languages x dev and test) in exactly one shard.
    expect(units).toHaveLength(6);
    expect(new Set(units).size).toBe(6);
    const again = io();
    expect(await run(['extract', config, '--out', 'sharded', '--shard', '3/4'], again)).toBe(EXIT.ok);
    expect(again.out()).toMatch(/Shard 3\/4: 1 units\n {2}\S+: complete\n/);

    // Probes too: 2 shards after the unsharded extract that gathers the store.
    expect(await run(['extract', config, '--out', 'sharded'], io())).toBe(EXIT.ok);
    for (let i = 0; i < 2; i++) {
      const probe = io();
      expect(await run(['probe', config, '--out', 'sharded', '--shard', `${i}/2`], probe)).toBe(EXIT.ok);
      expect(probe.out()).toMatch(
        new RegExp(`Shard ${i}/2: its units are in the stage folders under sharded/stages\\n`),
      );
    }
    for (let i = 0; i < 2; i++) {
      const align = io();
      expect(await run(['align', config, '--out', 'sharded', '--shard', `${i}/2`], align)).toBe(EXIT.ok);
      expect(align.out()).toMatch(/the same command without --shard assembles the stage/);
      expect(align.out()).not.toMatch(/Report:/);
    }

    const single = io();
    expect(await run(['align', config, '--out', 'single'], single)).toBe(EXIT.ok);
    const merged = io();
    expect(await run(['align', config, '--out', 'sharded'], merged)).toBe(EXIT.ok);
    const runDir = /Run folder: single\/(\S+)/.exec(single.out())![1]!;
    expect(merged.out()).toContain(`Run folder: sharded/${runDir}\n`);
    expect(differences(join(dir, 'single'), join(dir, 'sharded'), runDir)).toEqual([]);
  }, 600_000);

  it("'xling run --workers 2' runs the extraction, then every later stage, as 2 worker processes and writes the stage folders and report.json of one process", async () => {
    const { dir, config } = writeThreeLanguageConfig();
    temps.push(dir);
    const io = () => bufferIo({ cwd: dir, env });
    const single = io();
    expect(await run(['run', config, '--out', 'single', '--workers', '1'], single)).toBe(EXIT.ok);
    const parallel = io();
    expect(await run(['run', config, '--out', 'parallel', '--workers', '2'], parallel)).toBe(EXIT.ok);
    // The extraction units, probes and learners are units of the run shards, claimed first come.
    expect(parallel.err()).toContain('xling: run: 2 worker processes (--shard i/2)\n');
    for (const stage of ['extract', 'probe', 'meta train'])
      expect(parallel.err()).not.toContain(`xling: ${stage}:`);
    const local = join(dir, 'parallel', 'runs', readdirSync(join(dir, 'parallel', 'runs'))[0]!, 'local');
    expect(readdirSync(local)).toEqual(['logs']); // the claims are removed after the shards
    expect(readdirSync(join(dir, 'parallel', 'runs'))).toHaveLength(1);
    const runDir = /Run folder: single\/(\S+)/.exec(single.out())![1]!;
    expect(parallel.out()).toContain(`Run folder: parallel/${runDir}\n`);
    expect(differences(join(dir, 'single'), join(dir, 'parallel'), runDir)).toEqual([]);
    const a = fileTree(join(dir, 'single', 'stages'));
    const b = fileTree(join(dir, 'parallel', 'stages'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.keys()].filter((path) => !b.get(path)?.equals(a.get(path)!))).toEqual([]);
  }, 600_000);

  it("'--workers' with '--shard' or '--executor slurm' is a usage error", async () => {
    const { dir, config } = writeThreeLanguageConfig();
    temps.push(dir);
    for (const extra of [
      ['--shard', '0/2'],
      ['--executor', 'slurm'],
    ]) {
      const io = bufferIo({ cwd: dir, env });
      expect(await run(['run', config, '--workers', '2', ...extra], io)).toBe(EXIT.usage);
      expect(io.err()).toMatch(/--workers runs the shards itself/);
    }
  });

  it("'--claims' without '--shard' is a usage error", async () => {
    const { dir, config } = writeThreeLanguageConfig();
    temps.push(dir);
    const io = bufferIo({ cwd: dir, env });
    expect(await run(['run', config, '--claims', 'claims'], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/--claims goes with --shard/);
  });

  it.each(['4/4', '-1/4', '1/0', 'a/b', '2'])("'--shard %s' is a usage error (exit 2)", async (value) => {
    const { dir, config } = writeThreeLanguageConfig();
    temps.push(dir);
    const io = bufferIo({ cwd: dir, env });
    expect(await run(['extract', config, `--shard=${value}`], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/--shard must be i\/N with 0 <= i < N/);
  });

  it("'--shard' with '--executor slurm' and Slurm options without it are usage errors", async () => {
    const { dir, config } = writeThreeLanguageConfig();
    temps.push(dir);
    const both = bufferIo({ cwd: dir, env });
    expect(await run(['extract', config, '--shard', '0/2', '--executor', 'slurm'], both)).toBe(EXIT.usage);
    expect(both.err()).toMatch(/--shard and --executor slurm exclude each other/);
    const lone = bufferIo({ cwd: dir, env });
    expect(await run(['run', config, '--no-wait'], lone)).toBe(EXIT.usage);
    expect(lone.err()).toMatch(/--no-wait needs --executor slurm/);
  });
});

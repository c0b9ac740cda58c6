import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RepresentationStore } from './representation-store.js';

const WRITER = join(import.meta.dirname, '__fixtures__', 'store-writer.ts');
const keyOf = (model: string) => ({ model, layer: 1, pooling: 'first', treebank: 'T', split: 'dev' });

interface Writer {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the writer printed `line`; rejects if it exits first. */
  printed: (line: string) => Promise<void>;
  exited: Promise<number | null>;
}

/** Starts the store-writer fixture, a separate process, on `dir` for key model `model`. */
function startWriter(dir: string, model: string, lockTimeoutMs = 0): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, model, String(lockTimeoutMs)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    out += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const printed = (line: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (out.includes(`${line}\n`)) resolve();
      };
      child.stdout!.on('data', check);
      check();
      exited.then(() => reject(new Error(`writer exited before '${line}': ${out}`)));
    });
  return { child, output: () => out, printed, exited };
}

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function storeDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xling-store-lock-'));
  dirs.push(dir);
  return dir;
}

/** What a write in flight looks like: `writeFileAtomic`'s temporary file of process `pid`. */
async function inFlightTemp(dir: string, pid: number): Promise<string> {
  const folder = join(dir, 'm', 'L1-first', 'T', 'dev');
  await mkdir(folder, { recursive: true });
  const path = join(folder, `.shard-00001.safetensors.${pid}.0123abcd.tmp`);
  await writeFile(path, 'half a shard');
  return path;
}

describe('RepresentationStore with two writer processes', () => {
  it('the second writer fails with XLING_STORE_LOCKED and leaves the first one’s files alone', async () => {
    const dir = await storeDir();
    const first = startWriter(dir, 'm');
    await first.printed('begun');
    const temp = await inFlightTemp(dir, first.child.pid!);

    const second = startWriter(dir, 'm');
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(
      new RegExp(
        `^opened\nerror XLING_STORE_LOCKED Lock file '.*writer\\.lock' is held by pid ${first.child.pid} on host '.+' since .+\\. Another process is writing the representation store`,
      ),
    );
    expect(existsSync(temp)).toBe(true);

    first.child.stdin!.write('go\n');
    expect(await first.exited).toBe(0);
    const store = await RepresentationStore.open(dir);
    expect(Array.from((await store.read(keyOf('m'))).words.data as Float32Array)).toEqual([1, 1, 2, 2, 2, 2]);
    expect(existsSync(join(dir, 'writer.lock'))).toBe(false);
  });

  it('with lockTimeoutMs the second writer waits, then keeps what the first one wrote', async () => {
    const dir = await storeDir();
    const first = startWriter(dir, 'a');
    await first.printed('begun');
    // The second one reads the manifest now, while 'a' is partial; it must reload it once it
    // holds the lock, or its manifest would undo the completion of 'a'.
    const second = startWriter(dir, 'b', 120_000);
    await second.printed('opened');
    first.child.stdin!.write('go\n');
    expect(await first.exited).toBe(0);
    second.child.stdin!.write('go\n');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('done');

    const store = await RepresentationStore.open(dir);
    for (const model of ['a', 'b']) {
      expect(store.entry(keyOf(model))).toMatchObject({ status: 'complete' });
      expect((await store.read(keyOf(model))).words.shape).toEqual([3, 2]);
    }
  });

  it('a writer killed with SIGKILL leaves a stale lock that the next writer takes over, sweeping its files', async () => {
    const dir = await storeDir();
    const first = startWriter(dir, 'm');
    await first.printed('begun');
    const temp = await inFlightTemp(dir, first.child.pid!);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(JSON.parse(await readFile(join(dir, 'writer.lock'), 'utf8')).pid).toBe(first.child.pid);

    const store = await RepresentationStore.open(dir);
    const entry = await store.begin(keyOf('m'), 'fp');
    expect(entry.shards).toHaveLength(1);
    expect(existsSync(temp)).toBe(false);
    expect(JSON.parse(await readFile(join(dir, 'writer.lock'), 'utf8')).pid).toBe(process.pid);
    await store.complete(keyOf('m'));
    expect(existsSync(join(dir, 'writer.lock'))).toBe(false);
  });
});

// Test-only harness (not exported): runs the built CLI in a child process on a hostile input and
// reports how it ended, its peak memory, and every file it created, changed or deleted outside
// the folders it was allowed to write.
import { spawn } from 'node:child_process';
import { lstat, readdir } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(here, '../../dist/bin.js');
const PRELOAD = resolve(here, 'report-peak-memory.cjs');

export interface HostileRun {
  /** Exit status, or null when the process was killed (timeout). */
  status: number | null;
  timedOut: boolean;
  stdout: string;
  /** stderr without the peak-memory line. */
  stderr: string;
  peakRssMiB: number;
  /** Paths (relative to the sandbox) created, changed or deleted outside `writable`. */
  outside: string[];
}

export interface HostileOptions {
  /** Folder whose every change is checked; the command runs in it. */
  sandbox: string;
  /** Paths under `sandbox` (relative) that the command may change. */
  writable?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** `fallback` for a path removed meanwhile (ENOENT); any other error is thrown. */
async function unlessVanished<T, F>(work: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await work;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
}

async function snapshot(root: string): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    for (const name of await unlessVanished(readdir(dir), [] as string[])) {
      const path = join(dir, name);
      // Another command of the same test (two writers on one store) may remove a file between
      // the listing and the look: a file that vanished is simply not in the snapshot.
      const stat = await unlessVanished(lstat(path), undefined);
      if (stat === undefined) continue;
      seen.set(relative(root, path), `${stat.mode}:${stat.size}:${stat.mtimeMs}`);
      if (stat.isDirectory()) await walk(path);
    }
  }
  await walk(root);
  return seen;
}

function changed(before: Map<string, string>, after: Map<string, string>, writable: string[]): string[] {
  const inside = (path: string) => writable.some((w) => path === w || path.startsWith(`${w}${sep}`));
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p) && !inside(p)).sort();
}

/** Runs `xling ...args` with a 256 MiB V8 heap and a wall-clock timeout. */
export async function runHostile(args: string[], options: HostileOptions): Promise<HostileRun> {
  const { sandbox, env = {}, timeoutMs = 20_000 } = options;
  // HOME is the sandbox's `.home`: onnxruntime keeps a device id under ~/.cache, which is the
  // library's own business, not an output of xling's.
  const writable = [...(options.writable ?? []), '.home'];
  const before = await snapshot(sandbox);
  const child = spawn(process.execPath, ['--max-old-space-size=256', '--require', PRELOAD, BIN, ...args], {
    cwd: sandbox,
    env: { PATH: process.env.PATH ?? '', HOME: join(sandbox, '.home'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  clearTimeout(timer);
  const peak = /\nxling-test-peak-rss-kib=(\d+)\n/.exec(stderr);
  return {
    status,
    timedOut,
    stdout,
    stderr: stderr.replace(/\nxling-test-peak-rss-kib=\d+\n/, ''),
    peakRssMiB: peak ? Number(peak[1]) / 1024 : Number.NaN,
    outside: changed(before, await snapshot(sandbox), writable),
  };
}

/** The code closing the CLI's error message (`xling: error: ... [XLING_X]`), if any. */
export function errorCode(run: HostileRun): string | undefined {
  return /^xling: error: [\s\S]*\[(XLING_[A-Z_]+)\]\s*$/m.exec(run.stderr)?.[1];
}

/** Peak memory a failing CLI run may use: node + onnxruntime start at about 100 MiB. */
export const PEAK_RSS_LIMIT_MIB = 512;

/**
 * What every hostile case must end in: exit 1 with one coded xling error line (never exit 70, a
 * stack trace or a hang), bounded memory, and nothing touched outside the writable folders.
 */
export function hostileVerdict(run: HostileRun): Record<string, unknown> {
  return {
    status: run.status,
    timedOut: run.timedOut,
    internal: /internal error|\n\s+at /.test(run.stderr),
    coded: errorCode(run) !== undefined,
    memoryBounded: run.peakRssMiB < PEAK_RSS_LIMIT_MIB,
    outside: run.outside,
  };
}

/** The verdict of a case that ended as it must. */
export const CLEAN_FAILURE = {
  status: 1,
  timedOut: false,
  internal: false,
  coded: true,
  memoryBounded: true,
  outside: [],
} as const;

// The benchmarks' side of scripts/bench/pinned_threads.py: run a Python reference pinned to a
// thread count, take its proof (threadpoolctl's pools, torch's threads) off its output, and put
// that proof in one line to print next to the reference's timings.
import { type SpawnSyncOptionsWithStringEncoding, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const python = process.env.XLING_PYTHON ?? '/usr/bin/python3';
const runner = join(dirname(fileURLToPath(import.meta.url)), 'pinned_threads.py');

export interface PinnedReport {
  claimed: number;
  python: string;
  /** Versions of numpy, scipy, sklearn, torch, for those the reference loaded. */
  versions: Record<string, string>;
  pools: { api: string; version: string | null; architecture: string | null; threads: number }[];
  /** torch.get_num_threads(), or null without torch. */
  torchThreads: number | null;
  /** The MALLOC_* environment variables the reference ran with (glibc's malloc tuning). */
  malloc: Record<string, string>;
}

export interface PinnedRun {
  /** The reference's stdout without the report line. */
  stdout: string;
  pinned: PinnedReport;
}

type Options = Omit<SpawnSyncOptionsWithStringEncoding, 'encoding'>;

/**
 * glibc malloc settings every reference runs with (a caller's own MALLOC_* variables win). By
 * default glibc shrinks the heap whenever its top is free (brk), so a training loop that frees
 * and reallocates megabyte tensors every step page-faults them in again each time: the probe
 * replica made ~5 brk calls per step and ran 8.2 ms/step instead of 1.65 ms at d = 768. A high
 * trim threshold keeps freed memory in the process, as jemalloc / tcmalloc or a tuned PyTorch
 * deployment would; the mmap threshold must be fixed with it (setting either turns glibc's
 * dynamic threshold off), at glibc's largest accepted value, 32 MiB. The comparison is with the
 * reference at its best; pinned_threads.py reports the settings it ran with.
 */
export const REFERENCE_MALLOC = {
  MALLOC_MMAP_THRESHOLD_: String(32 << 20),
  MALLOC_TRIM_THRESHOLD_: String(1 << 30),
};

/**
 * Runs `python args` — a script that calls pin(threads) and print_report() itself — and splits
 * the report off its output. Throws when Python fails (a pool over the claim is such a failure),
 * prints no report, or pinned another count than `threads`.
 */
export function runPinnedPython(threads: number, args: string[], options: Options = {}): PinnedRun {
  const env = { ...REFERENCE_MALLOC, ...(options.env ?? process.env) };
  const out = spawnSync(python, args, { maxBuffer: 1 << 28, ...options, env, encoding: 'utf8' });
  if (out.status !== 0) {
    throw new Error(
      `${python} ${args[0]} failed (${out.error ?? `exit ${out.status}`}): ${out.stderr ?? ''}`,
    );
  }
  const lines = out.stdout.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  const pinned = last.startsWith('{"pinnedThreads"')
    ? (JSON.parse(last) as { pinnedThreads: PinnedReport }).pinnedThreads
    : undefined;
  if (pinned?.claimed !== threads) {
    throw new Error(`${args[0]} printed no pinned_threads report for ${threads} thread(s)`);
  }
  return { stdout: lines.join('\n'), pinned };
}

/** Runs a script (`[script, ...args]`) or a snippet (`['-c', code, ...args]`) that does not pin itself. */
export function runUnderPin(threads: number, args: string[], options: Options = {}): PinnedRun {
  return runPinnedPython(threads, [runner, String(threads), ...args], options);
}

/** One line, e.g. `reference: Python 3.11.2, numpy 1.24.2 / openblas 0.3.21 (Cooperlake), 1 thread (threadpoolctl: openblas 1), malloc: MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824`. */
export function describeReference(report: PinnedReport): string {
  const modules = [
    `Python ${report.python}`,
    ...Object.entries(report.versions).map(([name, v]) => `${name} ${v}`),
  ];
  const libraries = report.pools.map((p) =>
    [p.api, p.version, p.architecture && `(${p.architecture})`].filter(Boolean).join(' '),
  );
  const seen = report.pools.map((p) => `${p.api} ${p.threads}`);
  if (report.torchThreads !== null) seen.push(`torch.get_num_threads ${report.torchThreads}`);
  const { claimed } = report;
  return (
    `reference: ${modules.join(', ')}${libraries.length > 0 ? ` / ${libraries.join(', ')}` : ''}, ` +
    `${claimed} thread${claimed > 1 ? 's' : ''} (threadpoolctl: ${seen.join(', ') || 'no BLAS or OpenMP pool loaded'}), ` +
    `malloc: ${
      Object.entries(report.malloc ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'glibc defaults'
    }`
  );
}

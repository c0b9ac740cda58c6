import { createHash } from 'node:crypto';
import type { ExperimentConfig } from './experiment-config.js';

function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** 12 hex digits of SHA-256 over the key-sorted JSON of `value`: the same for equal settings. */
export function shortHash(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(stable(value)))
    .digest('hex')
    .slice(0, 12);
}

/**
 * Hash of the settings that change an experiment's numbers ({@link shortHash} of the config).
 * `outDir`, `udDir`, `threads`, `workers`, `slurm` and `title` are left out: moving the data or the
 * output, or using more threads, processes or Slurm resources, must not invalidate a finished run. `device` is left out too, a choice: CUDA's
 * kernels round differently from the CPU's (and may multiply in TF32 on Ampere and later GPUs;
 * onnxruntime-node 1.30 passes no CUDA option but the device id), so hidden states differ in
 * their low bits; but the store is keyed by model, layer and pooling and serves either device's
 * representations to the other, and every stage key follows it, so a hash that split the runs by
 * device would claim a separation the cached data does not have. It names the run folder (the
 * report); each cached stage has its own, narrower key (run-layout.ts).
 */
export function configHash(config: ExperimentConfig): string {
  const {
    outDir: _o,
    udDir: _u,
    threads: _t,
    workers: _w,
    slurm: _s,
    device: _d,
    title: _title,
    ...rest
  } = config;
  return shortHash(rest);
}

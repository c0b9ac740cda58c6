import { join, relative, resolve } from 'node:path';
import { XlingError } from '@xling/core';
import {
  type ExperimentConfig,
  type RunExperimentOptions,
  type Shard,
  configHash,
  runExperiment,
  runIcl,
} from '@xling/eval';
import type { CliIo } from '../cli-io.js';
import { formatExperimentSummary } from '../output/format-experiment-summary.js';
import { formatDuration } from '../output/format.js';
import { createProgressBar } from '../output/progress-bar.js';

/** A stage to stop after, as `runExperiment` names it, or `icl`: the ICL stage alone (`runIcl`). */
export type ExperimentUntil = NonNullable<RunExperimentOptions['until']> | 'icl';

const NEXT: Record<ExperimentUntil, string> = {
  extract: "representations are in the store; next: 'xling probe <config>'",
  probes: "probes are cached; next: 'xling align <config>'",
  alignability: "next: 'xling meta train <config>', or 'xling run <config>' for everything",
  meta: "meta-learners are trained and cached; next: 'xling eval <config>' (scores and the full report)",
  icl: "'xling run <config>' adds the encoder stages and writes the full report, reusing the ICL stage",
  all: '',
};

/** Shows a path relative to the working folder when it is inside it. */
function show(io: CliIo, path: string): string {
  const rel = relative(io.cwd, path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

/**
 * Runs an experiment up to `until` with progress bars on stderr, then prints on stdout where the
 * run and its report are and the summary tables. Errors propagate (the CLI prints them as one
 * `xling: error:` line and exits 1); an interrupted run resumes from its cache.
 */
export async function executeExperiment(
  config: ExperimentConfig,
  until: ExperimentUntil,
  io: CliIo,
  { shard }: { shard?: Shard } = {},
): Promise<number> {
  const started = Date.now();
  const share = shard ? `, shard ${shard.index}/${shard.count}` : '';
  io.stderr.write(
    until === 'icl'
      ? `xling: experiment ${configHash(config)}, in-context learning with the decoder ${show(io, config.icl?.model ?? '(none)')}\n`
      : `xling: experiment ${configHash(config)} (model ${show(io, config.model)}, layers ${config.layers.join(', ')}), until '${until}'${share}\n`,
  );
  const bar = createProgressBar(io.stderr);
  let run: Awaited<ReturnType<typeof runExperiment>>;
  try {
    const options = { onProgress: bar.onProgress, ...(io.signal ? { signal: io.signal } : {}) };
    run =
      until === 'icl'
        ? await runIcl(config, { ...options, ...(shard ? { shard } : {}) })
        : await runExperiment(config, { until, ...options, ...(shard ? { shard } : {}) });
  } catch (error) {
    if (XlingError.isInstance(error) && error.code === 'XLING_ABORTED') {
      io.stderr.write('xling: interrupted; finished stages are cached: rerun the same command to resume.\n');
    }
    throw error;
  } finally {
    bar.finish();
  }
  const lines = [`Run folder: ${show(io, run.runDir)}`];
  if (shard && run.units) {
    // Extraction shards write per-unit stores; the next unsharded stage moves them into the store.
    lines.push(`Shard ${shard.index}/${shard.count}: ${run.units.length} units`);
    for (const unit of run.units) lines.push(`  ${unit.id}: ${unit.status}`);
    lines.push(`Unit stores: ${show(io, join(resolve(config.outDir), 'store-units'))}`);
  } else if (shard) {
    const stages = join(resolve(config.outDir), 'stages');
    lines.push(
      `Shard ${shard.index}/${shard.count}: its units are in the stage folders under ${show(io, stages)}`,
    );
  } else if (until === 'extract') lines.push(`Store: ${show(io, join(resolve(config.outDir), 'store'))}`);
  if (run.report) {
    lines.push(
      'Report:',
      `  ${show(io, run.report.html)}`,
      `  ${show(io, run.report.markdown)}`,
      `  ${show(io, run.report.json)}`,
    );
  }
  if (shard && until === 'extract')
    lines.push(
      "Shard done: when every shard is, any later stage (or 'xling extract <config>') gathers them.",
    );
  else if (shard)
    lines.push(
      'Shard done: when every shard is, the same command without --shard assembles the stage (and writes the report).',
    );
  else if (NEXT[until] !== '') lines.push(`Stage '${until}' done: ${NEXT[until]}.`);
  const warnings = run.result?.warnings ?? [];
  if (warnings.length > 0) {
    io.stderr.write(
      `${warnings.length} warning${warnings.length === 1 ? '' : 's'} (also in the report):\n${warnings.map((w) => `  ${w}`).join('\n')}\n`,
    );
  }
  if (run.result) {
    const summary = formatExperimentSummary(run.result);
    if (summary !== '') lines.push('', summary);
  }
  lines.push('', `Done in ${formatDuration((Date.now() - started) / 1000)}.`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

import { OrthogonalProcrustes } from '@xling/align';
import { deprel, selectRows, upos } from '@xling/core';
import { gapStatistics } from '../metrics/gap-statistics.js';
import type {
  AlignabilityMatrix,
  GapSummary,
  LayerSweepSeries,
  PrototypeProjection,
  ZeroShotScore,
} from '../report/experiment-result.js';
import { offDiagonalMean } from '../report/format.js';
import { projectPrototypes } from '../report/project-prototypes.js';
import type { ExperimentConfig } from './experiment-config.js';
import type { ProbeTable } from './probe-stage.js';

/** Mean alignability over language pairs, per task, metric and layer. */
export function layerSweep(alignability: AlignabilityMatrix[], config: ExperimentConfig): LayerSweepSeries[] {
  const out: LayerSweepSeries[] = [];
  for (const task of config.tasks) {
    for (const metric of new Set(alignability.map((a) => a.metric))) {
      const rows = alignability.filter((a) => a.task === task && a.metric === metric);
      out.push({
        task,
        quantity: `mean ${metric}`,
        higherIsBetter: rows[0]?.higherIsBetter ?? true,
        points: rows.map((a) => ({ layer: a.layer, value: offDiagonalMean(a.values) ?? Number.NaN })),
      });
    }
  }
  return out;
}

/** Spread and low- vs high-resource gap of every method scored on all targets, against the source probe. */
export function gapSummaries(
  zeroShot: ZeroShotScore[],
  config: ExperimentConfig,
  groups: { low: string[]; high: string[]; all: string[] },
): GapSummary[] {
  const gaps: GapSummary[] = [];
  for (const task of config.tasks) {
    const byMethod: Record<string, Record<string, number>> = {};
    for (const s of zeroShot.filter((z) => z.task === task)) {
      byMethod[s.method] = { ...byMethod[s.method], [s.language]: s.accuracy };
    }
    // Only methods scored on every target enter the grouped comparison.
    const complete = Object.fromEntries(
      Object.entries(byMethod).filter(([, v]) => groups.all.every((l) => v[l] !== undefined)),
    );
    const grouped = groups.low.length > 0 && groups.high.length > 0;
    const stats = gapStatistics(complete, {
      ...(grouped ? { groups: { low: groups.low, high: groups.high } } : {}),
      ...(complete['source-probe'] ? { baseline: 'source-probe' } : {}),
      resamples: config.bootstrap.resamples,
      alpha: config.bootstrap.alpha,
      seed: config.seed,
    });
    for (const g of stats) gaps.push({ task, layer: config.layers[0], metric: 'accuracy', ...g });
  }
  return gaps;
}

/** Every language's probe prototypes mapped onto the source's by Procrustes, projected to 2-D. */
export function prototypeProjections(
  probes: ProbeTable,
  source: string,
  config: ExperimentConfig,
): PrototypeProjection[] {
  const layer = config.layers[0];
  return config.tasks.map((task) => {
    const id = `${task}/${layer}`;
    const inventory = task === 'upos' ? upos : deprel;
    const sourceProbe = probes[id][source];
    const sourceRow = new Map(Array.from(sourceProbe.prototypeLabels, (l, i) => [l, i]));
    const sets = Object.entries(probes[id]).flatMap(([language, probe]) => {
      const rows: number[] = [];
      const sourceRows: number[] = [];
      probe.prototypeLabels.forEach((l, i) => {
        if (sourceRow.has(l)) {
          rows.push(i);
          sourceRows.push(sourceRow.get(l)!);
        }
      });
      if (rows.length < 3) return [];
      const mapped = new OrthogonalProcrustes({ scale: true, center: true })
        .fit(selectRows(probe.prototypes, rows), selectRows(sourceProbe.prototypes, sourceRows))
        .transform(probe.prototypes);
      return [
        {
          language,
          labels: Array.from(probe.prototypeLabels, (l) => inventory.label(l)),
          prototypes: mapped,
        },
      ];
    });
    return { ...projectPrototypes(sets), task, layer, space: 'procrustes-mapped onto the source' };
  });
}

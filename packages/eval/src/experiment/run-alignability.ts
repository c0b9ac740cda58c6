import { type ConceptSpace, compareConceptSpaces, measures } from '@xling/align';
import { createRng, deprel, upos } from '@xling/core';
import { type InstanceSet, type LinearProbe, classMeans } from '@xling/meta';
import type { AlignabilityMatrix } from '../report/experiment-result.js';

/** A language's concept space from its probe: prototype rows by label name, with instance counts. */
export function probeConceptSpace(probe: LinearProbe, task: 'upos' | 'deprel'): ConceptSpace {
  const inventory = task === 'upos' ? upos : deprel;
  const p = probe.prototypes;
  const labels = probe.prototypeLabels;
  const counts = probe.labelCounts;
  const prototypes: Record<string, Float64Array> = {};
  const labelCounts: Record<string, number> = {};
  labels.forEach((id, r) => {
    const name = inventory.label(id);
    prototypes[name] = p.data.slice(r * p.cols, (r + 1) * p.cols);
    labelCounts[name] = counts[id];
  });
  return { prototypes, counts: labelCounts };
}

/**
 * A language's concept space from the class means of its raw vectors (the label's mean vector in
 * the model's space): no training, so nothing language-specific is learnt into the geometry.
 */
export function classMeanConceptSpace(set: InstanceSet, task: 'upos' | 'deprel'): ConceptSpace {
  const inventory = task === 'upos' ? upos : deprel;
  const { means, labels, counts } = classMeans(set.x, set.labels, set.numLabels);
  const d = set.x.cols;
  const prototypes: Record<string, Float64Array> = {};
  const labelCounts: Record<string, number> = {};
  labels.forEach((id, r) => {
    const name = inventory.label(id);
    prototypes[name] = means.slice(r * d, (r + 1) * d);
    labelCounts[name] = counts[id];
  });
  return { prototypes, counts: labelCounts };
}

function labelsWith(space: ConceptSpace, minCount: number): Set<string> {
  const counts = space.counts as Record<string, number>;
  return new Set(Object.keys(space.prototypes).filter((l) => counts[l] >= minCount));
}

/**
 * Drops the languages that share fewer than `minShared` well-attested labels with some other
 * language (each round the one with the most such pairs), so one sparse treebank cannot void the
 * matrix.
 */
export function comparableSpaces(
  spaces: Record<string, ConceptSpace>,
  minCount: number,
  minShared: number,
): Record<string, ConceptSpace> {
  const kept = new Map(Object.entries(spaces).map(([l, s]) => [l, labelsWith(s, minCount)]));
  for (;;) {
    let worst: string | undefined;
    let worstCount = 0;
    for (const [a, la] of kept) {
      let bad = 0;
      for (const [b, lb] of kept) if (a !== b && [...la].filter((x) => lb.has(x)).length < minShared) bad++;
      if (la.size < minShared) bad = kept.size;
      if (bad > worstCount) {
        worst = a;
        worstCount = bad;
      }
    }
    if (worst === undefined) break;
    kept.delete(worst);
  }
  return Object.fromEntries([...kept.keys()].map((l) => [l, spaces[l]]));
}

/** Options of {@link runAlignability}. */
export interface RunAlignabilityOptions {
  task: 'upos' | 'deprel';
  layer: number;
  /** Measure ids of the registry (`measures` of @xling/align). */
  metrics: string[];
  /** Options per measure id. */
  measureOptions?: Record<string, Record<string, unknown>>;
  /** Permutations per pair and metric for p-values; 0 skips them. */
  permutations: number;
  /** Labels with fewer instances in either language are left out of a pair. */
  minCount: number;
  seed: number;
  /** The same prototypes from randomly permuted labels (the random-label control), by language. */
  controlSpaces?: Record<string, ConceptSpace>;
  /** Receives a message for each language left out for sharing too few labels with another. */
  onWarning?: (message: string) => void;
}

/**
 * All-pairs alignability of the languages' prototype spaces (METHOD.md section 4): each pair is
 * restricted to the labels both have (at least `minCount` instances each), in inventory order;
 * each configured measure of the registry (direction and report name from its entry); permutation
 * p-values (rows of one side permuted, +1 correction) and the same metrics on random-label
 * prototypes as a floor. The spaces are class means or probe prototypes (`run.prototypes`). No
 * matrices when fewer than two languages are comparable.
 */
export function runAlignability(
  all: Record<string, ConceptSpace>,
  options: RunAlignabilityOptions,
): AlignabilityMatrix[] {
  const { task, layer, metrics, measureOptions, permutations, minCount, seed, controlSpaces, onWarning } =
    options;
  const order = [...(task === 'upos' ? upos : deprel).labels];
  const minShared = Math.max(...metrics.map((id) => measures.get(id, 'alignability.metrics').minShared));
  const spaces = comparableSpaces(all, minCount, minShared);
  for (const language of Object.keys(all)) {
    if (!spaces[language]) {
      onWarning?.(
        `${language}: left out of the ${task} alignability at layer ${layer} (fewer than ${minShared} labels with ${minCount}+ instances shared with some language)`,
      );
    }
  }
  // Fewer than two comparable languages: no pair to measure (the warnings above say who is out).
  if (Object.keys(spaces).length < 2) return [];
  const common = {
    metrics,
    minCount,
    labelOrder: order,
    minShared,
    ...(measureOptions ? { measureOptions } : {}),
  };
  const comparison = compareConceptSpaces(spaces, {
    ...common,
    permutations,
    seed: createRng(seed).fork(`alignability/${task}/${layer}`).nextUint32(),
  });
  const control = controlSpaces
    ? compareConceptSpaces(
        Object.fromEntries(Object.entries(controlSpaces).filter(([l]) => spaces[l] !== undefined)),
        common,
      )
    : undefined;
  const { languages } = comparison;
  return metrics.map((metric) => {
    const { label: name, higherIsMoreAlignable: higherIsBetter } = measures.get(metric);
    const values = comparison.metrics[metric].map((row, i) =>
      row.map((v, j) => (comparison.shared[i][j] >= minShared && Number.isFinite(v) ? v : null)),
    );
    const out: AlignabilityMatrix = { task, layer, metric: name, higherIsBetter, languages, values };
    const pValues = comparison.pValues?.[metric];
    if (pValues) {
      out.pValues = pValues.map((row, i) => row.map((v, j) => (values[i][j] === null ? null : v)));
      out.permutations = permutations;
    }
    if (control) {
      const index = new Map(control.languages.map((l, i) => [l, i]));
      out.control = languages.map((a) =>
        languages.map((b) => {
          const i = index.get(a);
          const j = index.get(b);
          if (i === undefined || j === undefined || control.shared[i][j] < minShared) return null;
          const v = control.metrics[metric][i][j];
          return Number.isFinite(v) ? v : null;
        }),
      );
    }
    return out;
  });
}

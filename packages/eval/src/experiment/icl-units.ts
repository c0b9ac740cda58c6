import type { IclConfig } from './experiment-config.js';
import type { IclLanguage, IclLanguages } from './icl-languages.js';

type From = IclConfig['demonstrations'][number];

/** The ICL states' splits: the fitting split of the source, meta and pooled target languages. */
export function iclFitLanguages(data: IclLanguages): IclLanguage[] {
  return [...new Set([data.source, ...data.meta, ...data.targets.filter((t) => t.pool)])];
}

/** A prompting run's unit: `accuracy/<task>/<language>/<from>/run-<r>` (also its folder). */
export const iclRunId = (task: string, language: string, from: From, run: number) =>
  `accuracy/${task}/${language}/${from}/run-${run}`;

/** A states split's unit: `states/<task>/<language>.<split>` (also its files' base name). */
export const iclStatesId = (task: string, language: string, split: 'fit' | 'test') =>
  `states/${task}/${language}.${split}`;

/**
 * Every unit of the ICL stage, for sharding (`--shard i/N`): each prompting run (task, target,
 * demonstration source, run; 'none' has one run, a source without a pool none) and each states
 * split. The concepts and the relation read them all: the unsharded run that follows computes them.
 */
export function iclUnitIds(icl: IclConfig, data: IclLanguages): string[] {
  const ids: string[] = [];
  for (const task of icl.tasks) {
    for (const target of data.targets) {
      const language = target.language.language;
      for (const from of icl.demonstrations) {
        const pooled = from === 'source' ? data.source.pool : from === 'target' ? target.pool : undefined;
        if (from !== 'none' && !pooled) continue;
        const runs = from === 'none' ? 1 : icl.runs;
        for (let r = 0; r < runs; r++) ids.push(iclRunId(task, language, from, r));
      }
      ids.push(iclStatesId(task, language, 'test'));
    }
    for (const who of iclFitLanguages(data)) ids.push(iclStatesId(task, who.language.language, 'fit'));
  }
  return ids;
}

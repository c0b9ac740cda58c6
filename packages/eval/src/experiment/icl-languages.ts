import type { Sentence } from '@xling/ud';
import { type ConfigProblem, ConfigError } from './config-error.js';
import type { ExperimentConfig, IclConfig } from './experiment-config.js';
import type { ExperimentLanguage } from './experiment-languages.js';
import { readSplit } from './read-split.js';

/** A language of the ICL stage with the sentences it reads. */
export interface IclLanguage {
  language: ExperimentLanguage;
  /** The fitting split (at most `maxFitSentences`): the demonstration pool; absent for test-only treebanks. */
  pool?: Sentence[];
  /** Test sentences (at most `icl.maxSentences`); targets only. */
  test?: Sentence[];
}

/** The ICL stage's languages in their roles. */
export interface IclLanguages {
  source: IclLanguage;
  /** Languages the map over the ICL states is meta-trained on (the source may be one). */
  meta: IclLanguage[];
  /** Target and low-resource languages with a test split. */
  targets: IclLanguage[];
}

/** How many of the run's meta-training languages the ICL map is meta-trained over by default (the paper's 5). */
export const ICL_META_LANGUAGES = 5;

/**
 * The run's languages in their ICL roles: the source, the ICL meta-training languages
 * (`icl.metaLanguages`, or the first five of the run's meta-training languages) and the targets.
 *
 * @throws XLING_CONFIG naming `icl.metaLanguages[i]` for a language that is not in the run with a
 * fitting split.
 */
export function iclRoles(
  config: ExperimentConfig,
  languages: readonly ExperimentLanguage[],
): { source: ExperimentLanguage; meta: ExperimentLanguage[]; targets: ExperimentLanguage[] } {
  const icl = config.icl as IclConfig;
  const source = languages.find((l) => l.roles.includes('source'))!;
  const withFit = languages.filter((l) => l.treebank.fitSplit !== null);
  const problems: ConfigProblem[] = [];
  const meta = icl.metaLanguages
    ? icl.metaLanguages.flatMap((code, i) => {
        const found = withFit.find((l) => l.language === code);
        if (!found)
          problems.push({
            key: `icl.metaLanguages[${i}]`,
            message: `'${code}' is not a language of the run with a fitting split (${withFit.map((l) => l.language).join(', ')})`,
          });
        return found ? [found] : [];
      })
    : withFit.filter((l) => l.roles.includes('meta')).slice(0, ICL_META_LANGUAGES);
  if (problems.length > 0) throw new ConfigError('<config>', problems);
  const targets = languages.filter(
    (l) => l.treebank.testSplit !== null && l.roles.some((r) => r === 'target' || r === 'low-resource'),
  );
  return { source, meta, targets };
}

/** Reads the sentences of every ICL language: fitting splits as pools, the targets' test samples. */
export async function readIclLanguages(
  config: ExperimentConfig,
  roles: ReturnType<typeof iclRoles>,
  signal?: AbortSignal,
): Promise<IclLanguages> {
  const icl = config.icl as IclConfig;
  const read = new Map<ExperimentLanguage, IclLanguage>();
  const load = async (language: ExperimentLanguage, test: boolean): Promise<IclLanguage> => {
    const known = read.get(language) ?? { language };
    const tb = language.treebank;
    if (tb.fitSplit && !known.pool)
      known.pool = (
        await readSplit(tb, tb.fitSplit, { cap: config.maxFitSentences, seed: config.seed, signal })
      ).sentences;
    if (test && !known.test)
      known.test = (
        await readSplit(tb, 'test', { cap: icl.maxSentences, seed: config.seed, signal })
      ).sentences;
    read.set(language, known);
    return known;
  };
  const source = await load(roles.source, false);
  const meta = [];
  for (const l of roles.meta) meta.push(await load(l, false));
  const targets = [];
  for (const l of roles.targets) targets.push(await load(l, true));
  return { source, meta, targets };
}

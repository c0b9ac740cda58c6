import type { InstanceSet, SyntheticLanguage } from '@xling/meta';
import type { ResolvedTreebank } from '@xling/ud';
import type { ExperimentRole } from './experiment-languages.js';
import type { StudyData, StudyLanguage } from './study-data.js';

/**
 * A {@link StudyData} over synthetic languages (`createSyntheticLanguages` of @xling/meta), for
 * the known-answer tests: each language plays the given roles, fits on train, selects on dev and
 * tests on test; the same instances serve every layer.
 */
export function syntheticStudyData(
  languages: Array<{ data: SyntheticLanguage; roles: ExperimentRole[] }>,
): StudyData {
  const sets = new Map<string, InstanceSet>();
  const study: StudyLanguage[] = languages.map(({ data, roles }) => {
    const name = `synthetic-${data.language}`;
    const split = (s: 'train' | 'dev' | 'test') => {
      sets.set(`${data.language}/${s}`, data[s]);
      return { treebank: name, split: s, stored: (data[s].sentenceOffsets?.length ?? 1) - 1 };
    };
    const treebank: ResolvedTreebank = {
      name,
      language: data.language,
      group: undefined,
      dir: '<synthetic>',
      layout: 'manifest',
      splits: {},
      missing: [],
      fitSplit: 'train',
      testSplit: 'test',
      substitutions: [],
    };
    return {
      language: { language: data.language, treebank, roles },
      fit: split('train'),
      dev: split('dev'),
      test: split('test'),
    };
  });
  return {
    languages: study,
    instances: (split, language) =>
      split ? Promise.resolve(sets.get(`${language}/${split.split}`)!) : undefined,
    model: { name: 'synthetic' },
    pooling: 'first',
    substitutions: [],
    warnings: [],
  };
}

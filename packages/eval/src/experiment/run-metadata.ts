import type { Substitution } from '@xling/ud';
import type { ExperimentResult, SplitSubstitution, TreebankInfo } from '../report/experiment-result.js';
import type { ExperimentConfig } from './experiment-config.js';
import type { ExperimentLanguage } from './experiment-languages.js';
import type { StudyData, StudyLanguage, StudySplit } from './study-data.js';

/** The report's `run` section: the config, the data actually used and what was substituted. */
export function runMetadata(
  config: ExperimentConfig,
  data: StudyData,
  hash: string,
  groups: { low: string[]; high: string[] },
  notes: string[],
): ExperimentResult['run'] {
  const languages = data.languages;
  const meta = languages.filter((s) => s.fit && s.language.roles.includes('meta')).length;
  const validation = languages.filter((s) => s.fit && s.language.roles.includes('validation'));
  const p = config.probe;
  const schedule =
    p.schedule === 'converge'
      ? `until the fitting loss improves by less than ${p.tolerance} for ${p.patience} epochs (at most ${p.epochs}), Adam lr ${p.learningRate}, batches of ${p.batchSize} sentences, ${p.init} initialisation, ${p.classPrior} class priors`
      : `the reference's fixed schedule: ${p.epochs} epochs, cosine decay from lr ${p.learningRate}, batches of ${p.batchSize} sentences, ${p.init} initialisation, ${p.classPrior} class priors`;
  return {
    title: config.title,
    configHash: hash,
    createdAt: new Date().toISOString(),
    model: data.model,
    layer: config.layers[0],
    pooling: data.pooling,
    sourceLanguage: config.sourceLanguage,
    seeds: [config.seed, ...config.fewShot.seeds],
    ud: {
      version: udVersions(languages.map((s) => s.language)),
      treebanks: treebankInfo(languages, groups.low),
    },
    splitSubstitutions: splitSubstitutions(data.substitutions, languages),
    resourceGroups: groups,
    prototypes: config.alignability.prototypes,
    notes: [
      `Sentences per language: at most ${config.maxFitSentences} for fitting and ${config.maxTestSentences} for testing (a seeded sample above that), after METHOD.md's pre-processing.`,
      `Representations: ${data.model.name}, layer(s) ${config.layers.join(', ')}, ${data.pooling}-subword pooling.`,
      `Probes: trained ${schedule}; the kept epoch is the one with the best dev accuracy (${
        config.probe.init === 'class-means'
          ? 'the initialisation, nearest class mean, competing as epoch 0'
          : 'the initialisation never kept'
      }; the last epoch without dev).`,
      `Alignability compares ${config.alignability.prototypes === 'class-means' ? "class means (each label's mean vector in the model's space)" : "each language's probe prototypes (W^T mu)"}; the random-label control recomputes them with the fitting labels shuffled.`,
      `Meta-learning: at most ${config.meta.epochs} epochs (stopped once validation accuracy rose by less than ${config.meta.tolerance} in ${config.meta.patience} epochs) x ${config.meta.episodesPerLanguage} episodes per language, ${meta} meta-training languages, model selection on ${validation.map((s) => s.language.language).join(' ') || 'none'} (targets excluded; each validates on its dev split, or on 20% of its fitting sentences held out from meta-training when dev is its fitting split).`,
      ...notes,
    ],
  };
}

function udVersions(languages: ExperimentLanguage[]): string {
  const versions = new Set<string>();
  for (const l of languages) {
    for (const split of Object.values(l.treebank.splits))
      for (const f of split?.files ?? []) if (f.udVersion) versions.add(f.udVersion);
  }
  return versions.size === 0 ? 'unknown' : [...versions].sort().join(', ');
}

function treebankInfo(splits: StudyLanguage[], lowResource: string[]): TreebankInfo[] {
  return splits.map((s) => ({
    language: s.language.language,
    treebank: s.language.treebank.name,
    resource: lowResource.includes(s.language.language) ? 'low' : 'high',
    splits: Object.fromEntries(
      [s.fit, s.dev, s.test].filter((x): x is StudySplit => x !== undefined).map((x) => [x.split, x.stored]),
    ),
  }));
}

function splitSubstitutions(substitutions: Substitution[], splits: StudyLanguage[]): SplitSubstitution[] {
  const out: SplitSubstitution[] = [];
  for (const s of splits) {
    if (s.fit?.split === 'dev') {
      out.push({
        language: s.language.language,
        treebank: s.language.treebank.name,
        used: 'dev',
        insteadOf: 'train',
        reason: 'no train split in the UD directory: dev is used for fitting, test for testing',
      });
    }
  }
  for (const sub of substitutions) {
    if (sub.kind === 'older-release' && sub.split) {
      const s = splits.find((x) => x.language.treebank.name === sub.treebank);
      out.push({
        language: s?.language.language ?? '?',
        treebank: sub.treebank,
        used: sub.split,
        insteadOf: sub.split,
        reason: sub.message,
      });
    }
  }
  return out;
}

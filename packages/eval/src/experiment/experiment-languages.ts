import {
  type ResolvedTreebank,
  type Substitution,
  type UdDirIndex,
  TREEBANKS,
  UdDataError,
  languagesByRole,
  resolveLanguage,
  resolveTreebank,
} from '@xling/ud';
import { type ConfigProblem, ConfigError } from './config-error.js';
import type { ExperimentConfig } from './experiment-config.js';

/** What a language does in an experiment. */
export type ExperimentRole = 'source' | 'meta' | 'validation' | 'target' | 'low-resource';

/** One treebank of the run and the roles its language plays. */
export interface ExperimentLanguage {
  /** Language code; for low-resource treebanks the code the registry gives the treebank. */
  language: string;
  treebank: ResolvedTreebank;
  roles: ExperimentRole[];
}

/** The languages of a run, and the ones left out with the reason (reported, never silent). */
export interface ExperimentLanguages {
  languages: ExperimentLanguage[];
  substitutions: Substitution[];
  warnings: string[];
}

/**
 * Resolves the languages of an experiment to treebank files: the configured lists, or the study's
 * roles from the @xling/ud registry (validation without the targets, so model selection never
 * sees a zero-shot target — the reference leaks tr and zh there). A registry default whose data
 * cannot serve its role (no fitting split for meta-training, no test split for a target) is left
 * out with a warning that the report shows; a language or treebank the config names explicitly
 * must serve its role.
 *
 * @throws XLING_UD_DATA_MISSING when the source language has no fitting split; XLING_CONFIG naming
 * the config key for an explicitly listed language or treebank that cannot serve its role.
 */
export async function resolveExperimentLanguages(
  config: ExperimentConfig,
  index: UdDirIndex,
): Promise<ExperimentLanguages> {
  const out: ExperimentLanguage[] = [];
  const substitutions: Substitution[] = [];
  const warnings: string[] = [];
  const targets = config.targetLanguages ?? languagesByRole('target').map((l) => l.code);
  const targetSet = new Set(targets);
  const meta = config.metaLanguages ?? languagesByRole('meta-train').map((l) => l.code);
  const validation = (config.validationLanguages ?? languagesByRole('validation').map((l) => l.code)).filter(
    (l) => !targetSet.has(l),
  );
  const lowResource =
    config.lowResourceTreebanks ?? TREEBANKS.filter((t) => t.group === 'low-resource').map((t) => t.name);

  // Languages the config names explicitly must serve their role; the registry's defaults may not
  // all have data here, and those are left out with a warning.
  const explicitKey: Partial<Record<ExperimentRole, string>> = {
    ...(config.metaLanguages ? { meta: 'metaLanguages' } : {}),
    ...(config.validationLanguages ? { validation: 'validationLanguages' } : {}),
    ...(config.targetLanguages ? { target: 'targetLanguages' } : {}),
    ...(config.lowResourceTreebanks ? { 'low-resource': 'lowResourceTreebanks' } : {}),
  };
  const problems: ConfigProblem[] = [];
  const leaveOut = (name: string, dropped: readonly ExperimentRole[], reason: string) => {
    for (const role of dropped) {
      const key = explicitKey[role];
      if (key) problems.push({ key, message: `'${name}' ${reason}` });
    }
    if (dropped.some((r) => !explicitKey[r])) warnings.push(`${name}: ${reason}`);
  };
  const roles = new Map<string, ExperimentRole[]>();
  const add = (code: string, role: ExperimentRole) => roles.set(code, [...(roles.get(code) ?? []), role]);
  add(config.sourceLanguage, 'source');
  for (const l of meta) add(l, 'meta');
  for (const l of validation) add(l, 'validation');
  for (const l of targets) add(l, 'target');

  for (const [code, languageRoles] of roles) {
    let treebank: ResolvedTreebank;
    try {
      treebank = (await resolveLanguage(code, { index })).treebank;
    } catch (error) {
      if (languageRoles.includes('source')) throw error;
      if (!UdDataError.isInstance(error)) throw error;
      leaveOut(code, languageRoles, `is left out: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    let kept = languageRoles;
    if (treebank.fitSplit === null) {
      if (languageRoles.includes('source')) {
        throw new UdDataError(
          `The source language '${code}' (${treebank.name}) has no train or dev split to fit prototypes on.`,
          {
            dir: treebank.dir,
            treebank: treebank.name,
            missing: ['train', 'dev'],
          },
        );
      }
      const dropped = kept.filter((r) => r === 'meta' || r === 'validation');
      kept = kept.filter((r) => r !== 'meta' && r !== 'validation');
      if (dropped.length > 0) {
        leaveOut(
          code,
          dropped,
          `(${treebank.name}) has no train or dev split, so it cannot be used for ${dropped.join(' or ')}`,
        );
      }
    }
    if (treebank.testSplit === null && kept.includes('target')) {
      kept = kept.filter((r) => r !== 'target');
      leaveOut(code, ['target'], `(${treebank.name}) has no test split, so it cannot be a zero-shot target`);
    }
    if (kept.length === 0) continue;
    out.push({ language: code, treebank, roles: kept });
    substitutions.push(...treebank.substitutions);
  }
  for (const name of lowResource) {
    let treebank: ResolvedTreebank;
    try {
      treebank = await resolveTreebank(name, { index, require: ['test'] });
    } catch (error) {
      if (!UdDataError.isInstance(error)) throw error;
      leaveOut(name, ['low-resource'], `is left out: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    if (out.some((l) => l.language === treebank.language)) {
      leaveOut(
        name,
        ['low-resource'],
        `is left out: its language '${treebank.language}' is already in the run`,
      );
      continue;
    }
    out.push({ language: treebank.language, treebank, roles: ['low-resource'] });
    substitutions.push(...treebank.substitutions);
  }
  if (problems.length > 0) throw new ConfigError('<config>', problems);
  return { languages: out, substitutions, warnings };
}

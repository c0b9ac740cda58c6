import { checkOptions } from '@xling/core';
import { type LanguageRole, STUDY_LANGUAGES, type StudyLanguage } from './study-languages.js';

/** Options of {@link languagesByRole}. */
export interface LanguagesByRoleOptions {
  /**
   * For `validation` only: keep the zero-shot targets that the reference also used for model
   * selection (tr, zh). That overlap leaks target data into model selection, so it is off by
   * default; turn it on only to reproduce the reference exactly.
   * @defaultValue false
   */
  includeTargetOverlap?: boolean;
}

const ROLES: readonly LanguageRole[] = ['meta-train', 'target', 'validation', 'low-resource'];

/**
 * The study languages that have `role`, in registry order.
 *
 * @example
 * languagesByRole('target').map((l) => l.code); // ['af', 'cy', 'el', ...] (17)
 * languagesByRole('validation').length; // 20: the reference's 22 minus the targets tr and zh
 * @throws XLING_INVALID_ARGUMENT for an unknown role or option.
 */
export function languagesByRole(role: LanguageRole, options: LanguagesByRoleOptions = {}): StudyLanguage[] {
  checkOptions(options, { includeTargetOverlap: { type: 'boolean' } }, 'languagesByRole');
  checkOptions({ role }, { role: { type: 'enum', values: ROLES } }, 'languagesByRole');
  const { includeTargetOverlap = false } = options;
  return STUDY_LANGUAGES.filter(
    (language) =>
      language.roles.includes(role) &&
      (role !== 'validation' || includeTargetOverlap || !language.roles.includes('target')),
  );
}

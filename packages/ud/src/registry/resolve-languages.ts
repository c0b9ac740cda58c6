import { checkOptions, InvalidArgumentError, XlingError } from '@xling/core';
import { languagesByRole } from './languages-by-role.js';
import { resolveLanguage, type ResolvedLanguage, type ResolveLanguageOptions } from './resolve-language.js';
import { resolveUdDir } from './resolve-ud-dir.js';
import { scanUdDir } from './scan-ud-dir.js';
import type { LanguageRole } from './study-languages.js';
import { UdDataError } from './ud-data-error.js';

/** Options of {@link resolveLanguages}. */
export interface ResolveLanguagesOptions extends ResolveLanguageOptions {
  /**
   * `throw`: one `XLING_UD_DATA_MISSING` error listing every language that cannot be resolved;
   * `skip`: leave them out and list them in `skipped`.
   * @defaultValue 'throw'
   */
  onMissing?: 'throw' | 'skip';
  /** With a role of `validation`: keep the targets tr and zh (see {@link languagesByRole}). @defaultValue false */
  includeTargetOverlap?: boolean;
}

/** Result of {@link resolveLanguages}. */
export interface ResolvedLanguages {
  languages: ResolvedLanguage[];
  /** Languages left out with `onMissing: 'skip'`, with the reason. */
  skipped: Array<{ code: string; error: UdDataError }>;
}

const ROLES: readonly string[] = ['meta-train', 'target', 'validation', 'low-resource'];

/**
 * Resolves several study languages, given as codes or as a role (`'meta-train'`, `'target'`,
 * `'validation'` — without the targets tr and zh unless `includeTargetOverlap` —,
 * `'low-resource'`). The UD directory is scanned once.
 *
 * @example
 * const { languages } = await resolveLanguages('target', { require: ['test'] });
 * languages.filter((l) => l.treebank.fitSplit === 'dev').map((l) => l.code); // languages fitted on dev
 * @throws XLING_UD_DATA_MISSING (with `onMissing: 'throw'`) listing every unresolvable language.
 */
export async function resolveLanguages(
  languages: readonly string[] | LanguageRole,
  options: ResolveLanguagesOptions = {},
): Promise<ResolvedLanguages> {
  const {
    onMissing = 'throw',
    includeTargetOverlap = false,
    index: givenIndex,
    require,
    ...scalar
  } = options;
  checkOptions(
    { onMissing, includeTargetOverlap },
    {
      onMissing: { type: 'enum', values: ['throw', 'skip'] },
      includeTargetOverlap: { type: 'boolean' },
    },
    'resolveLanguages',
  );
  let codes: string[];
  if (typeof languages === 'string') {
    if (!ROLES.includes(languages)) {
      throw new InvalidArgumentError(
        'languages',
        'resolveLanguages',
        `must be an array of language codes or one of ${ROLES.map((r) => `'${r}'`).join(', ')}, but got '${languages}'.`,
      );
    }
    codes = languagesByRole(languages, { includeTargetOverlap }).map((l) => l.code);
  } else if (Array.isArray(languages)) {
    codes = [...languages];
  } else {
    throw new InvalidArgumentError(
      'languages',
      'resolveLanguages',
      `must be an array or a role, but got ${String(languages)}.`,
    );
  }
  const index = givenIndex ?? (await scanUdDir(resolveUdDir(scalar.dir)));
  const resolved: ResolvedLanguage[] = [];
  const skipped: ResolvedLanguages['skipped'] = [];
  for (const code of codes) {
    try {
      resolved.push(await resolveLanguage(code, { ...scalar, index, ...(require ? { require } : {}) }));
    } catch (error) {
      if (XlingError.isInstance(error) && error instanceof UdDataError) skipped.push({ code, error });
      else throw error;
    }
  }
  if (onMissing === 'throw' && skipped.length > 0) {
    throw new UdDataError(
      `${skipped.length} of ${codes.length} languages cannot be resolved in ${index.dir}:\n${skipped
        .map((s) => `  ${s.code}: ${s.error.message}`)
        .join('\n')}`,
      { dir: index.dir, missing: skipped.flatMap((s) => s.error.missing) },
    );
  }
  return { languages: resolved, skipped };
}

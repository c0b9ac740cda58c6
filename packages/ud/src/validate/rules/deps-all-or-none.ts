import type { RuleDefinition } from '../rule.js';

/**
 * Enhanced graphs are all or nothing within a file: either every sentence has one (DEPS filled or
 * empty nodes present) or none has. Reported at the first sentence that breaks the pattern.
 */
export const depsAllOrNoneRule: RuleDefinition = {
  id: 'deps-all-or-none',
  severity: 'error',
  level: 2,
  validatorOnly: true,
  summary: 'Either every sentence of a file has enhanced dependencies (DEPS) or none has.',
  check(sentence, context) {
    const hasGraph = sentence.emptyNodes.length > 0 || sentence.words.some((w) => w.deps !== '_');
    if (hasGraph && context.firstWithGraph === 0) {
      context.firstWithGraph = sentence.line;
      if (context.firstWithoutGraph !== 0)
        context.report(
          depsAllOrNoneRule,
          sentence.line,
          1,
          `This sentence has enhanced dependencies, but the one at line ${context.firstWithoutGraph} has none.`,
        );
    } else if (!hasGraph && context.firstWithoutGraph === 0) {
      context.firstWithoutGraph = sentence.line;
      if (context.firstWithGraph !== 0)
        context.report(
          depsAllOrNoneRule,
          sentence.line,
          1,
          `This sentence has no enhanced dependencies, but the one at line ${context.firstWithGraph} has.`,
        );
    }
  },
};

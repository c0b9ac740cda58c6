import type { RuleDefinition } from '../rule.js';

/**
 * A multiword token range `a-b` needs a < b, b <= the number of words, no overlap with the
 * previous range, and its line right before word `a`.
 */
export const multiwordRangeRule: RuleDefinition = {
  id: 'multiword-range',
  severity: 'error',
  level: 1,
  summary: 'A range a-b needs a < b <= n, must not overlap another range, and must come right before word a.',
  check(sentence, context) {
    const words = sentence.words;
    const n = words.length;
    let previousEnd = 0;
    for (const token of sentence.tokens) {
      const id = `${token.start}-${token.end}`;
      let problem: string | undefined;
      if (token.start >= token.end) problem = `range ${id} must have start < end`;
      else if (token.end > n) problem = `range ${id} ends after the last word (${n})`;
      else if (token.start <= previousEnd)
        problem = `range ${id} overlaps the previous range ending at ${previousEnd}`;
      else if (
        token.line > words[token.start - 1].line ||
        (token.start > 1 && token.line < words[token.start - 2].line)
      ) {
        problem = `range ${id} must come right before word ${token.start}`;
      }
      if (problem !== undefined) {
        context.report(multiwordRangeRule, token.line, 1, `Bad multiword token: ${problem}.`, id);
      }
      if (token.end > previousEnd) previousEnd = token.end;
    }
  },
};

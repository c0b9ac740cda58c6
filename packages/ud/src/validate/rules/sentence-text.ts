import type { Sentence } from '../../conllu/types.js';
import type { RuleContext, RuleDefinition } from '../rule.js';
import { hasSpaceAfterNo, nodeLines } from '../sentence-helpers.js';

const TEXT = /^\s*text\s*=\s*([\s\S]*\S)$/;
const SPACE = /^\s/;

/** Checks `text` against the token forms the way UD's validator does (whitespace runs are free). */
function checkForms(sentence: Sentence, text: string, context: RuleContext): void {
  let rest = text;
  let mismatch = false;
  const inRange = new Set<number>();
  const report = (line: number, message: string) => context.report(sentenceTextRule, line, 1, message);
  for (const node of nodeLines(sentence)) {
    if (node.kind === 'empty') continue;
    if (node.kind === 'range') for (let w = node.start; w <= node.end; w++) inRange.add(w);
    else if (inRange.has(node.start)) continue;
    if (!rest.startsWith(node.form)) {
      if (!mismatch)
        report(
          node.line,
          `# text does not continue with the form '${node.form}' of ${node.id}: '${rest.slice(0, node.form.length + 20)}'.`,
        );
      mismatch = true;
      continue;
    }
    rest = rest.slice(node.form.length);
    if (hasSpaceAfterNo(node.misc)) continue;
    if (rest.length > 0 && !SPACE.test(rest))
      report(
        node.line,
        `# text has no space after '${node.form}' (${node.id}): add SpaceAfter=No to its MISC.`,
      );
    rest = rest.trimStart();
  }
  // After a mismatch the rest is out of step; one report says it.
  if (rest.length > 0 && !mismatch)
    report(sentence.line, `# text ends with '${rest}', which no form accounts for.`);
}

/**
 * Each sentence has exactly one `# text = ...` comment, and it is the token forms in order, with
 * whitespace between them except after a token with `SpaceAfter=No` (UD's level-2 check, which
 * lets any whitespace run stand for one space; `text-mismatch` warns about those too).
 */
export const sentenceTextRule: RuleDefinition = {
  id: 'sentence-text',
  severity: 'error',
  level: 2,
  validatorOnly: true,
  summary: 'Each sentence needs exactly one # text comment, matching the token forms and SpaceAfter=No.',
  check(sentence, context) {
    const found: Array<{ text: string; line: number }> = [];
    sentence.comments.forEach((comment, index) => {
      const match = TEXT.exec(comment);
      if (match !== null) found.push({ text: match[1], line: sentence.line + index });
    });
    if (found.length === 0)
      context.report(sentenceTextRule, sentence.line, 1, 'The sentence has no # text comment.');
    else if (found.length > 1)
      context.report(sentenceTextRule, found[1].line, 1, 'The sentence has more than one # text comment.');
    else checkForms(sentence, found[0].text, context);
  },
};

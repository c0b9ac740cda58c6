import type { Sentence } from '../../conllu/types.js';
import type { RuleDefinition } from '../rule.js';
import { hasSpaceAfterNo } from '../sentence-helpers.js';

// validate.py's patterns: the mark alone or followed by one word. `# newdoc id = x` is not
// matched there, so it is not checked here either (no error UD's validator would not report).
const NEWDOC = /^\s*newdoc(?:\s+\S+)?$/;
const NEWPAR = /^\s*newpar(?:\s+\S+)?$/;

/** True when the last token of the sentence (a multiword token if one ends the sentence) has SpaceAfter=No. */
function endsWithoutSpace(sentence: Sentence): boolean {
  const { words, tokens } = sentence;
  const last = tokens.find((t) => t.end === words.length) ?? words.at(-1);
  return last !== undefined && hasSpaceAfterNo(last.misc);
}

/**
 * A sentence has at most one `# newdoc` and one `# newpar` comment, and neither may follow a
 * sentence whose last token has `SpaceAfter=No` (a document or paragraph cannot start inside a
 * word).
 */
export const newdocNewparRule: RuleDefinition = {
  id: 'newdoc-newpar',
  severity: 'error',
  level: 2,
  validatorOnly: true,
  summary:
    'At most one # newdoc and one # newpar per sentence, never after a sentence ending in SpaceAfter=No.',
  check(sentence, context) {
    let docs = 0;
    let pars = 0;
    sentence.comments.forEach((comment, index) => {
      const line = sentence.line + index;
      const isDoc = NEWDOC.test(comment);
      const isPar = NEWPAR.test(comment);
      if (!isDoc && !isPar) return;
      if (isDoc ? docs++ > 0 : pars++ > 0)
        context.report(
          newdocNewparRule,
          line,
          1,
          `The sentence has more than one # ${isDoc ? 'newdoc' : 'newpar'} comment.`,
        );
      else if (context.spaceAfterNo)
        context.report(
          newdocNewparRule,
          line,
          1,
          `A new ${isDoc ? 'document' : 'paragraph'} starts, but the last token of the previous sentence has SpaceAfter=No.`,
        );
    });
    context.spaceAfterNo = endsWithoutSpace(sentence);
  },
};

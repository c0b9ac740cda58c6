import type { RuleDefinition } from '../rule.js';

const SENT_ID = /^\s*sent_id\s*=\s*(\S+)$/;

/**
 * Each sentence has exactly one `# sent_id = <id>` comment, the id without whitespace and with at
 * most one `/` (reserved for parallel treebanks). Uniqueness is `duplicate-sent-id`.
 */
export const sentIdFormatRule: RuleDefinition = {
  id: 'sent-id-format',
  severity: 'error',
  level: 2,
  validatorOnly: true,
  summary:
    'Each sentence needs exactly one # sent_id = <id> comment, the id without spaces and with at most one /.',
  check(sentence, context) {
    const found: Array<{ id: string; line: number }> = [];
    sentence.comments.forEach((comment, index) => {
      const line = sentence.line + index;
      const match = SENT_ID.exec(comment);
      if (match !== null) found.push({ id: match[1], line });
      else if (/^ ?sent_id/.test(comment))
        context.report(
          sentIdFormatRule,
          line,
          1,
          `Malformed sent_id comment '#${comment}': expected '# sent_id = <id>'.`,
        );
    });
    if (found.length === 0) {
      context.report(sentIdFormatRule, sentence.line, 1, 'The sentence has no # sent_id comment.');
    } else if (found.length > 1) {
      context.report(sentIdFormatRule, found[1].line, 1, 'The sentence has more than one # sent_id comment.');
    } else if (found[0].id.split('/').length > 2) {
      context.report(
        sentIdFormatRule,
        found[0].line,
        1,
        `sent_id '${found[0].id}' has more than one '/' (reserved for parallel treebanks).`,
        found[0].id,
      );
    }
  },
};

import type { RuleDefinition } from '../rule.js';

/** `# sent_id` values must be unique within a file. */
export const duplicateSentIdRule: RuleDefinition = {
  id: 'duplicate-sent-id',
  severity: 'error',
  level: 2,
  summary: 'Each # sent_id must be unique within the file.',
  check(sentence, context) {
    // Every `# sent_id` line counts: a sentence with two (itself a sent-id-format error) must not
    // hide a duplicate in either.
    sentence.comments.forEach((comment, index) => {
      const id = /^\s*sent_id\s*=\s*(.*?)\s*$/.exec(comment)?.[1];
      if (id === undefined) return;
      const line = sentence.line + index;
      const first = context.sentIds.get(id);
      if (first === undefined) context.sentIds.set(id, line);
      else
        context.report(
          duplicateSentIdRule,
          line,
          1,
          `Duplicate sent_id '${id}' (first at line ${first}).`,
          id,
        );
    });
  },
};

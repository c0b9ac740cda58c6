import type { RuleDefinition } from '../rule.js';

/** `# sent_id` values must be unique within a file. */
export const duplicateSentIdRule: RuleDefinition = {
  id: 'duplicate-sent-id',
  severity: 'error',
  level: 2,
  summary: 'Each # sent_id must be unique within the file.',
  check(sentence, context) {
    const id = sentence.metadata.sent_id;
    if (id === undefined) return;
    let index = 0;
    while (index < sentence.comments.length && !/^\s*sent_id\s*=/.test(sentence.comments[index])) index++;
    const line = sentence.line + index;
    const first = context.sentIds.get(id);
    if (first === undefined) {
      context.sentIds.set(id, line);
      return;
    }
    context.report(duplicateSentIdRule, line, 1, `Duplicate sent_id '${id}' (first at line ${first}).`, id);
  },
};

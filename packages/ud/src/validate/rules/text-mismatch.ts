import type { Sentence } from '../../conllu/types.js';
import type { RuleDefinition } from '../rule.js';

function spaceAfter(misc: string): boolean {
  if (misc === '_') return true;
  return !misc.split('|').includes('SpaceAfter=No');
}

/** The sentence text rebuilt from token forms and `SpaceAfter=No`, as UD defines `# text`. */
export function surfaceText(sentence: Sentence): string {
  let text = '';
  let t = 0;
  const { words, tokens } = sentence;
  for (let i = 0; i < words.length; i++) {
    const token = tokens[t];
    if (token !== undefined && token.start === words[i].id) {
      text += token.form;
      if (spaceAfter(token.misc)) text += ' ';
      i += token.end - token.start;
      t++;
    } else {
      text += words[i].form;
      if (spaceAfter(words[i].misc)) text += ' ';
    }
  }
  return text.trimEnd();
}

/** Warning: `# text` differs from the forms joined with the spaces `SpaceAfter=No` leaves. */
export const textMismatchRule: RuleDefinition = {
  id: 'text-mismatch',
  severity: 'warning',
  summary: '# text should equal the token forms joined by spaces except where MISC has SpaceAfter=No.',
  check(sentence, context) {
    const text = sentence.metadata.text;
    if (text === undefined) return;
    const rebuilt = surfaceText(sentence);
    if (rebuilt === text) return;
    let index = 0;
    while (index < sentence.comments.length && !/^\s*text\s*=/.test(sentence.comments[index])) index++;
    let column = 0;
    while (column < text.length && text[column] === rebuilt[column]) column++;
    context.report(
      textMismatchRule,
      sentence.line + index,
      1,
      `# text differs from the forms at character ${column + 1}.`,
      text,
      rebuilt,
    );
  },
};

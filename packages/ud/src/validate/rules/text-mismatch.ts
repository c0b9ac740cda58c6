import type { Sentence } from '../../conllu/types.js';
import type { RuleDefinition } from '../rule.js';

/**
 * What follows a token: nothing with `SpaceAfter=No`, else one space. UDPipe's `SpacesAfter`
 * is not used: the shared treebanks write line breaks there
 * that `# text` shows as spaces, and honouring it would flag more sentences, not fewer.
 */
function spacing(misc: string): string {
  if (misc === '_') return ' ';
  return misc.split('|').includes('SpaceAfter=No') ? '' : ' ';
}

/** The sentence text rebuilt from token forms and `SpaceAfter=No`. */
export function surfaceText(sentence: Sentence): string {
  let text = '';
  let t = 0;
  const { words, tokens } = sentence;
  for (let i = 0; i < words.length; i++) {
    const token = tokens[t];
    if (token !== undefined && token.start === words[i].id) {
      text += token.form + spacing(token.misc);
      i += token.end - token.start;
      t++;
    } else {
      text += words[i].form + spacing(words[i].misc);
    }
  }
  return text.trimEnd();
}

/** Warning: `# text` differs from the forms joined with the spaces `SpaceAfter=No` leaves. */
export const textMismatchRule: RuleDefinition = {
  id: 'text-mismatch',
  severity: 'warning',
  level: 2,
  summary: '# text should equal the token forms joined by spaces, except where MISC has SpaceAfter=No.',
  check(sentence, context) {
    const text = sentence.metadata.text;
    if (text === undefined) return;
    const rebuilt = surfaceText(sentence);
    if (rebuilt === text) return;
    let index = 0;
    while (index < sentence.comments.length && !/^\s*text\s*=/.test(sentence.comments[index])) index++;
    let differs = 0;
    while (differs < text.length && text[differs] === rebuilt[differs]) differs++;
    // Point at the first differing character inside the `# text = ...` line.
    const comment = sentence.comments[index] ?? '';
    const offset = comment.lastIndexOf(text);
    const column = offset === -1 ? 1 : 2 + offset + differs;
    context.report(
      textMismatchRule,
      sentence.line + index,
      column,
      `# text differs from the forms at character ${differs + 1}.`,
      text,
      rebuilt,
    );
  },
};

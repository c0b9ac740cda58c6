import type { RuleContext, RuleDefinition } from '../rule.js';

const PARALLEL_ID =
  /^\s*parallel_id\s*=\s*(([a-z]+)\/([-0-9a-z]+)(?:\/(alt[1-9][0-9]*|part[1-9][0-9]*|alt[1-9][0-9]*part[1-9][0-9]*))?)$/;
const SUFFIX = /^(?:alt(\d+))?(?:part(\d+))?$/;

/** Why suffix `kind` (alt or part) breaks the sequence of earlier instances of the same sentence. */
function sequenceProblem(
  kind: string,
  previous: number | null | undefined,
  value: number | null,
): string | undefined {
  if (previous === undefined) return value !== null && value !== 1 ? `should start at ${kind}1` : undefined;
  if ((previous === null) !== (value === null))
    return `some instances have a '${kind}' suffix and others not`;
  if (previous !== null && value !== null && value !== previous + 1)
    return `${kind}${value} should be ${kind}${previous + 1}`;
  return undefined;
}

function checkSuffixes(
  id: string,
  corpusSentence: string,
  suffix: string | undefined,
  line: number,
  context: RuleContext,
): void {
  const parts = SUFFIX.exec(suffix ?? '');
  const alt = parts?.[1] === undefined ? null : Number(parts[1]);
  const part = parts?.[2] === undefined ? null : Number(parts[2]);
  const last = context.parallelSuffixes.get(corpusSentence);
  for (const [kind, previous, value] of [
    ['alt', last?.alt, alt],
    ['part', last?.part, part],
  ] as const) {
    const problem = sequenceProblem(kind, previous, value);
    if (problem !== undefined)
      context.report(parallelIdRule, line, 1, `parallel_id '${id}': ${problem}.`, id);
  }
  context.parallelSuffixes.set(corpusSentence, { alt, part });
}

/**
 * An optional `# parallel_id = corpus/sentence[/altN|partN|altNpartN]` (lowercase corpus, sentence
 * of `[-0-9a-z]`) at most once per sentence, unique in the file; the alt and part numbers of one
 * parallel sentence count 1, 2, ... across its instances.
 */
export const parallelIdRule: RuleDefinition = {
  id: 'parallel-id',
  severity: 'error',
  level: 2,
  validatorOnly: true,
  summary:
    'A # parallel_id must read corpus/sentence[/altN|partN], once per sentence, unique, alt and part numbered 1, 2, ...',
  check(sentence, context) {
    const found: Array<{ match: RegExpExecArray; line: number }> = [];
    sentence.comments.forEach((comment, index) => {
      const line = sentence.line + index;
      const match = PARALLEL_ID.exec(comment);
      if (match !== null) found.push({ match, line });
      else if (/^ ?parallel_id/.test(comment))
        context.report(
          parallelIdRule,
          line,
          1,
          `Malformed parallel_id comment '#${comment}': expected '# parallel_id = corpus/sentence', corpus of a-z, sentence of -0-9a-z, optionally /altN, /partN or /altNpartN.`,
        );
    });
    if (found.length > 1) {
      context.report(
        parallelIdRule,
        found[1].line,
        1,
        'The sentence has more than one # parallel_id comment.',
      );
      return;
    }
    if (found.length === 0) return;
    const { match, line } = found[0];
    const id = match[1];
    if (context.parallelIds.has(id)) {
      context.report(parallelIdRule, line, 1, `Duplicate parallel_id '${id}'.`, id);
      return;
    }
    context.parallelIds.add(id);
    checkSuffixes(id, `${match[2]}/${match[3]}`, match[4], line, context);
  },
};

import type { RuleDefinition } from '../rule.js';
import { fieldColumn } from '../field-column.js';

const FEATURE = /^([A-Z0-9][A-Za-z0-9]*(?:\[[a-z0-9]+\])?)=[A-Z0-9][A-Za-z0-9]*(?:,[A-Z0-9][A-Za-z0-9]*)*$/;
// Valid values seen so far: a treebank has a few thousand distinct FEATS strings, repeated on
// most words, so checking is one set lookup per word after the first sighting.
const seen = new Set<string>();

/** Why a FEATS value is malformed, or `undefined` when it is `_` or sorted `Name=Value` pairs. */
export function featsProblem(feats: string): string | undefined {
  // An empty column is reported by empty-column.
  if (feats === '_' || feats === '' || seen.has(feats)) return undefined;
  let previous = '';
  for (const item of feats.split('|')) {
    const match = FEATURE.exec(item);
    if (match === null) return `'${item}' is not Name=Value`;
    const name = match[1].toLowerCase();
    if (name === previous) return `feature '${match[1]}' appears twice`;
    if (name < previous) return `feature '${match[1]}' is out of alphabetical order`;
    previous = name;
  }
  if (seen.size < 100_000) seen.add(feats);
  return undefined;
}

/**
 * FEATS must be `_` or `Name=Value` pairs (values joined by commas) separated by `|`, sorted by
 * name ignoring case, each name once.
 */
export const featsFormatRule: RuleDefinition = {
  id: 'feats-format',
  severity: 'error',
  summary: 'FEATS must be an underscore or Name=Value pairs joined by |, sorted by name, each name once.',
  check(sentence, context) {
    for (const word of sentence.words) {
      const problem = featsProblem(word.feats);
      if (problem !== undefined) {
        context.report(
          featsFormatRule,
          word.line,
          fieldColumn(word, 5),
          `Malformed FEATS of word ${word.id}: ${problem}.`,
          word.feats,
          'Name=Value[|Name=Value...]',
        );
      }
    }
  },
};

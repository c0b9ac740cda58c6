import { columnOf, fieldColumn } from '../field-column.js';
import type { RuleDefinition } from '../rule.js';
import { emptyNodeId } from '../sentence-helpers.js';

const FEATURE = /^([A-Z][A-Za-z0-9]*(?:\[[a-z0-9]+\])?)=([A-Z0-9][A-Za-z0-9]*(?:,[A-Z0-9][A-Za-z0-9]*)*)$/;
// Valid values seen so far: a treebank has a few thousand distinct FEATS strings, repeated on
// most words, so checking is one set lookup per word after the first sighting.
const seen = new Set<string>();

function valuesProblem(name: string, values: string[]): string | undefined {
  if (new Set(values).size !== values.length) return `a value of '${name}' appears twice`;
  for (let i = 1; i < values.length; i++) {
    if (values[i].toLowerCase() < values[i - 1].toLowerCase())
      return `the values of '${name}' are not sorted`;
  }
  return undefined;
}

/**
 * Why a FEATS value is malformed, or `undefined` when it is `_` or valid: `Name=Value` items
 * (names start with A-Z, values with A-Z or 0-9, then letters and digits; a layer such as
 * `[psor]` may follow the name) sorted case-insensitively, each name once, and several values
 * of one name joined by commas, sorted, each once. These are UD's level-2 checks; the pairs
 * themselves are language-specific (level 4).
 */
export function featsProblem(feats: string): string | undefined {
  // An empty column is reported by empty-column.
  if (feats === '_' || feats === '' || seen.has(feats)) return undefined;
  let previous = '';
  let previousName = '';
  for (const item of feats.split('|')) {
    const match = FEATURE.exec(item);
    if (match === null) return `'${item}' is not Name=Value`;
    const name = match[1];
    if (name === previousName) return `feature '${name}' appears twice`;
    const lower = item.toLowerCase();
    if (lower < previous) return `feature '${name}' is out of alphabetical order`;
    const problem = match[2].includes(',') ? valuesProblem(name, match[2].split(',')) : undefined;
    if (problem !== undefined) return problem;
    previous = lower;
    previousName = name;
  }
  if (seen.size < 100_000) seen.add(feats);
  return undefined;
}

const EXPECTED = 'Name=Value[,Value][|Name=Value...]';

/**
 * FEATS of words and empty nodes must be `_` or sorted `Name=Value` pairs separated by `|`,
 * each name once, multiple values sorted and unique.
 */
export const featsFormatRule: RuleDefinition = {
  id: 'feats-format',
  severity: 'error',
  level: 2,
  summary:
    'FEATS must be an underscore or Name=Value pairs joined by |, sorted by name, each name once; several values sorted and distinct.',
  check(sentence, context) {
    for (const word of sentence.words) {
      const problem = featsProblem(word.feats);
      if (problem === undefined) continue;
      context.report(
        featsFormatRule,
        word.line,
        fieldColumn(word, 5),
        `Malformed FEATS of word ${word.id}: ${problem}.`,
        word.feats,
        EXPECTED,
      );
    }
    for (const node of sentence.emptyNodes) {
      const feats = node.columns[4];
      const problem = featsProblem(feats);
      if (problem === undefined) continue;
      const id = emptyNodeId(node);
      context.report(
        featsFormatRule,
        node.line,
        columnOf([id, ...node.columns], 5),
        `Malformed FEATS of empty node ${id}: ${problem}.`,
        feats,
        EXPECTED,
      );
    }
  },
};

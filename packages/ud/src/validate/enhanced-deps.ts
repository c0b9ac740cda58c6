import type { EmptyNode, Sentence, Word } from '../conllu/types.js';
import { columnOf, fieldColumn } from './field-column.js';

/** One enhanced dependency of a DEPS column. */
export interface EnhancedArc {
  /** The head id as written: `0`, `4` or `4.1`. */
  head: string;
  /** The head as (major, minor), minor 0 for a word, so that heads sort as UD requires. */
  major: number;
  minor: number;
  relation: string;
}

/** A word or empty node whose DEPS column is well-formed and not `_`. */
export interface EnhancedNode {
  /** Its id as (major, minor), minor 0 for a word. */
  major: number;
  minor: number;
  line: number;
  deps: string;
  arcs: readonly EnhancedArc[];
  /** The line it comes from: a word, or an empty node. */
  source: Word | EmptyNode;
}

/** The id of an enhanced node as written: `4` or `4.1`. */
export function enhancedId(node: EnhancedNode): string {
  return node.minor === 0 ? String(node.major) : `${node.major}.${node.minor}`;
}

/** The column where the DEPS of an enhanced node starts (computed only for a report). */
export function depsColumn(node: EnhancedNode): number {
  const { source } = node;
  return 'columns' in source ? columnOf([enhancedId(node), ...source.columns], 8) : fieldColumn(source, 8);
}

/** Parses `digits` at `[from, to)` as a number without leading zeros (zero allowed when `zero`), or -1. */
function number(text: string, from: number, to: number, zero: boolean): number {
  if (to <= from || to - from > 9) return -1;
  if (text.charCodeAt(from) === 48) return zero && to - from === 1 ? 0 : -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    value = value * 10 + c - 48;
  }
  return value;
}

/**
 * The arcs of a DEPS value (`[]` for `_`), or why it is malformed: UD's `head:relation` items
 * joined by `|`, each head `0`, a word id or an empty node id (`0.1` allowed), the relation
 * non-empty.
 */
export function parseDeps(deps: string): readonly EnhancedArc[] | string {
  if (deps === '_') return [];
  const cached = parsed.get(deps);
  if (cached !== undefined) return cached;
  const result = parse(deps);
  if (parsed.size < 50_000) parsed.set(deps, result);
  return result;
}

// DEPS values repeat (`2:nsubj`, `0:root`...): most words are parsed by one map lookup.
const parsed = new Map<string, readonly EnhancedArc[] | string>();

function parse(deps: string): EnhancedArc[] | string {
  const arcs: EnhancedArc[] = [];
  for (const item of deps.split('|')) {
    const colon = item.indexOf(':');
    if (colon === -1) return `item '${item}' is not head:relation`;
    const dot = item.indexOf('.');
    const hasDot = dot !== -1 && dot < colon;
    const major = number(item, 0, hasDot ? dot : colon, true);
    const minor = hasDot ? number(item, dot + 1, colon, false) : 0;
    if (major === -1 || minor === -1)
      return `head '${item.slice(0, colon)}' is not 0, a word id or an empty node id`;
    if (colon + 1 === item.length) return `item '${item}' has an empty relation`;
    arcs.push({ head: item.slice(0, colon), major, minor, relation: item.slice(colon + 1) });
  }
  return arcs;
}

// The DEPS rules run one after another on the same sentence: remember the last one's nodes.
let cachedSentence: Sentence | null = null;
let cachedNodes: EnhancedNode[] = [];

/** Words and empty nodes of `sentence` with a well-formed, non-empty DEPS (malformed ones are `deps-format`'s). */
export function enhancedNodes(sentence: Sentence): EnhancedNode[] {
  if (sentence === cachedSentence) return cachedNodes;
  const nodes: EnhancedNode[] = [];
  const add = (source: Word | EmptyNode, major: number, minor: number, deps: string) => {
    if (deps === '_') return;
    const arcs = parseDeps(deps);
    if (typeof arcs !== 'string') nodes.push({ major, minor, line: source.line, deps, arcs, source });
  };
  for (const word of sentence.words) add(word, word.id, 0, word.deps);
  for (const node of sentence.emptyNodes) add(node, node.major, node.minor, node.columns[7]);
  cachedSentence = sentence;
  cachedNodes = nodes;
  return nodes;
}

/** What {@link preprocessSentences} changed or removed, step by step (each step sees the previous one's output). */
export interface PreprocessReport {
  sentencesIn: number;
  wordsIn: number;
  sentencesOut: number;
  wordsOut: number;
  /** Step 1, `dropComments`: sentences that had comment lines, and the lines removed. */
  comments: { sentencesChanged: number; linesRemoved: number };
  /** Step 2, `dropEmptyNodes`. */
  emptyNodes: { sentencesChanged: number; nodesRemoved: number };
  /** Step 3, `mergeMultiwordTokens`: ranges merged and the syntactic words that disappeared in them. */
  multiwordTokens: { sentencesChanged: number; tokensMerged: number; wordsRemoved: number };
  /** Step 4, `stripDeprelSubtypes`. */
  deprelSubtypes: { sentencesChanged: number; wordsChanged: number };
  /** Step 5, `maxWords`: sentences longer than the limit (counted after merging) and their words. */
  maxWords: { sentencesRemoved: number; wordsRemoved: number };
  /** Step 6, `validTree`: sentences whose heads do not form a tree rooted at 0, and their words. */
  validTree: { sentencesRemoved: number; wordsRemoved: number };
}

export function emptyReport(): PreprocessReport {
  return {
    sentencesIn: 0,
    wordsIn: 0,
    sentencesOut: 0,
    wordsOut: 0,
    comments: { sentencesChanged: 0, linesRemoved: 0 },
    emptyNodes: { sentencesChanged: 0, nodesRemoved: 0 },
    multiwordTokens: { sentencesChanged: 0, tokensMerged: 0, wordsRemoved: 0 },
    deprelSubtypes: { sentencesChanged: 0, wordsChanged: 0 },
    maxWords: { sentencesRemoved: 0, wordsRemoved: 0 },
    validTree: { sentencesRemoved: 0, wordsRemoved: 0 },
  };
}

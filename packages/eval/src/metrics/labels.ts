import { InvalidArgumentError, ShapeMismatchError } from '@xling/core';

/** A gold or predicted class: a label name (`'NOUN'`) or a non-negative integer class id. */
export type Label = string | number;

/**
 * A predicted class, or "no prediction": `null` (or `-1` when labels are integer ids) means the
 * classifier had no prototype to offer, and always counts as wrong.
 */
export type Prediction = Label | null;

/** One sentence's gold labels and predictions, word by word (JSON-friendly). */
export interface SentencePredictions {
  /** Gold label per word. */
  gold: readonly Label[];
  /** Predicted label per word (`null` or `-1`: no prototype). Same length as `gold`. */
  predicted: readonly Prediction[];
}

/** True when `p` means "no prototype": `null`, `undefined` or the integer `-1`. */
export function isNoPrediction(p: Prediction | undefined): boolean {
  return p === null || p === undefined || p === -1;
}

function checkLabel(value: unknown, argument: string, index: number, functionName: string): void {
  if (typeof value === 'string') return;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return;
  throw new InvalidArgumentError(
    `${argument}[${index}]`,
    functionName,
    `must be a label (a string or a non-negative integer), but got ${typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value))}.`,
  );
}

/**
 * Checks a gold/predicted pair: same length, labels are strings or non-negative integers, no mix of
 * the two kinds, predictions may be `null`/`-1`. Returns the kind of label in use.
 */
export function checkLabelPair(
  gold: readonly Label[],
  predicted: readonly Prediction[],
  functionName: string,
  options: { allowEmpty?: boolean } = {},
): 'string' | 'number' | 'empty' {
  if (!Array.isArray(gold)) {
    throw new InvalidArgumentError(
      'gold',
      functionName,
      `must be an array of labels, but got ${typeof gold}.`,
    );
  }
  if (!Array.isArray(predicted)) {
    throw new InvalidArgumentError(
      'predicted',
      functionName,
      `must be an array of labels, but got ${typeof predicted}.`,
    );
  }
  if (gold.length !== predicted.length) {
    throw new ShapeMismatchError(
      'predicted',
      functionName,
      `${gold.length} entries like 'gold'`,
      String(predicted.length),
    );
  }
  if (gold.length === 0) {
    if (options.allowEmpty) return 'empty';
    throw new InvalidArgumentError('gold', functionName, 'must not be empty, but got 0 words.');
  }
  let kind: 'string' | 'number' | undefined;
  for (let i = 0; i < gold.length; i++) {
    checkLabel(gold[i], 'gold', i, functionName);
    const k = typeof gold[i] as 'string' | 'number';
    if (kind === undefined) kind = k;
    else if (k !== kind) {
      throw new InvalidArgumentError(
        `gold[${i}]`,
        functionName,
        `must be a ${kind} like 'gold[0]' (labels must not mix names and ids), but got ${JSON.stringify(gold[i])}.`,
      );
    }
    const p = predicted[i];
    if (isNoPrediction(p)) continue;
    checkLabel(p, 'predicted', i, functionName);
    if (typeof p !== kind) {
      throw new InvalidArgumentError(
        `predicted[${i}]`,
        functionName,
        `must be a ${kind} like 'gold' (or null for no prototype), but got ${JSON.stringify(p)}.`,
      );
    }
  }
  return kind as 'string' | 'number';
}

/** Sorted distinct labels, the order of numpy's `np.unique` (numbers ascending, strings by code unit). */
export function sortLabels<T extends Label>(labels: Iterable<T>): T[] {
  const out = [...new Set(labels)];
  out.sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const sa = String(a);
    const sb = String(b);
    return sa < sb ? -1 : sa > sb ? 1 : 0;
  });
  return out;
}

/** Validates an array of sentences and returns the total word count. */
export function checkSentences(
  sentences: readonly SentencePredictions[],
  argument: string,
  functionName: string,
): number {
  if (!Array.isArray(sentences)) {
    throw new InvalidArgumentError(
      argument,
      functionName,
      `must be an array of { gold, predicted } sentences, but got ${typeof sentences}.`,
    );
  }
  if (sentences.length === 0) {
    throw new InvalidArgumentError(argument, functionName, 'must not be empty, but got 0 sentences.');
  }
  let words = 0;
  for (let s = 0; s < sentences.length; s++) {
    const sentence = sentences[s];
    if (typeof sentence !== 'object' || sentence === null) {
      throw new InvalidArgumentError(
        `${argument}[${s}]`,
        functionName,
        `must be an object { gold, predicted }, but got ${sentence === null ? 'null' : typeof sentence}.`,
      );
    }
    try {
      checkLabelPair(sentence.gold, sentence.predicted, functionName, { allowEmpty: true });
    } catch (error) {
      if (error instanceof InvalidArgumentError || error instanceof ShapeMismatchError) {
        throw new InvalidArgumentError(
          `${argument}[${s}].${error.argument}`,
          functionName,
          error.message.replace(/^Argument '[^']*' passed to '[^']*' /, ''),
          { cause: error },
        );
      }
      throw error;
    }
    words += sentence.gold.length;
  }
  if (words === 0) {
    throw new InvalidArgumentError(argument, functionName, 'must contain at least one word, but got 0.');
  }
  return words;
}

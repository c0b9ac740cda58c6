import { InvalidArgumentError } from '@xling/core';
import type { SegmentEncoder } from '../prompt/segment-encoder.js';

/**
 * Token ids of each label form, and warnings for forms the trie cannot tell apart: identical
 * token sequences (the first label in order wins every tie) and sequences that are a prefix of
 * another label's (scored on their own tokens only).
 *
 * @throws XLING_INVALID_ARGUMENT for a form that encodes to no tokens.
 */
export async function encodeLabelForms(
  encoder: SegmentEncoder,
  labels: readonly string[],
  forms: readonly string[],
  functionName: string,
): Promise<{ sequences: (readonly number[])[]; warnings: string[] }> {
  const sequences = await encoder.encode(forms);
  const warnings: string[] = [];
  sequences.forEach((sequence, i) => {
    if (sequence.length === 0) {
      throw new InvalidArgumentError(
        'options.labelForm',
        functionName,
        `must give labels that encode to tokens, but ${labels[i]} ('${forms[i]}') encodes to none.`,
      );
    }
    sequences.forEach((other, j) => {
      if (j === i || other.length < sequence.length || !sequence.every((t, n) => other[n] === t)) return;
      if (other.length > sequence.length) {
        warnings.push(`label ${labels[i]} ('${forms[i]}') is a token prefix of ${labels[j]} ('${forms[j]}')`);
      } else if (j > i) {
        warnings.push(
          `labels ${labels[i]} and ${labels[j]} have the same tokens; ${labels[i]} wins their ties`,
        );
      }
    });
  });
  return { sequences, warnings };
}

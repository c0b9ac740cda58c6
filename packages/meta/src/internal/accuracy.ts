/** Share of positions where `predicted` equals `gold` (NaN when there are none). */
export function accuracy(predicted: ArrayLike<number>, gold: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === gold[i]) correct++;
  return predicted.length === 0 ? Number.NaN : correct / predicted.length;
}

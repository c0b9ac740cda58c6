/**
 * Edit distance with adjacent transpositions (optimal string alignment), for "did you mean":
 * `rnu` is one edit from `run`. Names are short, so O(a*b) is nothing.
 */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidates closest to `word` (at most a third of its length in edits, at least 1, or a
 * prefix match), best first: what a mistyped command or flag most likely meant.
 */
export function closest(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(word.length / 3));
  return candidates
    .map((c) => ({ c, d: c.startsWith(word) && word.length >= 2 ? 0.5 : distance(word, c) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || (x.c < y.c ? -1 : 1))
    .slice(0, 3)
    .map(({ c }) => c);
}

/** " Did you mean 'a' or 'b'?" or "". */
export function didYouMean(word: string, candidates: readonly string[], prefix = ''): string {
  const hits = closest(word, candidates);
  if (hits.length === 0) return '';
  return ` Did you mean ${hits.map((h) => `'${prefix}${h}'`).join(' or ')}?`;
}

import { describe, expect, it } from 'vitest';
import { main } from './index.js';

describe('align-two-languages', () => {
  it('main() finds the rotated copy alignable beyond chance and the unrelated space not', () => {
    const lines: string[] = [];
    const rows = main({ permutations: 199, repeats: 50, log: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/^SYNTHETIC concept spaces: 17 UPOS prototypes in 32 dimensions/);
    expect(lines).toHaveLength(3 + 2 + 6);
    const get = (pair: string, metric: string) =>
      rows.find((r) => r.pair.endsWith(pair) && r.metric === metric)!;
    for (const metric of ['procrustes', 'rsa', 'linearCka']) {
      const related = get('rotated copy', metric);
      const unrelated = get('unrelated', metric);
      expect(related.pValue).toBe(1 / 200); // beats every permutation
      expect(Math.abs(related.zScore)).toBeGreaterThan(4);
      expect(unrelated.pValue).toBeGreaterThan(0.05);
      expect(Math.abs(unrelated.zScore)).toBeLessThan(2.5);
    }
    expect(get('rotated copy', 'procrustes').observed).toBeLessThan(get('unrelated', 'procrustes').observed);
    expect(get('rotated copy', 'rsa').observed).toBeGreaterThan(0.8);
  });
});

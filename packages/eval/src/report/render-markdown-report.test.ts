import { describe, expect, it } from 'vitest';
import { renderMarkdownReport } from './render-markdown-report.js';
import { syntheticResult } from './synthetic-result.js';

const result = syntheticResult();
const markdown = renderMarkdownReport(result);
const tables = markdown.split('\n\n').filter((block) => block.startsWith('| '));

describe('renderMarkdownReport', () => {
  it('renderMarkdownReport(result) writes one section per kind of result', () => {
    for (const heading of [
      '# Synthetic xling report',
      '## Split substitutions',
      '## Alignability',
      '## Zero-shot accuracy',
      '## Gaps between languages',
      '## Few-shot curves',
      '## Layer sweep',
      '## Prototype projections',
      '## Warnings',
    ]) {
      expect(markdown).toContain(`\n${heading}\n`.slice(heading.startsWith('# ') ? 1 : 0));
    }
  });

  it('renderMarkdownReport(result) writes well-formed tables of the right size', () => {
    for (const t of tables) {
      const lines = t.split('\n');
      const columns = lines[0].split(' | ').length;
      for (const line of lines) expect(line.split(/(?<!\\) \| /).length).toBe(columns);
    }
    const zeroShot = tables.find((t) => t.startsWith('| Language | majority'))!;
    expect(zeroShot.split('\n').length).toBe(2 + 8);
    expect(zeroShot).toMatch(/\| \d+\.\d \[\d+\.\d, \d+\.\d\] \|/);
    const gaps = tables.find((t) => t.startsWith('| Task | Method'))!;
    expect(gaps.split('\n').length).toBe(2 + 3);
    expect(gaps).toMatch(/vs unaligned/);
    expect(markdown).not.toMatch(/NaN|undefined/);
  });

  it('renderMarkdownReport(result) escapes pipes in cells', () => {
    const r = syntheticResult();
    r.run.splitSubstitutions[0].reason = 'a | b';
    expect(renderMarkdownReport(r)).toContain('a \\| b');
  });

  it('renderMarkdownReport(invalid) throws XLING_INVALID_ARGUMENT', () => {
    expect(() => renderMarkdownReport({ ...result, schemaVersion: 3 } as never)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT', argument: 'result.schemaVersion' }),
    );
  });
});

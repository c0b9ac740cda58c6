import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from './format-diagnostic.js';
import { validateConllu } from './validate-conllu.js';

describe('formatDiagnostic(diagnostic)', () => {
  it("formatDiagnostic(d) is 'file:line:col  severity  message  ruleId'", () => {
    const [d] = validateConllu('1\ta\ta\tX\t_\t_\t0\troot\t_\n\n', { file: 'a.conllu' });
    expect(formatDiagnostic(d)).toBe(
      'a.conllu:1:1  error  Expected 10 tab-separated columns, found 9.  column-count',
    );
  });
});

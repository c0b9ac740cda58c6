import { describe, expect, it } from 'vitest';
import { percent, signedPoints } from './format.js';
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
      '## Probes and their controls',
      '## Gaps between languages',
      '## Few-shot curves',
      '## Meta-learning curves',
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

  it('renderMarkdownReport(result) tables each probe beside its controls, with a mean row and the flagged probes', () => {
    const probes = result.probes!;
    const probeTable = tables.find((t) => t.startsWith('| Language | Fit split (words) | Probe'))!;
    const lines = probeTable.split('\n');
    expect(lines.length).toBe(2 + probes.length + 1);
    const en = probes.find((p) => p.language === 'en')!;
    expect(lines).toContain(
      `| en | train (${en.fitWords}) | ${percent(en.accuracy!)} | ${percent(en.majority!)} | ` +
        `${percent(en.nearestClassMean!)} | ${percent(en.wordLookup!)} (${percent(en.wordLookupCoverage!, 0)}%) | ` +
        `${percent(en.controlTask!)} | ${signedPoints(en.selectivity!)} | ${en.bestEpoch} / ${en.epochsRun} | yes | ` +
        `${en.fitLoss.toFixed(3)} / 2.833 |`,
    );
    expect(lines.find((l) => l.startsWith('| wo ⚑ | dev'))).toMatch(/\| 40 \/ 40 \| no \|/);
    expect(lines.find((l) => l.startsWith('| tr ⚑ |'))).toBeDefined();
    const mean = probes.reduce((a, p) => a + p.accuracy!, 0) / probes.length;
    expect(lines.at(-1)).toMatch(
      new RegExp(`^\\| \\*\\*Mean \\(8\\)\\*\\* \\|  \\| ${percent(mean)} \\|.* \\| 7 of 8 \\|`),
    );
    expect(markdown).toContain(
      'Flagged probes (⚑):\n\n- tr (UD_tr): below the nearest class mean\n- wo (UD_wo): not converged after 40 epochs\n',
    );
    const clean = syntheticResult();
    for (const p of clean.probes!) p.flags = [];
    expect(renderMarkdownReport(clean)).toContain('No probe is flagged.');
  });

  it('renderMarkdownReport(result) sums up each learning curve and tables it, thinning long ones', () => {
    const [meta, fewShot] = result.learningCurves!;
    const best = meta.points.find((p) => p.epoch === meta.bestEpoch)!;
    expect(markdown).toContain('### UPOS, layer 8: meta (meta-learned zero-shot map)');
    expect(markdown).toContain(
      `Epochs run: 28; best epoch: ${meta.bestEpoch}; converged: yes (validation accuracy plateaued); ` +
        `validation accuracy at the best epoch ${percent(best.validationAccuracy!)}%.`,
    );
    expect(markdown).toContain(
      `| **${meta.bestEpoch}** | **${best.loss.toFixed(3)}** | **${percent(best.validationAccuracy!)}** |`,
    );
    const metaTable = tables.find((t) => t.startsWith('| Epoch |'))!;
    // 28 epochs: every 2nd (14 rows) plus the best and the last.
    expect(metaTable.split('\n').length).toBeLessThan(2 + 18);
    expect(metaTable).toContain('| 28 |');
    expect(markdown).toContain('one row every 2 epochs, plus the best and the last');
    const fewShotTable = tables.filter((t) => t.startsWith('| Epoch |'))[1];
    expect(fewShotTable.split('\n').length).toBe(2 + fewShot.points.length);
    expect(markdown).toContain('Epochs run: 12; best epoch: 12; converged: no;');
  });

  it('renderMarkdownReport(result) names the prototypes the alignability compares', () => {
    expect(markdown).toContain(
      '## Alignability\n\nPrototypes: each language’s own probe (W^T μ: the class means mapped by that language’s probe).\n',
    );
    const r = syntheticResult();
    r.run.prototypes = 'class-means';
    expect(renderMarkdownReport(r)).toContain(
      'Prototypes: class means of each label’s vectors in the model’s space.',
    );
    delete r.run.prototypes;
    expect(renderMarkdownReport(r)).not.toContain('Prototypes:');
  });

  it('renderMarkdownReport(result) gives every few-shot method, the identity adapter and unknown ones included, its own row', () => {
    const fewShot = tables.find((t) => t.startsWith('| Method | N=1 |'))!;
    const rows = fewShot.split('\n').slice(2);
    expect(rows.map((r) => r.split(' | ')[0])).toEqual([
      '| probe-on-support',
      '| few-shot-adapter',
      '| identity-adapter',
    ]);
    const identity = result.fewShot!.find((c) => c.method === 'identity-adapter')!;
    expect(rows[2]).toContain(
      `| ${percent(identity.points[0].mean)} [${percent(identity.points[0].lower)}, ${percent(identity.points[0].upper)}] |`,
    );
    expect(markdown).toContain('identity-adapter — the untouched identity adapter');
    const r = syntheticResult();
    r.fewShot = [{ ...r.fewShot![0], method: 'my-method', points: r.fewShot![0].points.slice(0, 2) }];
    r.fewShot[0].points[1] = { ...r.fewShot[0].points[1], seeds: 3 };
    const text = renderMarkdownReport(r);
    expect(text).toMatch(
      /\| my-method \| \d+\.\d \[[\d.]+, [\d.]+\] \(5 seeds\) \| [\d.]+ \[[\d.]+, [\d.]+\] \(3 seeds\) \|/,
    );
    expect(text).not.toContain('Methods:');
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

import { clusterOrder } from './cluster-order.js';
import {
  curveCells,
  curveRows,
  fewShotMethodNotes,
  learnerLabel,
  learningCurveSummary,
  PROBE_COLUMNS,
  PROBE_LEGEND,
  probeCells,
  probeFlagLine,
  probeMeanCells,
  prototypesSentence,
} from './charts/section-cells.js';
import { distinct, groupBy } from './charts/svg.js';
import type { ExperimentResult } from './experiment-result.js';
import {
  fixed,
  gapCells,
  level,
  matrixCaption,
  offDiagonalMean,
  percent,
  percentWithInterval,
  titleOf,
} from './format.js';
import { parseExperimentResult } from './parse-experiment-result.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: string[], rows: string[][]): string {
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/**
 * Renders an experiment result as GitHub-flavoured Markdown: run metadata, declared split
 * substitutions, one table per alignability matrix (languages in clustered order, `*` for
 * permutation p < 0.05) with the prototypes they compare, in-language probes beside their
 * controls (baselines, Hewitt & Liang selectivity, convergence, flags), zero-shot accuracy per
 * language and method with bootstrap intervals, gap statistics, few-shot curves (one row per
 * method), meta-learning curves and the layer sweep. Sections without data are left out.
 *
 * @param result - a result that passes {@link validateExperimentResult}
 * @returns the Markdown text, ending with a newline
 * @throws XLING_INVALID_ARGUMENT naming the bad key when `result` breaks the schema.
 * @example
 * await writeFile('report.md', renderMarkdownReport(result));
 */
export function renderMarkdownReport(result: ExperimentResult): string {
  parseExperimentResult(result, 'renderMarkdownReport');
  const { run } = result;
  const out: string[] = [`# ${titleOf(result)}`, ''];
  out.push(
    table(
      ['Setting', 'Value'],
      [
        ['Model', `${run.model.name}${run.model.dtype ? ` (${run.model.dtype})` : ''}`],
        ['Layer', String(run.layer)],
        ...(run.pooling ? [['Pooling', run.pooling]] : []),
        ['Source language', run.sourceLanguage],
        ['Seeds', run.seeds.join(', ') || '–'],
        ['UD version', run.ud.version],
        ['Treebanks', String(run.ud.treebanks.length)],
        ['Config hash', `\`${run.configHash}\``],
        ['Created', run.createdAt],
        ...(run.xlingVersion ? [['xling', run.xlingVersion]] : []),
      ],
    ),
    '',
  );
  if (run.resourceGroups) {
    out.push(
      `Low-resource: ${run.resourceGroups.low.join(', ') || '–'}. High-resource: ${run.resourceGroups.high.join(', ') || '–'}.`,
      '',
    );
  }
  if (run.splitSubstitutions.length > 0) {
    out.push('## Split substitutions', '');
    out.push(
      table(
        ['Treebank', 'Language', 'Used', 'Instead of', 'Reason'],
        run.splitSubstitutions.map((s) => [s.treebank, s.language, s.used, s.insteadOf, s.reason]),
      ),
      '',
    );
  }
  for (const note of run.notes ?? []) out.push(`> ${note}`, '');

  if (result.alignability && result.alignability.length > 0) {
    out.push('## Alignability', '');
    const prototypes = prototypesSentence(run.prototypes);
    if (prototypes) out.push(prototypes, '');
    for (const m of result.alignability) {
      const order = clusterOrder(m.values, { kind: m.higherIsBetter ? 'similarity' : 'distance' });
      out.push(`### ${matrixCaption(m)}`, '');
      out.push(
        table(
          ['', ...order.map((i) => m.languages[i])],
          order.map((i) => [
            m.languages[i],
            ...order.map((j) => {
              const p = m.pValues?.[i]?.[j];
              return fixed(m.values[i][j]) + (p !== undefined && p !== null && p < 0.05 ? '*' : '');
            }),
          ]),
        ),
        '',
      );
      const mean = offDiagonalMean(m.values);
      const control = offDiagonalMean(m.control);
      const summary = [`Mean off-diagonal: ${fixed(mean)}`];
      if (control !== undefined) summary.push(`random-label control: ${fixed(control)}`);
      if (m.pValues)
        summary.push(`\\* permutation p < 0.05${m.permutations ? ` (${m.permutations} permutations)` : ''}`);
      out.push(`${summary.join('; ')}.`, '');
    }
  }

  if (result.probes && result.probes.length > 0) {
    out.push('## Probes and their controls', '', PROBE_LEGEND, '');
    for (const [key, probes] of groupBy(result.probes, (p) => `${p.task} ${p.layer}`)) {
      const [task, layer] = key.split(' ');
      const flagged = probes.filter((p) => p.flags.length > 0);
      out.push(
        `### ${task.toUpperCase()}, layer ${layer}`,
        '',
        table(PROBE_COLUMNS, [
          ...probes.map((p) => {
            const cells = probeCells(p);
            if (p.flags.length > 0) cells[0] = `${cells[0]} ⚑`;
            return cells;
          }),
          probeMeanCells(probes).map((c, i) => (i === 0 ? `**${c}**` : c)),
        ]),
        '',
        ...(flagged.length === 0
          ? ['No probe is flagged.']
          : ['Flagged probes (⚑):', '', ...flagged.map((p) => `- ${probeFlagLine(p)}`)]),
        '',
      );
    }
  }

  if (result.confusion && result.confusion.length > 0) {
    out.push('## Confusion matrices', '');
    for (const c of result.confusion) {
      out.push(
        `### ${c.task.toUpperCase()}, ${c.method}, layer ${c.layer}`,
        '',
        `Test words of ${c.languages.length} target language(s) pooled; rows are gold labels, columns predictions.`,
        '',
        table(
          ['gold \\ predicted', ...c.labels, 'none'],
          c.labels.map((label, i) => [label, ...c.matrix[i].map(String), String(c.noPrediction[i])]),
        ),
        '',
      );
    }
  }

  if (result.zeroShot && result.zeroShot.length > 0) {
    out.push('## Zero-shot accuracy', '');
    for (const [key, rows] of groupBy(result.zeroShot, (r) => `${r.task} ${r.layer}`)) {
      const [task, layer] = key.split(' ');
      const methods = distinct(rows.map((r) => r.method));
      const ci = rows.find((r) => r.ci)?.ci;
      out.push(
        `### ${task.toUpperCase()}, layer ${layer}`,
        '',
        `Word accuracy in %${ci ? ` with ${level(ci)} bootstrap intervals over sentences` : ''}.`,
        '',
      );
      const byLanguage = groupBy(rows, (r) => r.language);
      out.push(
        table(
          ['Language', ...methods, 'Words'],
          [...byLanguage].map(([language, own]) => [
            language,
            ...methods.map((method) => {
              const r = own.find((o) => o.method === method);
              return r ? percentWithInterval(r.accuracy, r.ci) : '–';
            }),
            String(Math.max(...own.map((o) => o.n))),
          ]),
        ),
        '',
      );
      if (rows.some((r) => r.macroF1 !== undefined)) {
        out.push('Macro-F1 in %.', '');
        out.push(
          table(
            ['Language', ...methods],
            [...byLanguage].map(([language, own]) => [
              language,
              ...methods.map((method) => {
                const r = own.find((o) => o.method === method);
                return r?.macroF1 !== undefined ? percent(r.macroF1) : '–';
              }),
            ]),
          ),
          '',
        );
      }
    }
  }

  if (result.gaps && result.gaps.length > 0) {
    out.push('## Gaps between languages', '');
    out.push(
      'Spread of per-language scores, and the high- minus low-resource gap with a bootstrap interval over languages; ' +
        'Δ gap < 0 means the method narrows the gap relative to the baseline.',
      '',
    );
    out.push(
      table(
        ['Task', 'Method', 'Mean', 'Std', 'Range', 'IQR', 'Gap (high − low)', 'Δ gap vs baseline', 'p'],
        result.gaps.map((g) => [g.task.toUpperCase(), g.method, ...gapCells(g)]),
      ),
      '',
    );
  }

  if (result.fewShot && result.fewShot.length > 0) {
    out.push('## Few-shot curves', '');
    for (const [key, curves] of groupBy(
      result.fewShot,
      (c) => `${c.task}\u0000${c.language}\u0000${c.layer}`,
    )) {
      const [task, language, layer] = key.split('\u0000');
      const sizes = [...new Set(curves.flatMap((c) => c.points.map((p) => p.n)))].sort((a, b) => a - b);
      const seeds = distinct(curves.flatMap((c) => c.points.map((p) => p.seeds)));
      out.push(`### ${task.toUpperCase()}, ${language}, layer ${layer}`, '');
      out.push(
        `Word accuracy in %, mean${seeds.length === 1 ? ` over ${seeds[0]} seeds` : ''} [interval over seeds], ` +
          `by number N of ${language} support sentences; one row per method.`,
        '',
      );
      out.push(
        table(
          ['Method', ...sizes.map((n) => `N=${n}`)],
          curves.map((c) => [
            c.method,
            ...sizes.map((n) => {
              const p = c.points.find((q) => q.n === n);
              if (!p) return '–';
              return `${percentWithInterval(p.mean, p)}${seeds.length === 1 ? '' : ` (${p.seeds} seeds)`}`;
            }),
          ]),
        ),
        '',
      );
      const notes = fewShotMethodNotes(curves.map((c) => c.method));
      if (notes) out.push(notes, '');
    }
  }

  if (result.learningCurves && result.learningCurves.length > 0) {
    out.push('## Meta-learning curves', '');
    for (const c of result.learningCurves) {
      const { rows, step } = curveRows(c);
      out.push(
        `### ${c.task.toUpperCase()}, layer ${c.layer}: ${learnerLabel(c.learner)}`,
        '',
        learningCurveSummary(c),
        '',
      );
      if (rows.length === 0) continue;
      out.push(
        table(
          ['Epoch', 'Loss', 'Validation accuracy'],
          rows.map((p) => {
            const cells = curveCells(p);
            return p.epoch === c.bestEpoch ? cells.map((v) => `**${v}**`) : cells;
          }),
        ),
        '',
        `Best epoch in bold${step > 1 ? `; one row every ${step} epochs, plus the best and the last` : ''}; validation accuracy in %.`,
        '',
      );
    }
  }

  if (result.layerSweep && result.layerSweep.length > 0) {
    out.push('## Layer sweep', '');
    for (const s of result.layerSweep) {
      const best = s.points.reduce((a, b) =>
        (s.higherIsBetter ? b.value > a.value : b.value < a.value) ? b : a,
      );
      out.push(`### ${s.task.toUpperCase()}: ${s.quantity}`, '');
      out.push(
        table(
          ['Layer', s.quantity],
          [...s.points]
            .sort((a, b) => a.layer - b.layer)
            .map((p) => [
              p === best ? `**${p.layer}**` : String(p.layer),
              `${fixed(p.value)}${p.lower !== undefined && p.upper !== undefined ? ` [${fixed(p.lower)}, ${fixed(p.upper)}]` : ''}`,
            ]),
        ),
        '',
        `Best layer: ${best.layer}.`,
        '',
      );
    }
  }

  if (result.projections && result.projections.length > 0) {
    out.push('## Prototype projections', '');
    for (const p of result.projections) {
      const languages = distinct(p.points.map((q) => q.language));
      const labels = distinct(p.points.map((q) => q.label));
      out.push(
        `- ${p.task ? p.task.toUpperCase() : 'Prototypes'}${p.layer !== undefined ? `, layer ${p.layer}` : ''}${p.space ? `, ${p.space} space` : ''}: ` +
          `${p.points.length} prototypes (${labels.length} labels × ${languages.length} languages); ` +
          `PC 1 and 2 explain ${percent(p.explainedVarianceRatio[0])}% and ${percent(p.explainedVarianceRatio[1])}% of the variance (see report.html).`,
      );
    }
    out.push('');
  }

  if (result.warnings && result.warnings.length > 0) {
    out.push('## Warnings', '', ...result.warnings.map((w) => `- ${w}`), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

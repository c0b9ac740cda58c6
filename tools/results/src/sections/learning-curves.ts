import type { LearningCurve } from '@xling/eval';
import { curveCells, learnerLabel } from '../eval-report-helpers.js';
import { listText, table, taskName } from '../markdown.js';

/** One row per meta-learner curve, and whether each stopped on its plateau rule. */
export function learningCurveSection(curves: readonly LearningCurve[] | undefined): string[] {
  if (!curves?.length) return [];
  const converged = curves.filter((c) => c.converged).length;
  const rest = curves.filter((c) => !c.converged).map((c) => `${taskName(c.task)} ${c.learner}`);
  return [
    '## Meta-learning curves',
    '',
    table(
      ['task', 'learner', 'epochs run', 'best epoch', 'validation accuracy at best (%)', 'plateaued'],
      curves.map((c) => {
        const best = c.points.find((p) => p.epoch === c.bestEpoch);
        return [
          taskName(c.task),
          learnerLabel(c.learner),
          String(c.points.at(-1)?.epoch ?? 0),
          String(c.bestEpoch),
          best ? curveCells(best)[2] : '–',
          c.converged ? 'yes' : 'no',
        ];
      }),
    ),
    '',
    (converged === curves.length
      ? 'Every curve stopped on the plateau rule (validation accuracy no longer rising)'
      : `${converged} of ${curves.length} curves stopped on the plateau rule; ${listText(rest)} ran to the epoch limit`) +
      '; report.html draws them.',
    '',
  ];
}

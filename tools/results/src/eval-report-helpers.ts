// The cells, sentences and number formats that @xling/eval's own report.md and report.html share
// (section-cells.ts, format.ts, icl-cells.ts). The package does not export them, so they are
// imported from its sources: docs/results.md then shows the report's numbers in the report's words.
export {
  bestLayerPoint,
  curveCells,
  fewShotMethodNotes,
  learnerLabel,
  probeFlagLine,
  probeMeanCells,
  prototypesSentence,
} from '../../../packages/eval/src/report/charts/section-cells.js';
export { distinct, groupBy } from '../../../packages/eval/src/report/charts/svg.js';
export {
  fixed,
  gapCells,
  level,
  offDiagonalMean,
  percent,
  signedPoints,
} from '../../../packages/eval/src/report/format.js';
export { correlationSentence, iclSettingsSentence } from '../../../packages/eval/src/report/icl-cells.js';

import { join } from 'node:path';
import { checkOptions, writeFileAtomic } from '@xling/core';
import type { ExperimentResult } from './experiment-result.js';
import { parseExperimentResult } from './parse-experiment-result.js';
import { renderHtmlReport } from './render-html-report.js';
import { renderMarkdownReport } from './render-markdown-report.js';

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** Base name of the three files. @defaultValue 'report' */
  baseName?: string;
}

/** Paths written by {@link writeReport}. */
export interface WrittenReport {
  json: string;
  markdown: string;
  html: string;
}

/**
 * Writes `report.json`, `report.md` and `report.html` into `dir` (created when missing). The
 * result is validated and all three documents are rendered before anything is written, and each
 * file is replaced atomically (`writeFileAtomic`: temp file, fsync, rename), so an invalid
 * result or a crash never leaves a half-written report — readers see the old files or the new.
 *
 * @param dir - output folder
 * @param result - the experiment result
 * @returns the paths written
 * @throws XLING_INVALID_ARGUMENT naming the bad key when `result` breaks the schema (nothing is written).
 * @example
 * const paths = await writeReport('runs/abc123', result);
 */
export async function writeReport(
  dir: string,
  result: ExperimentResult,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  checkOptions(options, { baseName: { type: 'string', optional: true } }, 'writeReport');
  const { baseName = 'report' } = options ?? {};
  parseExperimentResult(result, 'writeReport');
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const markdown = renderMarkdownReport(result);
  const html = renderHtmlReport(result);
  const paths: WrittenReport = {
    json: join(dir, `${baseName}.json`),
    markdown: join(dir, `${baseName}.md`),
    html: join(dir, `${baseName}.html`),
  };
  // JSON last: a reader that finds report.json can rely on the rendered files being from the same run.
  await writeFileAtomic(paths.markdown, markdown);
  await writeFileAtomic(paths.html, html);
  await writeFileAtomic(paths.json, json);
  return paths;
}

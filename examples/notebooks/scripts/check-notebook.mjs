// What makes an executed notebook acceptable: no error output, and every code cell printed or
// displayed something (tslab does not drop outputs, but a failing cell stops the ones after it
// printing anything, and an empty cell is usually a cell that did not run). A cell that is meant
// to be silent says so with the tag `no-output` in its metadata.

/** Text of the stderr streams of a cell (tslab reports type errors there, not as an error output). */
function stderrOf(cell) {
  return cell.outputs
    .filter((o) => o.output_type === 'stream' && o.name === 'stderr')
    .map((o) => [].concat(o.text).join(''))
    .join('');
}

/**
 * Problems of an executed notebook, one string per problem naming the cell (1-based among all
 * cells) and its first line; empty when the notebook is acceptable.
 */
export function notebookProblems(notebook) {
  const problems = [];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const source = [].concat(cell.source).join('');
    if (source.trim() === '') return;
    const where = `cell ${index + 1} (${source.split('\n')[0].slice(0, 60)})`;
    const outputs = cell.outputs ?? [];
    const error = outputs.find((o) => o.output_type === 'error');
    if (error) problems.push(`${where}: ${error.ename}: ${error.evalue}`);
    // tslab prints compile errors ("3:5 - Property ... does not exist") and uncaught exceptions to stderr.
    const stderr = stderrOf({ outputs }).split('\n');
    const message = stderr.find((line) => /^\d+:\d+ - |^\w*Error\b/.test(line));
    if (message) problems.push(`${where}: ${message}`);
    const tags = cell.metadata?.tags ?? [];
    if (outputs.length === 0 && !tags.includes('no-output')) problems.push(`${where}: printed nothing`);
  });
  return problems;
}

/** The runnable example of a package README and the output the README shows for it. */
export interface ReadmeExample {
  /** JavaScript (ESM) source of the example. */
  code: string;
  /** 1-based line of the README where the code starts. */
  line: number;
  /** The output the README shows, or undefined when it shows none. */
  output?: string;
}

const EXAMPLE_MARKER = '<!-- example -->';
const OUTPUT_MARKER = '<!-- example-output -->';
const RUNNABLE = new Set(['js', 'javascript', 'mjs']);

/** The fenced block right after line `at` (blank lines may come between). */
function fenceAfter(lines: string[], at: number, file: string): { info: string; body: string; line: number } {
  let start = at + 1;
  while (start < lines.length && lines[start].trim() === '') start++;
  const open = /^(`{3,})\s*(\S*)/.exec(lines[start] ?? '');
  if (!open) throw new Error(`${file}:${at + 1}: '${lines[at]}' must be followed by a fenced code block.`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith(open[1]) && l.trim() === open[1]);
  if (end < 0) throw new Error(`${file}:${start + 1}: the code block is never closed.`);
  return { info: open[2], body: lines.slice(start + 1, end).join('\n'), line: start + 2 };
}

function markerLines(lines: string[], marker: string): number[] {
  return lines.flatMap((l, i) => (l.trim() === marker ? [i] : []));
}

/**
 * Finds the example a README marks with `<!-- example -->` (a ```js block: ESM with top-level
 * await, run as an `.mjs` file) and the output it marks with `<!-- example-output -->`.
 *
 * @throws Error when the README has no example marker, more than one of either marker, an output
 *   before the example, or a marker not followed by a code block.
 */
export function readmeExample(markdown: string, file = 'README.md'): ReadmeExample {
  const lines = markdown.split(/\r?\n/);
  const examples = markerLines(lines, EXAMPLE_MARKER);
  const outputs = markerLines(lines, OUTPUT_MARKER);
  if (examples.length !== 1) {
    throw new Error(
      `${file} must mark exactly one example with '${EXAMPLE_MARKER}', found ${examples.length}.`,
    );
  }
  if (outputs.length > 1) throw new Error(`${file} marks ${outputs.length} outputs; at most one is allowed.`);
  const example = fenceAfter(lines, examples[0], file);
  if (!RUNNABLE.has(example.info)) {
    throw new Error(
      `${file}:${example.line - 1}: the example must be a \`\`\`js block, not '${example.info}'.`,
    );
  }
  if (outputs.length === 0) return { code: example.body, line: example.line };
  if (outputs[0] < examples[0]) throw new Error(`${file}: the example output comes before the example.`);
  return { code: example.body, line: example.line, output: fenceAfter(lines, outputs[0], file).body };
}

/** `<word>` or `<a few words>` in a README's output stands for text that varies between runs. */
const PLACEHOLDER = /<[a-z][a-z0-9 -]*>/g;

function lineMatcher(expected: string): RegExp {
  const parts = expected.split(PLACEHOLDER).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*?')}$`);
}

/** Output as compared: without trailing spaces and trailing blank lines. */
export function tidyOutput(text: string): string {
  return text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
}

/**
 * `actual` (tidied) with every line that matches its line of `expected`, placeholders included,
 * replaced by that line: comparing the result with `tidyOutput(expected)` shows only the real
 * differences.
 */
export function alignOutput(actual: string, expected: string): string {
  const want = tidyOutput(expected).split('\n');
  return tidyOutput(actual)
    .split('\n')
    .map((line, i) => (i < want.length && lineMatcher(want[i]).test(line) ? want[i] : line))
    .join('\n');
}

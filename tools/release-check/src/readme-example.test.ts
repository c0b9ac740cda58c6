import { describe, expect, it } from 'vitest';
import { alignOutput, readmeExample, tidyOutput } from './readme-example.js';

const readme = [
  '# pkg',
  '',
  '## Use',
  '',
  '<!-- example -->',
  '```js',
  "console.log('hi');",
  '```',
  '',
  'Yields:',
  '',
  '<!-- example-output -->',
  '',
  '```txt',
  'hi',
  '```',
  '',
  '```js',
  'not the example',
  '```',
].join('\n');

describe('readmeExample(markdown)', () => {
  it('returns the marked js block, its README line, and the marked output', () => {
    expect(readmeExample(readme)).toEqual({ code: "console.log('hi');", line: 7, output: 'hi' });
  });

  it('has no output when the README marks none', () => {
    expect(readmeExample(readme.replace('<!-- example-output -->', ''))).toEqual({
      code: "console.log('hi');",
      line: 7,
    });
  });

  it('refuses a README without exactly one example, a non-js example or a marker without a block', () => {
    expect(() => readmeExample('# pkg\n', 'x/README.md')).toThrow(
      /x\/README.md must mark exactly one example/,
    );
    expect(() => readmeExample(`${readme}\n<!-- example -->\n\`\`\`js\n\`\`\`\n`)).toThrow(/found 2/);
    expect(() => readmeExample(readme.replace('```js\nconsole', '```ts\nconsole'))).toThrow(/not 'ts'/);
    expect(() => readmeExample(readme.replace('```txt\nhi\n```', 'hi'))).toThrow(
      /must be followed by a fenced code block/,
    );
    expect(() => readmeExample('<!-- example -->\n```js\nx\n')).toThrow(/never closed/);
  });
});

describe('alignOutput(actual, expected)', () => {
  it('accepts equal output up to trailing spaces and blank lines', () => {
    expect(alignOutput('a  \nb\n\n', 'a\nb')).toBe(tidyOutput('a\nb\n'));
  });

  it('lets <placeholders> stand for varying text within a line', () => {
    const expected = 'UD directory: <temp folder> (release)\nread in <seconds> s';
    expect(alignOutput('UD directory: some-folder-1 (release)\nread in 0.1 s', expected)).toBe(expected);
  });

  it('keeps the lines that differ, so a comparison shows them', () => {
    const expected = 'a\nread in <seconds> s';
    expect(alignOutput('a\nwritten in 2 s\nextra', expected)).toBe('a\nwritten in 2 s\nextra');
    expect(alignOutput('a.b', 'a*b')).toBe('a.b');
  });
});

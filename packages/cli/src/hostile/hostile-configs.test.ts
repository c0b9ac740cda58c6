// Hostile experiment configs through the real CLI: every case ends in a coded error (exit 1),
// in bounded memory and time, with nothing written outside the sandbox's output folder.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_FAILURE, errorCode, hostileVerdict, runHostile } from './run-hostile.js';

let sandbox: string;
beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'xling-hostile-config-'));
  await mkdir(join(sandbox, 'model'));
  execFileSync('mkfifo', [join(sandbox, 'fifo.yaml')]);
  await symlink('/dev/zero', join(sandbox, 'zero.yaml'));
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

const aliasBomb = (): string => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) {
    const [name, prev] = [String.fromCharCode(97 + i), String.fromCharCode(96 + i)];
    lines.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
  }
  return lines.join('\n');
};

const CASES: Array<{ name: string; file: string; text?: string; code: string }> = [
  ...['valueOf', 'hasOwnProperty', '__proto__', 'constructor', 'toString'].map((key) => ({
    name: `the key ${key}`,
    file: `${key}.yaml`,
    text: `model: model\nmodelName: m\n${key}: 1\n`,
    code: 'XLING_CONFIG',
  })),
  {
    name: 'a nested __proto__ object',
    file: 'nested.json',
    text: '{"model":"model","probe":{"__proto__":{"k":1}}}',
    code: 'XLING_CONFIG',
  },
  {
    name: "modelName '..' (would leave the store)",
    file: 'dotdot.yaml',
    text: 'model: model\nmodelName: ..\n',
    code: 'XLING_CONFIG',
  },
  {
    name: "modelName '../../x'",
    file: 'escape.yaml',
    text: 'model: model\nmodelName: ../../x\n',
    code: 'XLING_CONFIG',
  },
  {
    name: 'a YAML alias bomb',
    file: 'bomb.yaml',
    text: `model: model\n${aliasBomb()}\n`,
    code: 'XLING_CONFIG',
  },
  { name: 'a config that is a list', file: 'list.json', text: '[1, 2]', code: 'XLING_CONFIG' },
  {
    name: 'a 2 MiB config',
    file: 'big.yaml',
    text: `model: model\ntitle: ${'x'.repeat(2 << 20)}\n`,
    code: 'XLING_LIMIT_EXCEEDED',
  },
  { name: 'a FIFO as the config', file: 'fifo.yaml', code: 'XLING_FILE_NOT_REGULAR' },
  { name: '/dev/zero as the config', file: 'zero.yaml', code: 'XLING_FILE_NOT_REGULAR' },
  { name: 'a missing config', file: 'none.yaml', code: 'XLING_CONFIG' },
];

describe('hostile configs (xling extract <config>)', () => {
  it.each(CASES)('$name ends in $code', { timeout: 30_000 }, async ({ file, text, code }) => {
    if (text !== undefined) await writeFile(join(sandbox, file), text);
    const run = await runHostile(['extract', file, '--out', 'out'], { sandbox, writable: ['out'] });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toBe(code);
    expect(({} as Record<string, unknown>).k).toBeUndefined();
  });
});

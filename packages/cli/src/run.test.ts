import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, resolveUdDir } from '@xling/ud';
import { describe, expect, it } from 'vitest';
import type { Command } from './commands/command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, run } from './run.js';
import { bufferIo } from './test-io.js';

const udDir = resolveUdDir();
const manifest = (await readManifest(udDir))!;
const env = { XLING_UD_DIR: udDir };
const fixtures = join(import.meta.dirname, '__fixtures__');

describe('run', () => {
  it("run(['--help']) lists every command and exits 0", async () => {
    const io = bufferIo();
    expect(await run(['--help'], io)).toBe(EXIT.ok);
    for (const command of COMMANDS) expect(io.out()).toContain(`  ${command.name} `);
  });

  it('run([]) prints the help on stderr and exits 2', async () => {
    const io = bufferIo();
    expect(await run([], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/Usage: xling <command>/);
  });

  it("run([command, '--help']) shows usage, options and examples of every command", async () => {
    for (const command of COMMANDS) {
      const io = bufferIo();
      expect(await run([...command.name.split(' '), '--help'], io)).toBe(EXIT.ok);
      expect(io.out()).toMatch(new RegExp(`^Usage: xling ${command.name}`));
      expect(io.out()).toMatch(/\nOptions:\n/);
      expect(io.out()).toMatch(/\nExamples:\n {2}# .+\n {2}xling |pnpm /);
    }
  });

  it("run(['ud', 'stats', '--treebank', name]) prints a table whose counts match MANIFEST.tsv", async () => {
    const io = bufferIo({ env });
    expect(await run(['ud', 'stats', '--treebank', 'UD_Welsh-CCG', '-t', 'en_ewt'], io)).toBe(EXIT.ok);
    const lines = io.out().split('\n');
    for (const row of manifest.filter(
      (r) => r.treebank === 'UD_Welsh-CCG' || r.treebank === 'UD_English-EWT',
    )) {
      const line = lines.find((l) => l.startsWith(`${row.treebank} `) && l.includes(` ${row.split} `));
      expect(line, `${row.treebank} ${row.split}`).toBeDefined();
      expect(line).toContain(` ${row.sentences.toLocaleString('en-US')} `);
      expect(line).toContain(` ${row.words.toLocaleString('en-US')} `);
    }
    expect(io.out()).toMatch(
      /No train split, dev used for fitting and test for testing \(1\): UD_English-EWT\./,
    );
    expect(io.err()).toMatch(/ud-stats .*: done\n$/);
  });

  it("run(['ud', 'stats', '--json']) prints statistics with UPOS and deprel counts as JSON", async () => {
    const io = bufferIo({ env });
    expect(await run(['ud', 'stats', '--json', '-t', 'UD_Marathi-UFAL'], io)).toBe(EXIT.ok);
    const stats = JSON.parse(io.out());
    const train = manifest.find((r) => r.treebank === 'UD_Marathi-UFAL' && r.split === 'train')!;
    expect(stats.treebanks[0].splits.train).toMatchObject({ sentences: train.sentences, words: train.words });
    expect(stats.treebanks[0].splits.train.upos.NOUN).toBeGreaterThan(0);
    expect(stats.treebanks[0].splits.train.deprel.root).toBe(train.sentences);
  });

  it("run(['ud', 'stats']) exits 1 with one error line for a treebank without files", async () => {
    const io = bufferIo({ env });
    expect(await run(['ud', 'stats', '-t', 'UD_Hindi-HDTB'], io)).toBe(EXIT.failure);
    expect(io.err().trimEnd().split('\n').at(-1)).toMatch(
      /^xling: error: Treebank UD_Hindi-HDTB has no file in .*UD_Hindi-PUD .*stands in for it.* \[XLING_UD_DATA_MISSING\]$/,
    );
    expect(io.out()).toBe('');
  });

  it("run(['ud', 'validate', bad]) exits 1 with one file:line:col: message ruleId line per problem", async () => {
    const io = bufferIo();
    const bad = join(fixtures, 'bad.conllu');
    expect(await run(['ud', 'validate', bad, join(fixtures, 'good.conllu')], io)).toBe(EXIT.failure);
    const lines = io.out().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line).toMatch(/^.+\.conllu:\d+:\d+: .+ [a-z0-9-]+$/);
    expect(lines).toContain(`${bad}:8:1: Expected 10 tab-separated columns, found 9. column-count`);
    expect(lines.some((l) => l.startsWith(`${bad}:13:`) && l.endsWith(' upos-known'))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${bad}:14:`) && l.endsWith(' head-in-range'))).toBe(true);
    expect(io.err()).toMatch(/^\d+ errors in 1 of 2 files\n$/);
  });

  it("run(['ud', 'validate', ...]) exits 0 with a short OK line on valid files, gzipped too", async () => {
    const io = bufferIo();
    const real = join(udDir, manifest.find((r) => r.treebank === 'UD_Welsh-CCG' && r.split === 'test')!.file);
    expect(await run(['ud', 'validate', join(fixtures, 'good.conllu'), real], io)).toBe(EXIT.ok);
    expect(io.out()).toBe('OK: 2 files valid\n');
  });

  it("run(['ud', 'validate', missing]) reports an unreadable file as a problem line and exits 1", async () => {
    const io = bufferIo();
    expect(await run(['ud', 'validate', 'no-such-file.conllu'], io)).toBe(EXIT.failure);
    expect(io.out()).toMatch(/^no-such-file\.conllu:0:0: Cannot read the file: .* read-error\n$/);
  });

  it('run(argv) exits 2 for usage errors: unknown command, unknown option, missing or extra arguments', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['ud', 'stats', '--bogus'], /Unknown option '--bogus'/],
      [['ud', 'validate'], /'ud validate' needs an argument/],
      [['ud', 'stats', 'a', 'b'], /takes at most 1 argument, but got 2/],
      [['ud', 'validate', 'x', '--max', 'zero'], /--max must be a positive integer/],
    ];
    for (const [argv, message] of cases) {
      const io = bufferIo({ env });
      expect(await run(argv, io), argv.join(' ')).toBe(EXIT.usage);
      expect(io.err()).toMatch(message);
      expect(io.err()).toMatch(/Run 'xling .*--help' for usage\.\n$/);
    }
  });

  it("run(['ud']) lists the ud commands", async () => {
    const io = bufferIo();
    expect(await run(['ud', '--help'], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/ud stats/);
    expect(io.out()).not.toMatch(/ {2}demo /);
  });

  it('run(argv) exits 70 with "internal error, please report" and the stack for a bug', async () => {
    const broken: Command = {
      name: 'boom',
      summary: 'throws',
      usage: '',
      options: {},
      positionals: { min: 0, max: 0 },
      examples: [],
      run: async () => {
        throw new TypeError('cannot read properties of undefined');
      },
    };
    const io = bufferIo();
    expect(await run(['boom'], io, [broken])).toBe(EXIT.internal);
    expect(io.err()).toMatch(
      /^xling: internal error, please report it with the lines below:\nTypeError: cannot read/,
    );
    expect(io.err()).toMatch(/\n {4}at /);
  });

  it("run(['--version']) prints the package version", async () => {
    const io = bufferIo();
    expect(await run(['--version'], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('src/bin.ts starts with a node shebang', () => {
    expect(
      readFileSync(join(import.meta.dirname, 'bin.ts'), 'utf8').startsWith('#!/usr/bin/env node\n'),
    ).toBe(true);
  });
});

describe('run ud stats --language / --role', () => {
  it("run(['ud', 'stats', '--language', 'ar', '-l', 'cy']) counts the substitute of ar and says so", async () => {
    const io = bufferIo({ env });
    expect(await run(['ud', 'stats', '--language', 'ar', '-l', 'cy'], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/UD_Arabic-PUD +ar +substitute +test +1,000 +20,747 /);
    expect(io.out()).toMatch(/UD_Welsh-CCG +cy +main +train /);
    expect(io.err()).toMatch(
      /xling: ar: UD_Arabic-PADT has no file here: UD_Arabic-PUD .* is used instead\./,
    );
  });

  it("run(['ud', 'stats', '--role', 'target', '--json']) counts the 17 zero-shot targets", async () => {
    const io = bufferIo({ env });
    expect(await run(['ud', 'stats', '--role', 'target', '--json'], io)).toBe(EXIT.ok);
    const stats = JSON.parse(io.out());
    expect(stats.treebanks).toHaveLength(17);
    expect(stats.treebanks.every((t: { testSplit: string }) => t.testSplit === 'test')).toBe(true);
  });

  it("run(['ud', 'stats', '--role', 'source']) exits 2", async () => {
    const io = bufferIo({ env });
    expect(await run(['ud', 'stats', '--role', 'source'], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/--role must be meta-train, target, validation or low-resource/);
  });
});

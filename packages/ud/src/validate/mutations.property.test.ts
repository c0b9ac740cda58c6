import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { FileFormatError, ResourceLimitError, XlingError } from '@xling/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConllu } from '../conllu/parse-conllu.js';
import { readConllu } from '../conllu/read-conllu.js';
import { stringifyConllu } from '../conllu/stringify-conllu.js';
import type { Sentence } from '../conllu/types.js';
import { conlluRules } from './conllu-rules.js';
import type { Diagnostic } from './diagnostic.js';
import { validateConllu } from './validate-conllu.js';

// A fixed seed keeps CI deterministic; set XLING_FUZZ_SEED to explore other inputs locally.
fc.configureGlobal({ seed: Number(process.env.XLING_FUZZ_SEED ?? 20_260_612) });

// Seed documents: the valid fixture, plus real sentences when the shared UD copy is present.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const udDir = process.env.XLING_UD_DIR ?? resolve(repoRoot, '../shared/data/ud');
const seeds: Buffer[] = [
  readFileSync(fileURLToPath(new URL('../__fixtures__/valid.conllu', import.meta.url))),
];
for (const file of ['UD_English-EWT/en_ewt-ud-dev.conllu.gz', 'UD_Polish-PDB/pl_pdb-ud-dev.conllu.gz']) {
  const path = join(udDir, file);
  if (!existsSync(path)) continue;
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  // About 12 sentences: enough for ranges, empty nodes and enhanced deps.
  let end = 0;
  for (let i = 0; i < 12; i++) end = text.indexOf('\n\n', end) + 2;
  seeds.push(Buffer.from(text.slice(0, end), 'utf8'));
}

// Values that hit the level-1/2 rules: whitespace, enhanced DEPS order/heads/relations/roots,
// feature values, MISC attributes, NFC, ids of ranges and empty nodes.
const CELLS = [
  '_',
  '',
  ' ',
  'a  b',
  'A B',
  '0',
  '1',
  '9',
  '1.1',
  '0.1',
  '3-4',
  '2:obj|1:dep',
  '1:dep|1:dep',
  '0:obj',
  '2:Obj',
  '1:obl:в:loc',
  '9.9:ref',
  '1:dep',
  'Case=Nom,Nom',
  'Number=Sing,Plur',
  'Typo=Yes',
  'SpaceAfter=No|SpaceAfter=No',
  'SpaceAfter=Yes',
  'NoSpaceAfter=Yes',
  'e\u0301',
  'root',
  'nmod:poss',
  'PUNCT',
  'x\u3000y',
];
// Comment lines, and a whole one-word sentence without enhanced dependencies.
const LINES = [
  '# newpar',
  '# newpar\n# newpar',
  '# newdoc',
  '# sent_id = z\n# text = z\n1\tz\tz\tX\t_\t_\t0\troot\t_\t_\n',
  '# newdoc id = d',
  '# sent_id = a/b/c',
  '# sent_id = s1',
  '# sent_id',
  '# text = x',
  '# parallel_id = pud/1/alt2',
  '# parallel_id = PUD',
  '# text_en = caf\u0065\u0301',
];

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete-line' | 'duplicate-line' | 'insert-tab' | 'insert-cr' | 'truncate'; at: number }
  | { kind: 'insert-bytes'; at: number; bytes: Uint8Array }
  | { kind: 'set-cell'; at: number; column: number; value: string }
  | { kind: 'insert-comment'; at: number; comment: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constantFrom(
      'delete-line' as const,
      'duplicate-line' as const,
      'insert-tab' as const,
      'insert-cr' as const,
      'truncate' as const,
    ),
    at: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('insert-bytes' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('set-cell' as const),
    at: fc.nat(),
    column: fc.integer({ min: 0, max: 9 }),
    value: fc.constantFrom(...CELLS),
  }),
  fc.record({
    kind: fc.constant('insert-comment' as const),
    at: fc.nat(),
    comment: fc.constantFrom(...LINES),
  }),
);

function lineBounds(bytes: Buffer, at: number): [number, number] {
  const start = bytes.lastIndexOf(10, Math.max(0, at - 1)) + 1;
  const nl = bytes.indexOf(10, at);
  return [start, nl === -1 ? bytes.length : nl + 1];
}

function mutate(input: Buffer, m: Mutation): Buffer {
  if (input.length === 0) return input;
  const at = m.at % input.length;
  switch (m.kind) {
    case 'flip': {
      const out = Buffer.from(input);
      out[at] = m.byte;
      return out;
    }
    case 'delete-line': {
      const [s, e] = lineBounds(input, at);
      return Buffer.concat([input.subarray(0, s), input.subarray(e)]);
    }
    case 'duplicate-line': {
      const [s, e] = lineBounds(input, at);
      return Buffer.concat([input.subarray(0, e), input.subarray(s, e), input.subarray(e)]);
    }
    case 'insert-tab':
      return Buffer.concat([input.subarray(0, at), Buffer.from('\t'), input.subarray(at)]);
    case 'insert-cr':
      return Buffer.concat([input.subarray(0, at), Buffer.from('\r'), input.subarray(at)]);
    case 'truncate':
      return input.subarray(0, at);
    case 'insert-bytes':
      return Buffer.concat([input.subarray(0, at), m.bytes, input.subarray(at)]);
    case 'set-cell': {
      const [s, e] = lineBounds(input, at);
      const line = input.subarray(s, e).toString('utf8');
      const cells = line.replace(/\n$/, '').split('\t');
      if (cells.length !== 10) return input;
      cells[m.column] = m.value;
      return Buffer.concat([input.subarray(0, s), Buffer.from(`${cells.join('\t')}\n`), input.subarray(e)]);
    }
    case 'insert-comment': {
      const [s] = lineBounds(input, at);
      return Buffer.concat([input.subarray(0, s), Buffer.from(`${m.comment}\n`), input.subarray(s)]);
    }
  }
}

const validatorOnly = new Set(conlluRules.filter((r) => r.validatorOnly).map((r) => r.id));
/** Errors of the rules the reader enforces (the validator also checks UD's metadata conventions). */
const readerErrors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => !validatorOnly.has(d.ruleId));

/** Runs `read` and returns 'ok' or the error's code and message; anything but a coded xling error fails. */
async function outcome(read: () => Promise<unknown>): Promise<string> {
  try {
    await read();
    return 'ok';
  } catch (error) {
    expect(XlingError.isInstance(error), String(error)).toBe(true);
    return `${(error as XlingError).code} ${(error as Error).message}`;
  }
}

const document = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, mutations]) => mutations.reduce(mutate, seed));

async function readAll(
  bytes: Buffer,
  chunk: number,
  mode: 'strict' | 'lenient',
  maxLineBytes?: number,
): Promise<Sentence[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const out: Sentence[] = [];
  const options = { mode, file: '<input>', ...(maxLineBytes === undefined ? {} : { maxLineBytes }) };
  for await (const s of readConllu(Readable.from(chunks), options)) out.push(s);
  return out;
}

function longestLine(bytes: Buffer): number {
  let longest = 0;
  for (let from = 0; from <= bytes.length; ) {
    let end = bytes.indexOf(10, from);
    if (end === -1) end = bytes.length;
    longest = Math.max(longest, end - from);
    from = end + 1;
  }
  return longest;
}

describe('random mutations of real sentences', () => {
  it('parseConllu(bytes) returns sentences or throws FileFormatError, never anything else', () => {
    fc.assert(
      fc.property(document, (bytes) => {
        try {
          parseConllu(bytes);
        } catch (error) {
          if (!(error instanceof FileFormatError)) throw error;
          expect(error.line).toBeGreaterThanOrEqual(0);
          expect(XlingError.isInstance(error)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("parseConllu(bytes, { mode: 'lenient' }) never throws and keeps only sentences that are valid and verbatim in the input", () => {
    fc.assert(
      fc.property(document, (bytes) => {
        const kept = parseConllu(bytes, { mode: 'lenient' });
        const text = bytes.toString('utf8');
        for (const sentence of kept)
          expect(text.includes(stringifyConllu([sentence]).slice(0, -1))).toBe(true);
        expect(readerErrors(validateConllu(stringifyConllu(kept), { warnings: false }))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('validateConllu(bytes) never throws and reports reader errors exactly when strict parsing throws', () => {
    fc.assert(
      fc.property(document, (bytes) => {
        const errors = readerErrors(validateConllu(bytes, { warnings: false }));
        let threw = false;
        try {
          parseConllu(bytes);
        } catch {
          threw = true;
        }
        expect(threw).toBe(errors.length > 0);
      }),
      { numRuns: 300 },
    );
  });

  it('readConllu(stream) agrees with parseConllu(bytes) for any chunking, in both modes', async () => {
    await fc.assert(
      fc.asyncProperty(document, fc.integer({ min: 1, max: 300 }), async (bytes, chunk) => {
        expect(await readAll(bytes, chunk, 'lenient')).toEqual(parseConllu(bytes, { mode: 'lenient' }));
        const expected = await outcome(async () => parseConllu(bytes));
        expect(await outcome(() => readAll(bytes, chunk, 'strict'))).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('readConllu(stream, { maxLineBytes }) throws XLING_LIMIT_EXCEEDED exactly when a line is longer', async () => {
    await fc.assert(
      fc.asyncProperty(
        document,
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 20, max: 400 }),
        async (bytes, chunk, limit) => {
          let thrown: unknown;
          try {
            await readAll(bytes, chunk, 'lenient', limit);
          } catch (error) {
            thrown = error;
          }
          if (longestLine(bytes) > limit) {
            expect(thrown).toBeInstanceOf(ResourceLimitError);
            expect((thrown as Error).message).toMatch(/^<input>: line \d+ is longer than \d+ bytes/);
          } else expect(thrown).toBeUndefined();
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('every tricky value in every column and every extra line, at every line of valid.conllu', () => {
  it('validateConllu never throws, strict parsing throws exactly on reader errors, and every sentence-level rule is reached', () => {
    const base = seeds[0].toString('utf8').split('\n');
    const variants: string[] = [];
    base.forEach((line, i) => {
      const cells = line.split('\t');
      for (let column = 0; cells.length === 10 && column < 10; column++) {
        for (const value of CELLS) {
          const changed = [...cells.slice(0, column), value, ...cells.slice(column + 1)].join('\t');
          variants.push([...base.slice(0, i), changed, ...base.slice(i + 1)].join('\n'));
        }
      }
      for (const extra of LINES) variants.push([...base.slice(0, i), extra, ...base.slice(i)].join('\n'));
    });
    const hit = new Set<string>();
    for (const text of variants) {
      const diagnostics = validateConllu(text);
      for (const d of diagnostics) hit.add(d.ruleId);
      let threw = false;
      try {
        parseConllu(text);
      } catch (error) {
        expect(error).toBeInstanceOf(FileFormatError);
        threw = true;
      }
      expect(threw).toBe(readerErrors(diagnostics).some((d) => d.severity === 'error'));
    }
    const sentenceLevel = conlluRules.filter((r) => r.level === 2 || r.validatorOnly).map((r) => r.id);
    expect(sentenceLevel.filter((id) => !hit.has(id))).toEqual([]);
  });
});

describe('inputs that could make a naive tokenizer quadratic', () => {
  it('validateConllu(text) handles 2 MB without a line end, and 200 000 lines without tabs', () => {
    expect(validateConllu('a'.repeat(2_000_000))[0]).toMatchObject({ ruleId: 'column-count', line: 1 });
    const lines = 'x\n'.repeat(200_000);
    const diagnostics = validateConllu(lines, { maxDiagnostics: 5 });
    expect(diagnostics.map((d) => d.ruleId)).toEqual([
      'column-count',
      'column-count',
      'column-count',
      'column-count',
      'column-count',
    ]);
    expect(() => parseConllu(`# c\n${'#'.repeat(1000)}\n`.repeat(20_000))).toThrow(FileFormatError);
    // Spaces inside FORM on every line (as in Vietnamese) are looked at once each.
    const spaced = '1\ta b\ta b\tX\t_\t_\t0\troot\t_\t_\n\n'.repeat(50_000);
    expect(parseConllu(spaced)).toHaveLength(50_000);
  });
});

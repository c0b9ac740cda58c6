import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { FileFormatError, XlingError } from '@xling/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConllu } from '../conllu/parse-conllu.js';
import { readConllu } from '../conllu/read-conllu.js';
import { stringifyConllu } from '../conllu/stringify-conllu.js';
import type { Sentence } from '../conllu/types.js';
import { validateConllu } from './validate-conllu.js';

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

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete-line' | 'duplicate-line' | 'insert-tab' | 'insert-cr' | 'truncate'; at: number }
  | { kind: 'insert-bytes'; at: number; bytes: Uint8Array };

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
  }
}

const document = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, mutations]) => mutations.reduce(mutate, seed));

async function readAll(bytes: Buffer, chunk: number, mode: 'strict' | 'lenient'): Promise<Sentence[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) chunks.push(bytes.subarray(i, i + chunk));
  const out: Sentence[] = [];
  for await (const s of readConllu(Readable.from(chunks), { mode, file: '<input>' })) out.push(s);
  return out;
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
        expect(validateConllu(stringifyConllu(kept), { warnings: false })).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('validateConllu(bytes) never throws and reports exactly when strict parsing throws', () => {
    fc.assert(
      fc.property(document, (bytes) => {
        const errors = validateConllu(bytes, { warnings: false });
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
        let expected: unknown;
        try {
          parseConllu(bytes);
          expected = 'ok';
        } catch (error) {
          expected = (error as Error).message;
        }
        let actual: unknown;
        try {
          await readAll(bytes, chunk, 'strict');
          actual = 'ok';
        } catch (error) {
          actual = (error as Error).message;
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 150 },
    );
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
  });
});

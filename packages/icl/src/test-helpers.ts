import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenerationModel, buildOnnxFromCheckpoint } from '@xling/extract';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '__fixtures__');
/** The tiny random decoders of @xling/extract (scripts/golden/build/make_checkpoints.py). */
const CHECKPOINTS = join(here, '..', '..', 'extract', 'src', '__fixtures__', 'build');

/** The golden file of scripts/golden/icl/make_icl_golden.py. */
export interface IclGolden {
  labels: string[];
  demonstrations: { words: string[]; tags: string[] }[];
  sentences: { words: string[]; tags: string[] }[];
  cases: {
    name: string;
    family: 'llama' | 'qwen2';
    k: number;
    scoring: 'mean' | 'sum';
    labels: 'all' | 'seen';
    teacher_forcing: boolean;
    layers: number[];
    candidates: string[];
    results: { scores: number[][]; predicted: string[]; hidden_states?: number[][][] }[];
  }[];
}

export async function readGolden(): Promise<IclGolden> {
  return JSON.parse(await readFile(join(FIXTURES, 'icl-golden.json'), 'utf8'));
}

/** Fixture decoders built into a temp dir, with the golden script's WordPiece tokenizer. */
export class FixtureModels {
  private dir = '';
  private readonly models = new Map<string, GenerationModel>();

  async get(family: 'llama' | 'qwen2'): Promise<GenerationModel> {
    if (!this.models.has(family)) {
      this.dir ||= await mkdtemp(join(tmpdir(), 'xling-icl-'));
      const out = join(this.dir, family);
      await buildOnnxFromCheckpoint(join(CHECKPOINTS, family), out);
      await copyFile(join(FIXTURES, 'icl-tokenizer.json'), join(out, 'tokenizer.json'));
      this.models.set(family, await GenerationModel.load(out));
    }
    return this.models.get(family)!;
  }

  async dispose(): Promise<void> {
    for (const model of this.models.values()) await model.dispose();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Largest |actual - expected| over all entries (Infinity for NaN or a length mismatch). */
export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= max)) max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return max;
}

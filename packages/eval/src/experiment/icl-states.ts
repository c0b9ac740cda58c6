import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deprel, upos, writeFileAtomic } from '@xling/core';
import { type IclTask, type TaggedSentence, sampleDemonstrations, structuredPrompting } from '@xling/icl';
import type { InstanceSet } from '@xling/meta';
import { type IclContext, promptOptions, tagger } from './icl-context.js';
import type { IclLanguage, IclLanguages } from './icl-languages.js';
import { iclFitLanguages, iclStatesId } from './icl-units.js';
import { sampleInOrder } from './read-split.js';

/** What a states file's JSON half holds; the `.f32` half is `rows × layers × hiddenSize`. */
interface StatesHeader {
  layers: number[];
  hiddenSize: number;
  /** Label id (index in the task's inventory) of each row. */
  labels: number[];
  sentenceOffsets: number[];
}

/** ICL states by `<task>/<language>/<split>`, one instance set per layer (in `icl.layers` order). */
export type IclStateTable = Map<string, InstanceSet[]>;

export const stateId = (task: IclTask, language: string, split: 'fit' | 'test') =>
  `${task}/${language}/${split}`;

/**
 * The decoder's hidden states at each word's tag-prediction position (the last token of ` w_i_`),
 * with the gold tags fed back, for every split the concept analysis reads: the fitting split of
 * the source, of the ICL meta-training languages and of the targets that have one, and the
 * targets' test samples.
 *
 * Which demonstrations: one run (the seed's first set) with the language's own fitting split as
 * the pool where it has one — the states of a language in its own context, MEGA's stronger
 * monolingual setting, and the source's states come from the very prompts its prototypes describe —
 * else (test-only treebanks) with the source's. States of a fitting split leave out the sentences
 * of its demonstration set. Each split is saved as `states/<task>/<language>.<split>.{f32,json}`
 * (the JSON last, so a complete pair is what resumes). A shard writes only its splits and
 * returns an empty table.
 */
export async function iclStates(
  context: IclContext,
  data: IclLanguages,
  layers: number[],
): Promise<IclStateTable> {
  const tagged = tagger();
  const table: IclStateTable = new Map();
  const { units } = context;
  for (const task of context.icl.tasks) {
    const sourcePool = tagged(data.source.pool!, task);
    const states = async (who: IclLanguage, split: 'fit' | 'test') => {
      const language = who.language.language;
      if (!units.handles(iclStatesId(task, language, split))) return;
      const sets = await splitStates(context, task, who, split, {
        own: who.pool && tagged(who.pool, task),
        sourcePool,
        test: split === 'test' ? tagged(who.test!, task) : undefined,
        layers,
      });
      if (units.assembles) table.set(stateId(task, language, split), sets);
    };
    for (const who of iclFitLanguages(data)) await states(who, 'fit');
    for (const who of data.targets) await states(who, 'test');
  }
  return table;
}

async function splitStates(
  context: IclContext,
  task: IclTask,
  who: IclLanguage,
  split: 'fit' | 'test',
  input: { own?: TaggedSentence[]; sourcePool: TaggedSentence[]; test?: TaggedSentence[]; layers: number[] },
): Promise<InstanceSet[]> {
  const language = who.language.language;
  const base = join(context.dir, iclStatesId(task, language, split));
  if (!existsSync(`${base}.json`)) {
    const { own, sourcePool, layers } = input;
    const pool = own ?? sourcePool;
    const set = sampleDemonstrations(pool, { k: context.icl.k, runs: 1, seed: context.config.seed })[0];
    const chosen = new Set(set);
    const sentences =
      input.test ??
      sampleInOrder(
        pool.filter((_, i) => !chosen.has(i)),
        context.icl.maxSentences,
        context.config.seed,
        `icl-states/${who.language.treebank.name}`,
      );
    const report = await structuredPrompting(
      context.model,
      sentences,
      { from: own ? 'target' : 'source', sentences: pool },
      {
        ...promptOptions(context, task, `${task} ${language} ${split} states (teacher forcing)`),
        demonstrationSets: [set],
        teacherForcing: true,
        layers,
      },
    );
    await writeStates(base, task, sentences, report.runs[0].sentences, layers);
  }
  return readStates(base, task, language);
}

/** Writes the states of the sentences that fit the context (skipped ones are left out). */
async function writeStates(
  base: string,
  task: IclTask,
  sentences: readonly TaggedSentence[],
  results: readonly { hiddenStates?: Float32Array; skipped?: string }[],
  layers: number[],
): Promise<void> {
  const inventory = task === 'upos' ? upos : deprel;
  const header: StatesHeader = { layers, hiddenSize: 0, labels: [], sentenceOffsets: [0] };
  const chunks: Float32Array[] = [];
  results.forEach((result, i) => {
    if (result.skipped !== undefined || !result.hiddenStates) return;
    const words = sentences[i].tags.length;
    header.hiddenSize = result.hiddenStates.length / (words * layers.length);
    header.labels.push(...sentences[i].tags.map((tag) => inventory.id(tag)));
    header.sentenceOffsets.push(header.labels.length);
    chunks.push(result.hiddenStates);
  });
  const data = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.length;
  }
  await writeFileAtomic(`${base}.f32`, new Uint8Array(data.buffer));
  await writeFileAtomic(`${base}.json`, `${JSON.stringify(header)}\n`);
}

/** A states file as one instance set per layer. */
async function readStates(base: string, task: IclTask, language: string): Promise<InstanceSet[]> {
  const header = JSON.parse(await readFile(`${base}.json`, 'utf8')) as StatesHeader;
  const bytes = await readFile(`${base}.f32`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const rows = header.labels.length;
  const { hiddenSize: d, layers } = header;
  return layers.map((_, l) => {
    const x = new Float32Array(rows * d);
    for (let r = 0; r < rows; r++)
      x.set(all.subarray((r * layers.length + l) * d, (r * layers.length + l + 1) * d), r * d);
    return {
      x: { rows, cols: d, data: x },
      labels: Int32Array.from(header.labels),
      sentenceOffsets: Int32Array.from(header.sentenceOffsets),
      numLabels: (task === 'upos' ? upos : deprel).size,
      task,
      language,
    };
  });
}

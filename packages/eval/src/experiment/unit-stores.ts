import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type RepresentationKey, RepresentationStore, XlingError, writeFileAtomic } from '@xling/core';

// A sharded extraction writes each unit into a store of its own (`<outDir>/store-units/<unit>/`)
// rather than into `<outDir>/store/`: the store has one writer at a time, so shards writing one
// store would run one after another. The next unsharded run adopts the units' entries in the
// single-process order, so its store is byte for byte what one process writes.

const doneFile = (unitsDir: string, unitId: string) => join(unitsDir, 'done', `${unitId}.json`);

/** Opens the store of unit `unitId` when it exists (or `create`s it). */
async function openUnitStore(
  unitsDir: string,
  unitId: string,
  create = false,
): Promise<RepresentationStore | undefined> {
  const dir = join(unitsDir, unitId);
  return create || existsSync(dir) ? RepresentationStore.open(dir) : undefined;
}

/**
 * The store a shard extracts unit `unitId` into, once its keys are known: `main` when it already
 * holds them all (nothing to do), else the unit's own store. Says which of the two.
 */
export async function shardStoreFor(
  unitsDir: string,
  unitId: string,
  keys: RepresentationKey[],
  main: RepresentationStore,
): Promise<{ store: RepresentationStore; complete: boolean }> {
  if (keys.every((key) => main.isComplete(key))) return { store: main, complete: true };
  const store = (await openUnitStore(unitsDir, unitId, true)) as RepresentationStore;
  return { store, complete: keys.every((key) => store.isComplete(key)) };
}

/**
 * The store a claiming shard reads unit `unitId` from once its claimer finished it: `main` when it
 * holds all `keys`, else the unit's own store.
 * @throws XLING_STORE_INCOMPLETE when the unit's store lacks a key after all.
 */
export async function unitStoreToRead(
  unitsDir: string,
  unitId: string,
  keys: RepresentationKey[],
  main: RepresentationStore,
): Promise<RepresentationStore> {
  if (keys.every((key) => main.isComplete(key))) return main;
  const own = await openUnitStore(unitsDir, unitId);
  const missing = keys.find((key) => own?.isComplete(key) !== true);
  if (missing) {
    throw new XlingError(
      'XLING_STORE_INCOMPLETE',
      `The extraction unit '${unitId}' in '${unitsDir}' was finished but lacks ${missing.treebank}/${missing.split} layer ${missing.layer}; rerun the same command.`,
    );
  }
  return own as RepresentationStore;
}

/** Records that a shard finished unit `unitId` with these keys (for progress and re-submission). */
export async function markUnitDone(
  unitsDir: string,
  unitId: string,
  keys: RepresentationKey[],
): Promise<void> {
  await writeFileAtomic(doneFile(unitsDir, unitId), `${JSON.stringify({ unit: unitId, keys }, null, 2)}\n`);
}

/** Whether unit `unitId` is finished: marked done and every key complete in `main` or its store. */
export async function isUnitDone(
  unitsDir: string,
  unitId: string,
  main: RepresentationStore,
): Promise<boolean> {
  if (!existsSync(doneFile(unitsDir, unitId))) return false;
  const { keys } = JSON.parse(await readFile(doneFile(unitsDir, unitId), 'utf8')) as {
    keys: RepresentationKey[];
  };
  const own = await openUnitStore(unitsDir, unitId);
  return keys.every((key) => main.isComplete(key) || own?.isComplete(key) === true);
}

/**
 * Moves the complete entries of `keys` that unit `unitId`'s store holds (from a model with
 * `fingerprint`) into `main`, in the unit store's order (the order its extraction began them, a
 * single process's order), by linking their files (RepresentationStore.adopt: the same bytes, not
 * rewritten), and removes the unit's store once `main` holds all of its entries.
 */
export async function adoptUnit(
  unitsDir: string,
  unitId: string,
  keys: RepresentationKey[],
  main: RepresentationStore,
  fingerprint: string,
): Promise<void> {
  const own = await openUnitStore(unitsDir, unitId);
  if (!own) return;
  const wanted = new Set(keys.map(keyId));
  const entries = own.list().filter((e) => wanted.has(keyId(e.key)) && e.fingerprint === fingerprint);
  await main.adopt(
    own,
    entries.map((e) => e.key),
  );
  if (own.list().every((entry) => main.isComplete(entry.key)))
    await rm(own.dir, { recursive: true, force: true });
}

const keyId = (k: RepresentationKey) => [k.model, k.layer, k.pooling, k.treebank, k.split].join('\u0000');

import { describe, expect, it } from 'vitest';
import { checkShard, shardOfUnit, unitId, unitsOfShard } from './extraction-units.js';

const units = [
  'UD_German-GSD.train.cap40',
  'UD_English-EWT.dev.cap20',
  'UD_English-EWT.train.cap40',
  'UD_French-GSD.test.cap20',
  'UD_English-EWT.test.cap20',
].map((id) => ({ id }));
const ids = (list: Array<{ id: string }>) => list.map((u) => u.id);

describe('extraction units', () => {
  it('unitId(treebank, split, cap) is a safe folder name made of the three', () => {
    expect(unitId({ name: 'UD_English-EWT' }, 'train', 40)).toBe('UD_English-EWT.train.cap40');
    expect(unitId({ name: '../x y' }, 'test', 5)).toBe('_x_y.test.cap5');
  });

  it('unitsOfShard deals the id-sorted units round-robin: every unit in exactly one shard, sizes within one', () => {
    const shards = [0, 1, 2].map((index) => ids(unitsOfShard(units, { index, count: 3 })));
    expect(shards).toEqual([
      ['UD_English-EWT.dev.cap20', 'UD_French-GSD.test.cap20'],
      ['UD_English-EWT.test.cap20', 'UD_German-GSD.train.cap40'],
      ['UD_English-EWT.train.cap40'],
    ]);
    expect(shards.flat().sort()).toEqual(ids(units).sort());
  });

  it('the assignment does not depend on the input order, and shardOfUnit agrees with it', () => {
    const reversed = [...units].reverse();
    for (let index = 0; index < 4; index++) {
      const mine = ids(unitsOfShard(reversed, { index, count: 4 }));
      expect(mine).toEqual(ids(unitsOfShard(units, { index, count: 4 })));
      for (const id of mine) expect(shardOfUnit(units, id, 4)).toBe(index);
    }
    expect(ids(unitsOfShard(units, { index: 0, count: 1 }))).toEqual(ids(units).sort());
  });

  it('checkShard rejects an index outside 0..count-1 and non-integers with XLING_INVALID_ARGUMENT', () => {
    for (const shard of [
      { index: 4, count: 4 },
      { index: -1, count: 4 },
      { index: 0, count: 0 },
      { index: 0.5, count: 2 },
    ]) {
      expect(() => checkShard(shard, 'f')).toThrow(
        expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
      );
    }
    expect(() => checkShard({ index: 3, count: 4 }, 'f')).not.toThrow();
  });
});

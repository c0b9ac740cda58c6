import { describe, expect, it } from 'vitest';
import { tasksOf } from './chain-report.js';

describe('chain report', () => {
  it("tasksOf reads scontrol's ArrayTaskId: one task, ranges, steps and a throttle", () => {
    expect(tasksOf('3')).toEqual([3]);
    expect(tasksOf('0-3')).toEqual([0, 1, 2, 3]);
    expect(tasksOf('1,4-8:2')).toEqual([1, 4, 6, 8]);
    expect(tasksOf('0-2%2')).toEqual([0, 1, 2]);
  });
});

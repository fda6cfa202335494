/** The thread-count rule (see server/model/threads.ts for the measurements behind it). */
import { describe, expect, it } from 'vitest';
import { chooseThreads, singleThreadParameterLimit } from '../../../server/model/threads';

describe('chooseThreads', () => {
  it('uses one thread for small models, whatever the machine', () => {
    expect(chooseThreads(4_500_000, 2, 0)).toBe(1);
    expect(chooseThreads(20_000_000, 64, 0)).toBe(1);
  });
  it('uses all cores but one (at most 8) for large models', () => {
    expect(chooseThreads(singleThreadParameterLimit, 2, 0)).toBe(1);
    expect(chooseThreads(1_500_000_000, 4, 0)).toBe(3);
    expect(chooseThreads(1_500_000_000, 32, 0)).toBe(8);
    expect(chooseThreads(1_500_000_000, 1, 0)).toBe(1);
  });
  it('obeys an explicit setting', () => {
    expect(chooseThreads(4_500_000, 2, 2)).toBe(2);
    expect(chooseThreads(4_500_000, 2, -1)).toBe(1);
  });
});

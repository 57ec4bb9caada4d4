import { BatchIndex } from '../src/log/batch-index';
import type { BatchEntry } from '../src/log/segment';

describe('BatchIndex (typed-array batch index of a segment)', () => {
  it('returns exactly the entries pushed, in order, for offsets and timestamps up to 2^53', () => {
    const index = new BatchIndex();
    const model: BatchEntry[] = [];
    let offset = 2 ** 52;
    let position = 0;
    for (let i = 0; i < 5000; i++) {
      const records = 1 + (i % 37);
      const e: BatchEntry = {
        baseOffset: offset,
        lastOffset: offset + records - 1,
        position,
        size: 61 + ((i * 7919) % 20000),
        maxTimestamp: 1_780_000_000_000 + i * 13,
        producerId: i % 5 === 0 ? -1 : 2 ** 40 + i,
        producerEpoch: i % 5 === 0 ? -1 : i % 32767,
        baseSequence: i % 5 === 0 ? -1 : (i * 3) % 2147483647,
        attributes: i % 3 === 0 ? 0x30 : i % 5,
      };
      index.push(e);
      model.push(e);
      offset += records;
      position += e.size;
      if (i % 499 === 0) {
        expect(index.length).toBe(model.length);
        expect(index.get(i)).toEqual(e);
      }
    }
    expect([...index]).toEqual(model);
    model.forEach((e, i) => expect(index.lastOffsetAt(i)).toBe(e.lastOffset));
    expect(index.maxTimestampOverall()).toBe(Math.max(...model.map((e) => e.maxTimestamp)));
    expect(index.get(-1)).toBeUndefined();
    expect(index.get(model.length)).toBeUndefined();
    // 44 bytes a batch, at most doubled by the capacity growth.
    expect(index.retainedBytes).toBeLessThanOrEqual(2 * 44 * model.length);
  });

  it('is empty when new', () => {
    const index = new BatchIndex();
    expect(index.length).toBe(0);
    expect([...index]).toEqual([]);
    expect(index.maxTimestampOverall()).toBe(-1);
  });
});

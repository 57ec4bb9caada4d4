import { threadTickMs } from '../../src/processor/internals/stream-thread';

describe('threadTickMs: how often an idle stream thread looks for a due commit or punctuation', () => {
  it("is at most Kafka Streams' poll.ms (100 ms) whatever the commit interval", () => {
    // A tick as long as the interval let an idle thread commit up to two intervals after its last record.
    for (const interval of [100, 500, 1000, 30_000, 300_000]) expect(threadTickMs(interval)).toBe(100);
  });

  it('is the commit interval when that is shorter (a commit is never more than one tick late)', () => {
    expect(threadTickMs(50)).toBe(50);
    expect(threadTickMs(20)).toBe(20);
    expect(threadTickMs(1)).toBe(10);
  });

  it('is 100 ms for commitIntervalMs 0 (commit after every processed batch)', () => {
    expect(threadTickMs(0)).toBe(100);
  });
});

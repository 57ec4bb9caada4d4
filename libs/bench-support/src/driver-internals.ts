/**
 * The test driver's internals the micro-benchmarks drive (`TopologyTestDriver` of `@gmart/streams/testing`):
 * records handed to the tasks directly, commits when the benchmark says, instead of the driver's
 * commit after every piped record (which never lets a record cache fill). `O`: the type of the
 * output records the benchmark reads.
 */
export interface DriverInternals<O = unknown> {
  processOne(topic: string, key: Buffer | null, value: Buffer | null, ts: number, headers: object): void;
  /** Records written to the driver's internal topics, not yet processed. */
  pending: Array<{
    topic: string;
    key: Buffer | null;
    value: Buffer | null;
    timestamp: number;
    headers: object;
  }>;
  outputs: Map<string, O[]>;
  tasks: Array<{ prepareCommit(): Promise<void> }>;
}

/** `driver`'s internals (see {@link DriverInternals}). */
export function driverInternals<O = unknown>(driver: object): DriverInternals<O> {
  return driver as unknown as DriverInternals<O>;
}

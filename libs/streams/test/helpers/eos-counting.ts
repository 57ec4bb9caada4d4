import { createTopics, produce, readCommitted } from '@gmart/test-support';
import type { ChildApp, Consumed, TestBroker } from '@gmart/test-support';
import { startChildHelper } from './child-helper';

/** The topics and application id one run of `eos-counting-child.ts` uses. */
export interface CountingApp {
  readonly applicationId: string;
  readonly input: string;
  readonly output: string;
}

/**
 * Starts one instance of `eos-counting-child.ts` (`groupByKey().count()`, one `key -> count`
 * record per input record) under `guarantee` (default `exactly_once_v2`), as client `clientId` on
 * `stateDir`; it prints `RUNNING` on each RUNNING state (see {@link ChildApp.printed}).
 */
export function startCountingInstance(
  brokers: readonly string[],
  app: CountingApp,
  clientId: string,
  stateDir: string,
  env: Record<string, string> = {},
  guarantee: 'exactly_once_v2' | 'at_least_once' = 'exactly_once_v2',
): ChildApp {
  return startChildHelper(
    'eos-counting-child',
    [brokers.join(','), app.applicationId, app.input, app.output, stateDir, guarantee, clientId],
    { env },
  );
}

/**
 * Asserts the exactly-once model of the counting output: per key of `expected` (key -> how many
 * input records it had) the counts 1..n, each exactly once, in `records`.
 */
export function expectEveryCountOnce(
  records: readonly Consumed[],
  expected: ReadonlyMap<string, number>,
): void {
  const counts = new Map<string, number[]>();
  for (const r of records) counts.set(r.key!, [...(counts.get(r.key!) ?? []), Number(r.value!.toString())]);
  for (const [key, n] of expected) {
    const seen = (counts.get(key) ?? []).sort((x, y) => x - y);
    expect({ key, seen }).toEqual({ key, seen: Array.from({ length: n }, (_, i) => i + 1) });
  }
}

/**
 * One run of the counting app on a test broker: its topics, the input sent to it with the model of
 * that input (per key, how many records), and its output as a read_committed consumer sees it.
 */
export class CountingRun {
  /** Per key, how many input records were sent. */
  readonly expected = new Map<string, number>();
  private sent = 0;

  private constructor(
    private readonly env: TestBroker,
    readonly app: CountingApp,
    private readonly keys: number,
    private readonly partitions: number,
  ) {}

  /** Creates the run's input and output topics, `partitions` partitions each. */
  static async create(
    env: TestBroker,
    app: CountingApp,
    options: { keys: number; partitions: number },
  ): Promise<CountingRun> {
    await createTopics(env.kafka, [
      { topic: app.input, numPartitions: options.partitions },
      { topic: app.output, numPartitions: options.partitions },
    ]);
    return new CountingRun(env, app, options.keys, options.partitions);
  }

  /** Input records sent so far. */
  get produced(): number {
    return this.sent;
  }

  /** Sends `n` input records (record i: key `k<(7 i) mod keys>`, value `v<i>`), counted in the model. */
  async send(n: number): Promise<void> {
    const records = Array.from({ length: n }, (_, j) => {
      const key = `k${((this.sent + j) * 7) % this.keys}`;
      this.expected.set(key, (this.expected.get(key) ?? 0) + 1);
      return { key, value: `v${this.sent + j}` };
    });
    this.sent += n;
    await produce(this.env.kafka, this.app.input, records);
  }

  /** True while a transaction holds records of an output partition (its last stable offset behind its end). */
  openTransaction(): boolean {
    for (let p = 0; p < this.partitions; p++) {
      const log = this.env.broker.logManager.partition(this.app.output, p)!;
      if (log.lastStableOffset < log.highWatermark) return true;
    }
    return false;
  }

  /** The output as a read_committed consumer sees it. */
  committedOutput(): Promise<Consumed[]> {
    return readCommitted(this.env.kafka, this.app.output);
  }
}

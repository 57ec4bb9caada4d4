import type { ChildApp, Consumed } from '@gmart/test-support';
import { startChildHelper } from './child-helper';

/** The topics and application id one run of `eos-counting-child.ts` uses. */
export interface CountingApp {
  readonly applicationId: string;
  readonly input: string;
  readonly output: string;
}

/**
 * Starts one instance of `eos-counting-child.ts` (`groupByKey().count()`, one `key -> count`
 * record per input record) under `exactly_once_v2`, as client `clientId` on `stateDir`; it prints
 * `RUNNING` on each RUNNING state (see {@link ChildApp.printed}).
 */
export function startCountingInstance(
  brokers: readonly string[],
  app: CountingApp,
  clientId: string,
  stateDir: string,
  env: Record<string, string> = {},
): ChildApp {
  return startChildHelper(
    'eos-counting-child',
    [brokers.join(','), app.applicationId, app.input, app.output, stateDir, 'exactly_once_v2', clientId],
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

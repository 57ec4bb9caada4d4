import type { Kafka } from 'kafkajs';
import { committedOffsets, waitFor } from '@gmart/test-support';
import { endOffsetSum } from '../local-stack/topic-reader';

/** How the records found at an output compare with the keys sent in. */
export interface Delivery {
  /** Distinct expected keys found. */
  readonly distinct: number;
  /** Expected keys not found. */
  readonly lost: number;
  /** Records beyond the first of each key. */
  readonly duplicates: number;
  /** Keys found that were never sent. */
  readonly unexpected: number;
}

/** Compares the keys read from an output (`found`, repeats included) with the keys sent (`expected`). */
export function compareKeys(expected: Iterable<string>, found: Iterable<string | null>): Delivery {
  const want = new Set(expected);
  const seen = new Set<string>();
  let duplicates = 0;
  let unexpected = 0;
  for (const k of found) {
    if (k === null || !want.has(k)) unexpected++;
    else if (seen.has(k)) duplicates++;
    else seen.add(k);
  }
  return { distinct: seen.size, lost: want.size - seen.size, duplicates, unexpected };
}

/** Records of `groupId` committed on `topic`, summed over partitions (nothing committed counts 0). */
export async function committedSum(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  let sum = 0;
  for (const o of (await committedOffsets(kafka, groupId, topic)).values()) sum += Math.max(0, o);
  return sum;
}

/** Waits until `groupId` committed every record of `topic` (lag 0); throws naming the lag after `timeoutMs`. */
export async function waitForNoLag(
  kafka: Kafka,
  groupId: string,
  topic: string,
  timeoutMs: number,
): Promise<void> {
  let lag = -1;
  try {
    await waitFor(
      async () => {
        lag = (await endOffsetSum(kafka, topic)) - (await committedSum(kafka, groupId, topic));
        return lag <= 0;
      },
      timeoutMs,
      `${groupId} to consume ${topic}`,
      1000,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message} (lag ${lag})`);
  }
}

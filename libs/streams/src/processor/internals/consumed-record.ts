import type { ConsumedRaw } from './consumed-raw';

/** What a consumed record carries besides its topic and partition (a `FetchedRecord` is one). */
export type ConsumedBytes = Omit<ConsumedRaw, 'topic' | 'partition'>;

/**
 * The task's record of a fetched record of `topic`'s `partition`. Every consumed record is made here,
 * as one object shape (the same properties in the same order, `undecodable` included when unset), so
 * that the processing path that reads them stays monomorphic.
 */
export function consumedRecord(topic: string, partition: number, r: ConsumedBytes): ConsumedRaw {
  return {
    topic,
    partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key,
    value: r.value,
    headers: r.headers,
    undecodable: r.undecodable,
  };
}

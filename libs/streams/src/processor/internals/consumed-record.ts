import type { ConsumedRaw } from './consumed-raw';

/** What a consumed record carries besides its topic and partition (a `FetchedRecord` is one). */
export type ConsumedBytes = Omit<ConsumedRaw, 'topic' | 'partition'>;

/**
 * The task's record of a fetched record of `topic`'s `partition`. Every consumed record is made here,
 * as one object shape (the same properties in the same order, `undecodable` included when unset), so
 * that the processing path that reads them stays monomorphic; a client adapter may make its fetched
 * records in this shape already (with their topic and partition), which are then used as they are.
 */
export function consumedRecord(topic: string, partition: number, r: ConsumedBytes): ConsumedRaw {
  // A client's record that already is one of this topic-partition (kafkajs' adapter makes them in
  // this shape) is taken as it is: no copy per record.
  const own = r as Partial<ConsumedRaw>;
  if (own.topic === topic && own.partition === partition) return r as ConsumedRaw;
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

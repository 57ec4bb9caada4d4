import type { Headers } from '../../serialization/serde';

/** A consumed record as bytes, as the task receives it. */
export interface ConsumedRaw {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Headers;
  /** Set when the record stands for a batch the client could not decode (see `FetchedRecord`). */
  readonly undecodable?: Error;
}

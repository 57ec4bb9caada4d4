import { Headers } from '../serialization/serde';

/** A record read from or piped into the test driver. */
export class TestRecord<K, V> {
  constructor(
    readonly key: K | null,
    readonly value: V | null,
    readonly timestamp: number,
    readonly headers: Headers = {},
  ) {}
}

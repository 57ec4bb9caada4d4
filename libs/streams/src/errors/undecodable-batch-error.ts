import { SerializationError } from './serialization-error';

/**
 * A record batch the client could not decompress or decode (a codec the client does not have, or
 * corrupt compressed bytes). It reaches the deserialization exception handler once per batch, at
 * the batch's last offset: `CONTINUE` skips the batch (and writes a dead-letter record with this
 * message when a dead-letter topic is configured), `FAIL` stops the task naming topic, partition,
 * offsets and codec. The batch's bytes stay in the input topic for inspection.
 */
export class UndecodableBatchError extends SerializationError {
  constructor(
    readonly topic: string,
    readonly partition: number,
    /** First and last offset the batch covers. */
    readonly firstOffset: number,
    readonly lastOffset: number,
    /** `gzip`, `snappy`, `lz4`, `zstd`, or `unknown(<id>)`. */
    readonly codec: string,
    cause: unknown,
  ) {
    super(
      `Record batch of ${topic}-${partition} at offsets ${firstOffset}..${lastOffset} (codec ${codec}) cannot be decoded: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}

import type { ChangelogRecord } from '../../processor/state-store';

/** A record read from a topic that a timestamped store restores from (its key may be null). */
export interface PlainTopicRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp: number;
  readonly offset: number;
}

/**
 * Kafka Streams' `RecordConverters.rawValueToTimestampedValue`, for a timestamped store restored
 * from a topic of plain values (a global table's topic, or a table's source topic reused as its
 * changelog): each value is prefixed with its record's 8-byte big-endian timestamp, the store's
 * format; a null value stays a tombstone; records without a key are skipped. The values of a batch
 * share one buffer (one allocation per batch, not per record).
 */
export function toTimestampedChangelogRecords(records: readonly PlainTopicRecord[]): ChangelogRecord[] {
  let bytes = 0;
  for (const r of records) if (r.key !== null && r.value !== null) bytes += 8 + r.value.length;
  const values = Buffer.allocUnsafe(bytes);
  let at = 0;
  const batch: ChangelogRecord[] = [];
  for (const r of records) {
    if (r.key === null) continue;
    let value: Buffer | null = null;
    if (r.value !== null) {
      const ts = r.timestamp;
      const high = Math.floor(ts / 0x1_0000_0000); // the 64-bit big-endian timestamp, without a BigInt
      values.writeInt32BE(high, at);
      values.writeUInt32BE(ts - high * 0x1_0000_0000, at + 4);
      r.value.copy(values, at + 8);
      const end = at + 8 + r.value.length;
      value = values.subarray(at, end);
      at = end;
    }
    batch.push({ key: r.key, value, timestamp: r.timestamp, offset: r.offset });
  }
  return batch;
}

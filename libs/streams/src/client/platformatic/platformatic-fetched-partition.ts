import type { Headers } from '../../serialization/serde';
import type { FetchedRecord } from '../kafka-client';

/** Records of one partition from one fetch response, in the runtime's form. */
export interface FetchedPartition {
  records: FetchedRecord[];
  highWatermark: number;
  /** The offset after the last batch returned (control batches included). */
  nextOffset: number;
  error?: Error;
}

/** Record headers as the runtime's: a repeated header keeps its last value. */
export function toHeaders(entries: ReadonlyArray<[Buffer | null, Buffer | null]>): Headers {
  const out: Headers = {};
  for (const [k, v] of entries) if (k) out[k.toString()] = v ?? undefined;
  return out;
}

/**
 * The records of a fetch response's partition at or after `from` (a fetch may return a batch that
 * starts earlier); control batches (transaction markers) are skipped but move `nextOffset` past them.
 */
export function toFetchedPartition(
  p: {
    highWatermark: bigint;
    records?: Array<
      import('@platformatic/kafka', { with: { 'resolution-mode': 'import' } }).RecordsBatch
    > | null;
  },
  from: number,
): FetchedPartition {
  const records: FetchedRecord[] = [];
  let nextOffset = from;
  for (const batch of p.records ?? []) {
    const base = Number(batch.firstOffset);
    nextOffset = Math.max(nextOffset, base + batch.lastOffsetDelta + 1);
    if (batch.attributes & 0x20) continue; // control batch (transaction marker)
    const ts = batch.firstTimestamp;
    for (const r of batch.records) {
      const offset = base + r.offsetDelta;
      if (offset < from) continue;
      records.push({
        offset,
        timestamp: Number(ts + r.timestampDelta),
        key: r.key ?? null,
        value: r.value ?? null,
        headers: r.headers.length ? toHeaders(r.headers) : {},
      });
    }
  }
  return { records, highWatermark: Number(p.highWatermark), nextOffset };
}

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
 * Under read_committed the broker lists the aborted transactions the response covers: their data
 * batches are skipped as Kafka's consumer does (a producer's batches are aborted from the listed
 * first offset until its abort marker). The client's own filter keeps one range per producer, so a
 * second aborted transaction of the same producer in one response would reach the runtime.
 */
export function toFetchedPartition(
  p: {
    highWatermark: bigint;
    abortedTransactions?: ReadonlyArray<{ producerId: bigint; firstOffset: bigint }> | null;
    records?: Array<
      import('@platformatic/kafka', { with: { 'resolution-mode': 'import' } }).RecordsBatch
    > | null;
  },
  from: number,
): FetchedPartition {
  const records: FetchedRecord[] = [];
  let nextOffset = from;
  const pendingAborts = [...(p.abortedTransactions ?? [])].sort((a, b) =>
    a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
  );
  /** Producers whose open transaction (at this point of the log) was aborted. */
  const aborting = new Set<bigint>();
  for (const batch of p.records ?? []) {
    const base = Number(batch.firstOffset);
    nextOffset = Math.max(nextOffset, base + batch.lastOffsetDelta + 1);
    while (pendingAborts.length && pendingAborts[0].firstOffset <= batch.firstOffset)
      aborting.add(pendingAborts.shift()!.producerId);
    if (batch.attributes & CONTROL) {
      // The abort marker ends that producer's aborted transaction (key: version int16, type int16; 0 = abort).
      const type = batch.records[0]?.key?.length === 4 ? batch.records[0].key.readInt16BE(2) : -1;
      if (type === 0) aborting.delete(batch.producerId);
      continue;
    }
    if (batch.attributes & TRANSACTIONAL && aborting.has(batch.producerId)) continue;
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

/** Record batch attributes: transactional batch, control batch (transaction marker). */
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;

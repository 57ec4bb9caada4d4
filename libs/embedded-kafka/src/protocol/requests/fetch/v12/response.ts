/**
 * Fetch Response (Version: 12) => throttle_time_ms error_code session_id [responses] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   session_id => INT32
 *   responses => topic [partitions] TAG_BUFFER
 *     topic => COMPACT_STRING
 *     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records TAG_BUFFER
 *       partition_index => INT32
 *       error_code => INT16
 *       high_watermark => INT64
 *       last_stable_offset => INT64
 *       log_start_offset => INT64
 *       aborted_transactions => producer_id first_offset TAG_BUFFER
 *         producer_id => INT64
 *         first_offset => INT64
 *       preferred_read_replica => INT32
 *       records => COMPACT_RECORDS
 *   (tagged, none written: partitions 0 DivergingEpoch, 1 CurrentLeader, 2 SnapshotId
 *    (followers and leader changes only); v16+ body 0 NodeEndpoints)
 */
import type { Encoder } from '../../../encoder';
import type { FetchResponse } from '../types';

/** The flexible layout, v12-v17: topics by id from v13. */
export function encodeFlexible(e: Encoder, r: FetchResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode).writeInt32(r.sessionId);
  e.writeCompactArray(r.responses, (x, t) => {
    if (version >= 13) x.writeUuid(t.topicId ?? '0'.repeat(32));
    else x.writeCompactString(t.topic);
    x.writeCompactArray(t.partitions, (y, p) => {
      y.writeInt32(p.partitionIndex).writeInt16(p.errorCode).writeInt64(p.highWatermark);
      y.writeInt64(p.lastStableOffset).writeInt64(p.logStartOffset);
      y.writeCompactNullableArray(p.abortedTransactions, (z, a) =>
        z.writeInt64(a.producerId).writeInt64(a.firstOffset).writeTaggedFields(),
      );
      y.writeInt32(p.preferredReadReplica);
      y.writeUnsignedVarInt(p.recordBytes + 1);
      for (const c of p.records) y.writeChunk(c);
      y.writeTaggedFields();
    });
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}

export function encode(e: Encoder, r: FetchResponse): void {
  encodeFlexible(e, r, 12);
}

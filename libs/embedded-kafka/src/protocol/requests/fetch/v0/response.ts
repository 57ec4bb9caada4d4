/**
 * Fetch Response (Version: 0) => [responses]
 *   responses => topic [partitions]
 *     topic => STRING
 *     partitions => partition_index error_code high_watermark records
 *       partition_index => INT32
 *       error_code => INT16
 *       high_watermark => INT64
 *       records => RECORDS
 */
import type { Encoder } from '../../../encoder';
import type { FetchPartitionResponse, FetchResponse } from '../types';

/** Which optional fields a version has. */
export interface FetchResponseShape {
  throttle: boolean;
  session: boolean;
  lastStableOffset: boolean;
  logStartOffset: boolean;
  preferredReadReplica: boolean;
}

function encodeRecords(e: Encoder, p: FetchPartitionResponse): void {
  e.writeInt32(p.recordBytes);
  for (const c of p.records) e.writeChunk(c);
}

export function encodeShaped(e: Encoder, r: FetchResponse, s: FetchResponseShape): void {
  if (s.throttle) e.writeInt32(r.throttleTimeMs);
  if (s.session) e.writeInt16(r.errorCode).writeInt32(r.sessionId);
  e.writeArray(r.responses, (x, t) => {
    x.writeString(t.topic);
    x.writeArray(t.partitions, (y, p) => {
      y.writeInt32(p.partitionIndex).writeInt16(p.errorCode).writeInt64(p.highWatermark);
      if (s.lastStableOffset) {
        y.writeInt64(p.lastStableOffset);
        if (s.logStartOffset) y.writeInt64(p.logStartOffset);
        y.writeNullableArray(p.abortedTransactions, (z, a) =>
          z.writeInt64(a.producerId).writeInt64(a.firstOffset),
        );
        if (s.preferredReadReplica) y.writeInt32(p.preferredReadReplica);
      }
      encodeRecords(y, p);
    });
  });
}

export const V0_SHAPE: FetchResponseShape = {
  throttle: false,
  session: false,
  lastStableOffset: false,
  logStartOffset: false,
  preferredReadReplica: false,
};

export function encode(e: Encoder, r: FetchResponse): void {
  encodeShaped(e, r, V0_SHAPE);
}

/**
 * Fetch Request (Version: 0) => replica_id max_wait_ms min_bytes [topics]
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   topics => topic [partitions]
 *     topic => STRING
 *     partitions => partition fetch_offset partition_max_bytes
 *       partition => INT32
 *       fetch_offset => INT64
 *       partition_max_bytes => INT32
 */
import type { Decoder } from '../../../decoder';
import type { FetchPartitionRequest, FetchRequest } from '../types';

/** Which optional fields a version has. */
export interface FetchRequestShape {
  maxBytes: boolean;
  isolationLevel: boolean;
  session: boolean;
  logStartOffset: boolean;
  currentLeaderEpoch: boolean;
  rackId: boolean;
}

export function decodeShaped(d: Decoder, s: FetchRequestShape): FetchRequest {
  const replicaId = d.readInt32();
  const maxWaitMs = d.readInt32();
  const minBytes = d.readInt32();
  const maxBytes = s.maxBytes ? d.readInt32() : 0x7fffffff;
  const isolationLevel = s.isolationLevel ? d.readInt8() : 0;
  const sessionId = s.session ? d.readInt32() : 0;
  const sessionEpoch = s.session ? d.readInt32() : -1;
  const topics = d.readArray((x) => ({
    topic: x.readString(),
    topicId: null,
    partitions: x.readArray((y): FetchPartitionRequest => {
      const partition = y.readInt32();
      const currentLeaderEpoch = s.currentLeaderEpoch ? y.readInt32() : -1;
      const fetchOffset = y.readInt64();
      const logStartOffset = s.logStartOffset ? y.readInt64() : -1;
      return {
        partition,
        currentLeaderEpoch,
        fetchOffset,
        lastFetchedEpoch: -1,
        logStartOffset,
        partitionMaxBytes: y.readInt32(),
      };
    }),
  }));
  const forgottenTopics = s.session
    ? d.readArray((x) => ({ topic: x.readString(), topicId: null, partitions: x.readInt32Array() }))
    : [];
  const rackId = s.rackId ? d.readString() : '';
  return {
    replicaId,
    maxWaitMs,
    minBytes,
    maxBytes,
    isolationLevel,
    sessionId,
    sessionEpoch,
    topics,
    forgottenTopics,
    rackId,
  };
}

export const V0_SHAPE: FetchRequestShape = {
  maxBytes: false,
  isolationLevel: false,
  session: false,
  logStartOffset: false,
  currentLeaderEpoch: false,
  rackId: false,
};

export function decode(d: Decoder): FetchRequest {
  return decodeShaped(d, V0_SHAPE);
}

/**
 * Fetch Request (Version: 12) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id TAG_BUFFER
 *   replica_id => INT32
 *   max_wait_ms => INT32
 *   min_bytes => INT32
 *   max_bytes => INT32
 *   isolation_level => INT8
 *   session_id => INT32
 *   session_epoch => INT32
 *   topics => topic [partitions] TAG_BUFFER
 *     topic => COMPACT_STRING
 *     partitions => partition current_leader_epoch fetch_offset last_fetched_epoch log_start_offset partition_max_bytes TAG_BUFFER
 *       partition => INT32
 *       current_leader_epoch => INT32
 *       fetch_offset => INT64
 *       last_fetched_epoch => INT32
 *       log_start_offset => INT64
 *       partition_max_bytes => INT32
 *   forgotten_topics_data => topic [partitions] TAG_BUFFER
 *     topic => COMPACT_STRING
 *     partitions => INT32
 *   rack_id => COMPACT_STRING
 *   (tagged: 0 ClusterId; v15+: 1 ReplicaState; v17+ partitions: 0 ReplicaDirectoryId; all ignored)
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { FetchPartitionRequest, FetchRequest } from '../types';

/**
 * The flexible layout, v12-v17: topics by id from v13, no replica_id from v15
 * (followers send it as the ReplicaState tag, which a single node ignores).
 */
export function decodeFlexible(d: Decoder, version: number): FetchRequest {
  const replicaId = version <= 14 ? d.readInt32() : -1;
  const maxWaitMs = d.readInt32();
  const minBytes = d.readInt32();
  const maxBytes = d.readInt32();
  const isolationLevel = d.readInt8();
  const sessionId = d.readInt32();
  const sessionEpoch = d.readInt32();
  const byId = version >= 13;
  const topics = d.readCompactArray((x) => {
    const topicId = byId ? x.readUuid() : null;
    const topic = byId ? '' : x.readCompactString();
    const partitions = x.readCompactArray((y): FetchPartitionRequest => {
      const p = {
        partition: y.readInt32(),
        currentLeaderEpoch: y.readInt32(),
        fetchOffset: y.readInt64(),
        lastFetchedEpoch: y.readInt32(),
        logStartOffset: y.readInt64(),
        partitionMaxBytes: y.readInt32(),
      };
      y.readTaggedFields();
      return p;
    });
    x.readTaggedFields();
    return { topic, topicId, partitions };
  });
  const forgottenTopics = d.readCompactArray((x) => {
    const topicId = byId ? x.readUuid() : null;
    const topic = byId ? '' : x.readCompactString();
    const partitions = x.readCompactInt32Array();
    x.readTaggedFields();
    return { topic, topicId, partitions };
  });
  const rackId = d.readCompactString();
  d.readTaggedFields();
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

export function decode(d: Decoder): FetchRequest {
  return decodeFlexible(d, 12);
}

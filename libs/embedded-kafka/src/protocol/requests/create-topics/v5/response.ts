/**
 * CreateTopics Response (Version: 5) => throttle_time_ms [topics] TAG_BUFFER
 *   throttle_time_ms => INT32
 *   topics => name error_code error_message num_partitions replication_factor [configs] TAG_BUFFER
 *     name => COMPACT_STRING
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 *     num_partitions => INT32
 *     replication_factor => INT16
 *     configs => name value read_only config_source is_sensitive TAG_BUFFER   (nullable)
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *       read_only => BOOLEAN
 *       config_source => INT8
 *       is_sensitive => BOOLEAN
 *   (tagged, none written: topics 0 TopicConfigErrorCode)
 */
import type { Encoder } from '../../../encoder';
import type { CreateTopicsResponse } from '../types';

/** The flexible layout, v5-v7: v7 adds topic_id after the name. */
export function encodeFlexible(e: Encoder, r: CreateTopicsResponse, version: number): void {
  e.writeInt32(r.throttleTimeMs);
  e.writeCompactArray(r.topics, (x, t) => {
    x.writeCompactString(t.name);
    if (version >= 7) x.writeUuid(t.topicId);
    x.writeInt16(t.errorCode).writeCompactNullableString(t.errorMessage);
    x.writeInt32(t.numPartitions).writeInt16(t.replicationFactor);
    x.writeCompactNullableArray(t.configs, (y, c) => {
      y.writeCompactString(c.name).writeCompactNullableString(c.value).writeBoolean(c.readOnly);
      y.writeInt8(c.configSource).writeBoolean(c.isSensitive).writeTaggedFields();
    });
    x.writeTaggedFields();
  });
  e.writeTaggedFields();
}

export function encode(e: Encoder, r: CreateTopicsResponse): void {
  encodeFlexible(e, r, 5);
}

/**
 * Metadata Request (Version: 9) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations TAG_BUFFER
 *   topics => name TAG_BUFFER
 *     name => COMPACT_STRING
 *   allow_auto_topic_creation => BOOLEAN
 *   include_cluster_authorized_operations => BOOLEAN
 *   include_topic_authorized_operations => BOOLEAN
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { MetadataRequest } from '../types';

/**
 * The flexible layout, v9-v12: topics gain a topic_id (v10+) and a nullable
 * name (v10+); include_cluster_authorized_operations is gone from v11.
 */
export function decodeFlexible(d: Decoder, version: number): MetadataRequest {
  const topicIds: string[] = [];
  const entries = d.readCompactNullableArray((x) => {
    const topicId = version >= 10 ? x.readUuid() : null;
    const name = version >= 10 ? x.readCompactNullableString() : x.readCompactString();
    x.readTaggedFields();
    return { topicId, name };
  });
  let topics: string[] | null = null;
  if (entries) {
    topics = [];
    for (const t of entries) {
      if (t.name !== null) topics.push(t.name);
      else if (t.topicId !== null) topicIds.push(t.topicId);
    }
  }
  const allowAutoTopicCreation = d.readBoolean();
  const includeClusterAuthorizedOperations = version <= 10 ? d.readBoolean() : false;
  const includeTopicAuthorizedOperations = d.readBoolean();
  d.readTaggedFields();
  return {
    topics,
    topicIds,
    allowAutoTopicCreation,
    includeClusterAuthorizedOperations,
    includeTopicAuthorizedOperations,
  };
}

export function decode(d: Decoder): MetadataRequest {
  return decodeFlexible(d, 9);
}

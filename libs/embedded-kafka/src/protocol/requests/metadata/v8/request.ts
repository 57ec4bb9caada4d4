/**
 * Metadata Request (Version: 8) => [topics] allow_auto_topic_creation include_cluster_authorized_operations include_topic_authorized_operations
 *   topics => name
 *     name => STRING
 *   allow_auto_topic_creation => BOOLEAN
 *   include_cluster_authorized_operations => BOOLEAN
 *   include_topic_authorized_operations => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { MetadataRequest } from '../types';

export function decode(d: Decoder): MetadataRequest {
  const topics = d.readNullableArray((x) => x.readString());
  return {
    topics,
    topicIds: [],
    allowAutoTopicCreation: d.readBoolean(),
    includeClusterAuthorizedOperations: d.readBoolean(),
    includeTopicAuthorizedOperations: d.readBoolean(),
  };
}

/**
 * Metadata Request (Version: 4) => [topics] allow_auto_topic_creation
 *   topics => name
 *     name => STRING
 *   allow_auto_topic_creation => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { MetadataRequest } from '../types';

export function decode(d: Decoder): MetadataRequest {
  const topics = d.readNullableArray((x) => x.readString());
  return {
    topics,
    topicIds: [],
    allowAutoTopicCreation: d.readBoolean(),
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };
}

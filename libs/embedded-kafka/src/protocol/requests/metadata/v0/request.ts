/**
 * Metadata Request (Version: 0) => [topics]
 *   topics => name
 *     name => STRING
 */
import type { Decoder } from '../../../decoder';
import type { MetadataRequest } from '../types';

export function decode(d: Decoder): MetadataRequest {
  const topics = d.readArray((x) => x.readString());
  return {
    topics: topics.length === 0 ? null : topics,
    topicIds: [],
    allowAutoTopicCreation: true,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };
}

/**
 * Metadata Request (Version: 1) => [topics]
 *   topics => name            (nullable array: null = all topics, empty = none)
 *     name => STRING
 */
import type { Decoder } from '../../../decoder';
import type { MetadataRequest } from '../types';

export function decode(d: Decoder): MetadataRequest {
  return {
    topics: d.readNullableArray((x) => x.readString()),
    topicIds: [],
    allowAutoTopicCreation: true,
    includeClusterAuthorizedOperations: false,
    includeTopicAuthorizedOperations: false,
  };
}

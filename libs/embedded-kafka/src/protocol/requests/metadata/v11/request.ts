/**
 * Metadata Request (Version: 11) => [topics] allow_auto_topic_creation include_topic_authorized_operations TAG_BUFFER
 *   topics => topic_id name TAG_BUFFER
 *     topic_id => UUID
 *     name => COMPACT_NULLABLE_STRING
 *   allow_auto_topic_creation => BOOLEAN
 *   include_topic_authorized_operations => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { MetadataRequest } from '../types';
import { decodeFlexible } from '../v9/request';

export function decode(d: Decoder): MetadataRequest {
  return decodeFlexible(d, 11);
}

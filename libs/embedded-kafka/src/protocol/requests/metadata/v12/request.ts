/**
 * Metadata Request (Version: 12) => [topics] allow_auto_topic_creation include_topic_authorized_operations TAG_BUFFER
 *   (same as v11)
 */
import type { Decoder } from '../../../decoder';
import type { MetadataRequest } from '../types';
import { decodeFlexible } from '../v9/request';

export function decode(d: Decoder): MetadataRequest {
  return decodeFlexible(d, 12);
}

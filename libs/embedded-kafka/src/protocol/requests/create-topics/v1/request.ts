/**
 * CreateTopics Request (Version: 1) => [topics] timeout_ms validate_only
 *   topics => name num_partitions replication_factor [assignments] [configs]   (as v0)
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { CreateTopicsRequest } from '../types';
import { decodeTopics } from '../v0/request';

export function decode(d: Decoder): CreateTopicsRequest {
  const base = decodeTopics(d);
  return { ...base, validateOnly: d.readBoolean() };
}

/**
 * CreatePartitions Request (Version: 0) => [topics] timeout_ms validate_only
 *   topics => name count [assignments]
 *     name => STRING
 *     count => INT32
 *     assignments => [broker_ids]        (nullable array)
 *       broker_ids => INT32
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { CreatePartitionsRequest } from '../types';

export function decode(d: Decoder): CreatePartitionsRequest {
  const topics = d.readArray((x) => ({
    name: x.readString(),
    count: x.readInt32(),
    assignments: x.readNullableArray((y) => ({ brokerIds: y.readInt32Array() })),
  }));
  return { topics, timeoutMs: d.readInt32(), validateOnly: d.readBoolean() };
}

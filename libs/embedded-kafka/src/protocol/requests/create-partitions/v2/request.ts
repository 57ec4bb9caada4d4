/**
 * CreatePartitions Request (Version: 2) => [topics] timeout_ms validate_only TAG_BUFFER
 *   topics => name count [assignments] TAG_BUFFER
 *     name => COMPACT_STRING
 *     count => INT32
 *     assignments => [broker_ids] TAG_BUFFER     (nullable array)
 *       broker_ids => INT32
 *   timeout_ms => INT32
 *   validate_only => BOOLEAN
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { CreatePartitionsRequest } from '../types';

export function decode(d: Decoder): CreatePartitionsRequest {
  const topics = d.readCompactArray((x) => {
    const name = x.readCompactString();
    const count = x.readInt32();
    const assignments = x.readCompactNullableArray((y) => {
      const a = { brokerIds: y.readCompactInt32Array() };
      y.readTaggedFields();
      return a;
    });
    x.readTaggedFields();
    return { name, count, assignments };
  });
  const timeoutMs = d.readInt32();
  const validateOnly = d.readBoolean();
  d.readTaggedFields();
  return { topics, timeoutMs, validateOnly };
}

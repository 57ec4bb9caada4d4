/**
 * Produce Response (Version: 9) => [responses] throttle_time_ms TAG_BUFFER
 *   responses => name [partition_responses] TAG_BUFFER
 *     name => COMPACT_STRING
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message TAG_BUFFER
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *       log_start_offset => INT64
 *       record_errors => batch_index batch_index_error_message TAG_BUFFER
 *         batch_index => INT32
 *         batch_index_error_message => COMPACT_NULLABLE_STRING
 *       error_message => COMPACT_NULLABLE_STRING
 *   throttle_time_ms => INT32
 *
 * record_errors is always empty (a batch is refused whole).
 */
import type { Encoder } from '../../../encoder';
import type { ProduceResponse } from '../types';

export function encode(e: Encoder, r: ProduceResponse): void {
  e.writeCompactArray(r.responses, (x, t) => {
    x.writeCompactString(t.name);
    x.writeCompactArray(t.partitions, (y, p) => {
      y.writeInt32(p.index).writeInt16(p.errorCode).writeInt64(p.baseOffset);
      y.writeInt64(p.logAppendTimeMs).writeInt64(p.logStartOffset);
      y.writeCompactArray([], () => {}).writeCompactNullableString(p.errorMessage);
      y.writeTaggedFields();
    });
    x.writeTaggedFields();
  });
  e.writeInt32(r.throttleTimeMs);
  e.writeTaggedFields();
}

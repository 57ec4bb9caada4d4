/**
 * Produce Response (Version: 8) => [responses] throttle_time_ms
 *   responses => name [partition_responses]
 *     name => STRING
 *     partition_responses => index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message
 *       index => INT32
 *       error_code => INT16
 *       base_offset => INT64
 *       log_append_time_ms => INT64
 *       log_start_offset => INT64
 *       record_errors => batch_index batch_index_error_message
 *         batch_index => INT32
 *         batch_index_error_message => NULLABLE_STRING
 *       error_message => NULLABLE_STRING
 *   throttle_time_ms => INT32
 *
 * record_errors is always empty here: a batch is refused whole (CRC, magic,
 * compression), never record by record.
 */
import type { Encoder } from '../../../encoder';
import type { ProduceResponse } from '../types';
import { encodeResponses } from '../v0/response';

export function encode(e: Encoder, r: ProduceResponse): void {
  encodeResponses(e, r, (x, p) => {
    x.writeInt64(p.logAppendTimeMs).writeInt64(p.logStartOffset);
    x.writeInt32(0).writeNullableString(p.errorMessage);
  });
  e.writeInt32(r.throttleTimeMs);
}

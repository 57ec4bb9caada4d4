/**
 * InitProducerId Response (Version: 2) => throttle_time_ms error_code producer_id producer_epoch TAG_BUFFER
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   producer_id => INT64
 *   producer_epoch => INT16
 */
import type { Encoder } from '../../../encoder';
import type { InitProducerIdResponse } from '../types';

export function encode(e: Encoder, r: InitProducerIdResponse): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode).writeInt64(r.producerId).writeInt16(r.producerEpoch);
  e.writeTaggedFields();
}

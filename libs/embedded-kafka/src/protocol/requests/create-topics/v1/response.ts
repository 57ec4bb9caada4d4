/**
 * CreateTopics Response (Version: 1) => [topics]
 *   topics => name error_code error_message
 *     name => STRING
 *     error_code => INT16
 *     error_message => NULLABLE_STRING
 */
import type { Encoder } from '../../../encoder';
import type { CreateTopicsResponse } from '../types';

export function encode(e: Encoder, r: CreateTopicsResponse): void {
  e.writeArray(r.topics, (x, t) =>
    x.writeString(t.name).writeInt16(t.errorCode).writeNullableString(t.errorMessage),
  );
}

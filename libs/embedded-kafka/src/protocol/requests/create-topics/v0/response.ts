/**
 * CreateTopics Response (Version: 0) => [topics]
 *   topics => name error_code
 *     name => STRING
 *     error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { CreateTopicsResponse } from '../types';

export function encode(e: Encoder, r: CreateTopicsResponse): void {
  e.writeArray(r.topics, (x, t) => x.writeString(t.name).writeInt16(t.errorCode));
}

/**
 * DeleteTopics Response (Version: 0) => [responses]
 *   responses => name error_code
 *     name => STRING
 *     error_code => INT16
 */
import type { Encoder } from '../../../encoder';
import type { DeleteTopicsResponse } from '../types';

export function encode(e: Encoder, r: DeleteTopicsResponse): void {
  e.writeArray(r.responses, (x, t) => x.writeString(t.name ?? '').writeInt16(t.errorCode));
}

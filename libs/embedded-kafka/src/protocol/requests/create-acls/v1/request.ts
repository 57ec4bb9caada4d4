/**
 * CreateAcls Request (Version: 1) => [creations]
 *   creations => resource_type resource_name resource_pattern_type principal host operation permission_type
 */
import type { Decoder } from '../../../decoder';
import type { CreateAclsRequest } from '../types';
import { decodeWith } from '../v0/request';

export function decode(d: Decoder): CreateAclsRequest {
  return decodeWith(d, true);
}

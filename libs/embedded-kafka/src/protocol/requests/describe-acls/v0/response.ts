/**
 * DescribeAcls Response (Version: 0) => throttle_time_ms error_code error_message [resources]
 *   resources => resource_type resource_name [acls]
 *     acls => principal host operation permission_type
 */
import type { Encoder } from '../../../encoder';
import type { DescribeAclsResponse } from '../types';

export function encodeWith(e: Encoder, r: DescribeAclsResponse, withPattern: boolean): void {
  e.writeInt32(r.throttleTimeMs).writeInt16(r.errorCode).writeNullableString(r.errorMessage);
  e.writeArray(r.resources, (x, res) => {
    x.writeInt8(res.resourceType).writeString(res.resourceName);
    if (withPattern) x.writeInt8(res.patternType);
    x.writeArray(res.acls, (y, a) =>
      y.writeString(a.principal).writeString(a.host).writeInt8(a.operation).writeInt8(a.permissionType),
    );
  });
}

export function encode(e: Encoder, r: DescribeAclsResponse): void {
  encodeWith(e, r, false);
}

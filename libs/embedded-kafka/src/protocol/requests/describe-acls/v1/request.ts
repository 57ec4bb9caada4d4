/**
 * DescribeAcls Request (Version: 1) => resource_type resource_name pattern_type principal host operation permission_type
 *   (v0 plus pattern_type => INT8 after the resource name)
 */
import type { Decoder } from '../../../decoder';
import type { DescribeAclsRequest } from '../types';

export function decode(d: Decoder): DescribeAclsRequest {
  return {
    resourceType: d.readInt8(),
    resourceName: d.readNullableString(),
    patternType: d.readInt8(),
    principal: d.readNullableString(),
    host: d.readNullableString(),
    operation: d.readInt8(),
    permissionType: d.readInt8(),
  };
}

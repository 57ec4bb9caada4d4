/**
 * DescribeAcls Request (Version: 0) => resource_type resource_name principal host operation permission_type
 *   resource_type => INT8
 *   resource_name => NULLABLE_STRING
 *   principal => NULLABLE_STRING
 *   host => NULLABLE_STRING
 *   operation => INT8
 *   permission_type => INT8
 */
import type { Decoder } from '../../../decoder';
import type { DescribeAclsRequest } from '../types';

export function decode(d: Decoder): DescribeAclsRequest {
  const resourceType = d.readInt8();
  const resourceName = d.readNullableString();
  return {
    resourceType,
    resourceName,
    patternType: 3 /* LITERAL */,
    principal: d.readNullableString(),
    host: d.readNullableString(),
    operation: d.readInt8(),
    permissionType: d.readInt8(),
  };
}

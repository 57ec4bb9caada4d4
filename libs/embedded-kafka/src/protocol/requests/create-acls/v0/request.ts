/**
 * CreateAcls Request (Version: 0) => [creations]
 *   creations => resource_type resource_name principal host operation permission_type
 *     resource_type => INT8, resource_name => STRING, principal => STRING, host => STRING,
 *     operation => INT8, permission_type => INT8
 */
import type { Decoder } from '../../../decoder';
import type { CreateAclsRequest } from '../types';

export function decodeWith(d: Decoder, withPattern: boolean): CreateAclsRequest {
  return {
    creations: d.readArray(() => {
      const resourceType = d.readInt8();
      const resourceName = d.readString();
      const patternType = withPattern ? d.readInt8() : 3; /* LITERAL */
      return {
        resourceType,
        resourceName,
        patternType,
        principal: d.readString(),
        host: d.readString(),
        operation: d.readInt8(),
        permissionType: d.readInt8(),
      };
    }),
  };
}

export function decode(d: Decoder): CreateAclsRequest {
  return decodeWith(d, false);
}

/**
 * AlterConfigs Request (Version: 2) => [resources] validate_only TAG_BUFFER
 *   resources => resource_type resource_name [configs] TAG_BUFFER
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 *     configs => name value TAG_BUFFER
 *       name => COMPACT_STRING
 *       value => COMPACT_NULLABLE_STRING
 *   validate_only => BOOLEAN
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { AlterConfigsRequest } from '../types';

export function decode(d: Decoder): AlterConfigsRequest {
  const resources = d.readCompactArray((x) => {
    const resourceType = x.readInt8();
    const resourceName = x.readCompactString();
    const configs = x.readCompactArray((y) => {
      const c = { name: y.readCompactString(), value: y.readCompactNullableString() };
      y.readTaggedFields();
      return c;
    });
    x.readTaggedFields();
    return { resourceType, resourceName, configs };
  });
  const validateOnly = d.readBoolean();
  d.readTaggedFields();
  return { resources, validateOnly };
}

/**
 * AlterConfigs Request (Version: 0) => [resources] validate_only
 *   resources => resource_type resource_name [configs]
 *     resource_type => INT8
 *     resource_name => STRING
 *     configs => name value
 *       name => STRING
 *       value => NULLABLE_STRING
 *   validate_only => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { AlterConfigsRequest } from '../types';

export function decode(d: Decoder): AlterConfigsRequest {
  const resources = d.readArray((x) => ({
    resourceType: x.readInt8(),
    resourceName: x.readString(),
    configs: x.readArray((y) => ({ name: y.readString(), value: y.readNullableString() })),
  }));
  return { resources, validateOnly: d.readBoolean() };
}

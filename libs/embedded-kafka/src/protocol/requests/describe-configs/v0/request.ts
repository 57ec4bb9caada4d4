/**
 * DescribeConfigs Request (Version: 0) => [resources]
 *   resources => resource_type resource_name [configuration_keys]
 *     resource_type => INT8
 *     resource_name => STRING
 *     configuration_keys => STRING       (nullable array: null = all)
 */
import type { Decoder } from '../../../decoder';
import type { DescribeConfigsRequest } from '../types';

export function decodeResources(d: Decoder): DescribeConfigsRequest['resources'] {
  return d.readArray((x) => ({
    resourceType: x.readInt8(),
    resourceName: x.readString(),
    configurationKeys: x.readNullableArray((y) => y.readString()),
  }));
}

export function decode(d: Decoder): DescribeConfigsRequest {
  return { resources: decodeResources(d), includeSynonyms: false };
}

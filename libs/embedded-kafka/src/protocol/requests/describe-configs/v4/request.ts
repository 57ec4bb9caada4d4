/**
 * DescribeConfigs Request (Version: 4) => [resources] include_synonyms include_documentation TAG_BUFFER
 *   resources => resource_type resource_name [configuration_keys] TAG_BUFFER
 *     resource_type => INT8
 *     resource_name => COMPACT_STRING
 *     configuration_keys => COMPACT_STRING   (nullable array: null = all)
 *   include_synonyms => BOOLEAN
 *   include_documentation => BOOLEAN
 *
 * The first flexible version.
 */
import type { Decoder } from '../../../decoder';
import type { DescribeConfigsRequest } from '../types';

export function decode(d: Decoder): DescribeConfigsRequest {
  const resources = d.readCompactArray((x) => {
    const r = {
      resourceType: x.readInt8(),
      resourceName: x.readCompactString(),
      configurationKeys: x.readCompactNullableArray((y) => y.readCompactString()),
    };
    x.readTaggedFields();
    return r;
  });
  const includeSynonyms = d.readBoolean();
  d.readBoolean(); // include_documentation: answered with null
  d.readTaggedFields();
  return { resources, includeSynonyms };
}

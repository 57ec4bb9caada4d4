/**
 * DescribeConfigs Request (Version: 1) => [resources] include_synonyms
 *   resources => resource_type resource_name [configuration_keys]     (as v0)
 *   include_synonyms => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { DescribeConfigsRequest } from '../types';
import { decodeResources } from '../v0/request';

export function decode(d: Decoder): DescribeConfigsRequest {
  const resources = decodeResources(d);
  return { resources, includeSynonyms: d.readBoolean() };
}

/**
 * DescribeConfigs Request (Version: 3) => [resources] include_synonyms include_documentation
 *   resources => resource_type resource_name [configuration_keys]     (as v0)
 *   include_synonyms => BOOLEAN
 *   include_documentation => BOOLEAN
 */
import type { Decoder } from '../../../decoder';
import type { DescribeConfigsRequest } from '../types';
import { decodeResources } from '../v0/request';

export function decode(d: Decoder): DescribeConfigsRequest {
  const resources = decodeResources(d);
  const includeSynonyms = d.readBoolean();
  d.readBoolean(); // include_documentation: this broker has no documentation strings (answers null)
  return { resources, includeSynonyms };
}

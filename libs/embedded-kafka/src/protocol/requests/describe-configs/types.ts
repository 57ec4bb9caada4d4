/** DescribeConfigs request, versions 0-2. */
export interface DescribeConfigsRequest {
  resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[];
  /** v1+ */
  includeSynonyms: boolean;
}

export interface DescribeConfigsEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** v0 */
  isDefault: boolean;
  /** v1+: 1 DYNAMIC_TOPIC_CONFIG, 4 STATIC_BROKER_CONFIG, 5 DEFAULT_CONFIG */
  configSource: number;
  isSensitive: boolean;
  /** v1+ */
  synonyms: { name: string; value: string | null; source: number }[];
}

/** DescribeConfigs response, versions 0-2. */
export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: {
    errorCode: number;
    errorMessage: string | null;
    resourceType: number;
    resourceName: string;
    configs: DescribeConfigsEntry[];
  }[];
}

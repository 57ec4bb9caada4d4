/**
 * DescribeConfigs Request (Version: 2) => [resources] include_synonyms
 *   (same as v1)
 */
export { decode } from '../v1/request';

/**
 * DescribeGroups Request (Version: 4) => [groups] include_authorized_operations
 *   (same as v3)
 */
export { decode } from '../v3/request';

/**
 * DescribeGroups Request (Version: 2) => [groups]
 *   (same as v0)
 */
export { decode } from '../v0/request';

/**
 * DescribeGroups Request (Version: 1) => [groups]
 *   (same as v0)
 */
export { decode } from '../v0/request';

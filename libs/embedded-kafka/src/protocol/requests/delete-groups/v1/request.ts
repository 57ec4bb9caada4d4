/**
 * DeleteGroups Request (Version: 1) => [groups_names]
 *   (same as v0)
 */
export { decode } from '../v0/request';

/**
 * ListGroups Request (Version: 1) =>
 *   (empty body, same as v0)
 */
export { decode } from '../v0/request';

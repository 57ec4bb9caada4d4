/**
 * ApiVersions Request (Version: 2) =>
 *   (empty body, same as v0)
 */
export { decode } from '../v0/request';

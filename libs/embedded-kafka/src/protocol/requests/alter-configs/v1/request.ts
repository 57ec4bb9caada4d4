/**
 * AlterConfigs Request (Version: 1) => [resources] validate_only
 *   (same as v0)
 */
export { decode } from '../v0/request';

/**
 * Metadata Request (Version: 7) => [topics] allow_auto_topic_creation
 *   (same as v4)
 */
export { decode } from '../v4/request';

/**
 * InitProducerId Request (Version: 1) => transactional_id transaction_timeout_ms
 *   (same as v0)
 */
export { decode } from '../v0/request';

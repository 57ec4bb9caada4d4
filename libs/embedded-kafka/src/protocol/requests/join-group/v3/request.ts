/**
 * JoinGroup Request (Version: 3) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
 *   (same as v1)
 */
export { decode } from '../v1/request';

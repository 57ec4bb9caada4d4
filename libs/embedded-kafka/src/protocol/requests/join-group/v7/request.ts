/**
 * JoinGroup Request (Version: 7) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] TAG_BUFFER
 *   (same as v6)
 */
export { decode } from '../v6/request';

/**
 * FindCoordinator Request (Version: 5) => key_type [coordinator_keys] TAG_BUFFER
 *   (same as v4; v5 lets the broker answer TRANSACTION_ABORTABLE, KIP-890)
 */
export { decode } from '../v4/request';

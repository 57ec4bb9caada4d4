/**
 * TxnOffsetCommit Request (Version: 1) => (same as v0)
 */
export { decode } from '../v0/request';

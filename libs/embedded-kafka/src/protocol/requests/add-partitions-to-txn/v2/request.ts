/**
 * AddPartitionsToTxn Request (Version: 2) => (same as v0)
 */
export { decode } from '../v0/request';

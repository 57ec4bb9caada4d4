/**
 * AddOffsetsToTxn Response (Version: 2) => (same as v0)
 */
export { encode } from '../v0/response';

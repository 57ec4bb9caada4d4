/**
 * ListTransactions Response (Version: 1) => (same as v0)
 */
export { encode } from '../v0/response';

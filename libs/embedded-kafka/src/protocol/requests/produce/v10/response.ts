/**
 * Produce Response (Version: 10) => [responses] throttle_time_ms TAG_BUFFER
 *   (same as v9; the tagged fields of v10+, 0 CurrentLeader in partitions and
 *   0 NodeEndpoints in the body, are only sent with NOT_LEADER_OR_FOLLOWER,
 *   which a single node never answers)
 */
export { encode } from '../v9/response';

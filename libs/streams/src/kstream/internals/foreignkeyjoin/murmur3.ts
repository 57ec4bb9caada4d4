import { x64 } from 'murmurhash3js-revisited';

/** Kafka Streams' `Murmur3.DEFAULT_SEED`. */
const SEED = 104729;

/**
 * MurmurHash3 x64 128-bit of `bytes` with Kafka Streams' seed, as 16 bytes (the two 64-bit halves
 * big-endian, as Kafka Streams writes its `long[2]`): the hash a foreign-key join keeps of a row's
 * serialized value to recognise responses computed for an older value.
 */
export function murmur3Hash128(bytes: Buffer): Buffer {
  return Buffer.from(x64.hash128(bytes, SEED), 'hex');
}

/**
 * A record-batch compression codec (Kafka's `compression.type` for producers). The id is the codec's
 * number in bits 0-2 of a v2 record batch's attributes.
 */
export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** Every codec, by its id in the batch attributes (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd). */
export const COMPRESSION_TYPES: readonly CompressionType[] = Object.freeze([
  'none',
  'gzip',
  'snappy',
  'lz4',
  'zstd',
]);

/** The codec's name for the id in a batch's attributes (`unknown(<id>)` for ids Kafka does not define). */
export function compressionTypeName(id: number): string {
  return COMPRESSION_TYPES[id] ?? `unknown(${id})`;
}

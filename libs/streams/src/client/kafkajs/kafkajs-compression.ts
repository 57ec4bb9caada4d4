import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { COMPRESSION_CODECS } from '../compression/compression-codecs';
import type { CompressionType } from '../compression/compression-type';

const KAFKAJS_TYPES: Readonly<Record<CompressionType, CompressionTypes>> = Object.freeze({
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
});

let registered = false;

/**
 * Registers every codec with kafkajs (whose `CompressionCodecs` table is process-wide and has only
 * gzip built in): after this, kafkajs consumers read and producers write snappy, lz4 and zstd batches.
 * Idempotent; called by the kafkajs client factory.
 */
export function registerKafkajsCodecs(): void {
  if (registered) return;
  registered = true;
  for (const name of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    const codec = COMPRESSION_CODECS[name];
    const adapter = {
      compress: (encoder: { buffer: Buffer }) => codec.compress(encoder.buffer),
      decompress: (buffer: Buffer) => codec.decompress(buffer),
    };
    (CompressionCodecs as Record<number, () => unknown>)[KAFKAJS_TYPES[name]] = () => adapter;
  }
}

/** kafkajs' number for a codec. */
export function kafkajsCompressionType(type: CompressionType): CompressionTypes {
  return KAFKAJS_TYPES[type];
}

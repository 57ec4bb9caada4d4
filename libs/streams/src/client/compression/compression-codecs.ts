import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappy';
import type { CompressionType } from './compression-type';

/** Compresses and decompresses the records section of a record batch. */
export interface CompressionCodec {
  compress(plain: Buffer): Promise<Buffer>;
  decompress(compressed: Buffer): Promise<Buffer>;
}

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
/** zlib's zstd (Node >= 22.15), looked up when first used so that older Node can still load the library. */
function zstd(op: 'zstdCompress' | 'zstdDecompress'): (data: Buffer) => Promise<Buffer> {
  const fn = zlib[op];
  if (typeof fn !== 'function')
    return () =>
      Promise.reject(new Error(`zstd needs Node 22.15 or newer (zlib.${op}); this is ${process.version}`));
  return promisify(fn) as (data: Buffer) => Promise<Buffer>;
}

/**
 * snappy-java's stream framing (what Kafka's Java producer writes): an 8-byte magic, two int32
 * versions, then chunks of int32 length + raw snappy block. librdkafka writes raw snappy; both are read.
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;

async function snappyDecompress(data: Buffer): Promise<Buffer> {
  if (data.length < XERIAL_HEADER_SIZE || !data.subarray(0, 8).equals(XERIAL_MAGIC))
    return (await snappyUncompress(data)) as Buffer;
  const chunks: Buffer[] = [];
  let at = XERIAL_HEADER_SIZE;
  while (at < data.length) {
    if (at + 4 > data.length) throw new Error('snappy (xerial framing): truncated chunk length');
    const size = data.readInt32BE(at);
    at += 4;
    if (size < 0 || at + size > data.length)
      throw new Error(`snappy (xerial framing): chunk of ${size} bytes overruns the data`);
    chunks.push((await snappyUncompress(data.subarray(at, at + size))) as Buffer);
    at += size;
  }
  return Buffer.concat(chunks);
}

/**
 * The codecs of Kafka's record batches: gzip and zstd from Node's zlib (zstd since Node 22.15), snappy
 * from `snappy` (Rust snappy through napi-rs), lz4 (the LZ4 frame format, as Kafka since 0.10 writes
 * it) from `lz4-napi`. Producers write raw snappy, as librdkafka does (Java's consumer reads it).
 */
export const COMPRESSION_CODECS: Readonly<Record<Exclude<CompressionType, 'none'>, CompressionCodec>> =
  Object.freeze({
    gzip: { compress: (b) => gzip(b), decompress: (b) => gunzip(b) },
    snappy: { compress: (b) => snappyCompress(b), decompress: snappyDecompress },
    lz4: { compress: (b) => compressFrame(b), decompress: (b) => decompressFrame(b) },
    zstd: { compress: (b) => zstd('zstdCompress')(b), decompress: (b) => zstd('zstdDecompress')(b) },
  });

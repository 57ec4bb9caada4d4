import * as zlib from 'node:zlib';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';

/** Codec ids of bits 0-2 of a v2 record batch's attributes. */
export const CODEC_NONE = 0;
const NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The codec's name for its id (`unknown(<id>)` outside 0-4). */
export function codecName(id: number): string {
  return NAMES[id] ?? `unknown(${id})`;
}

/** snappy-java's stream framing (Java producers): 16-byte header, then int32 length + raw block chunks. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);

function snappyDecompress(data: Buffer): Buffer {
  if (data.length < 16 || !data.subarray(0, 8).equals(XERIAL_MAGIC)) return snappyUncompress(data) as Buffer;
  const chunks: Buffer[] = [];
  let at = 16;
  while (at < data.length) {
    if (at + 4 > data.length) throw new Error('snappy (xerial framing): truncated chunk length');
    const size = data.readInt32BE(at);
    at += 4;
    if (size < 0 || at + size > data.length)
      throw new Error(`snappy (xerial framing): chunk of ${size} bytes overruns the data`);
    chunks.push(snappyUncompress(data.subarray(at, at + size)) as Buffer);
    at += size;
  }
  return Buffer.concat(chunks);
}

/**
 * Decompresses the records section of a batch in codec `id` (gzip and zstd: Node's zlib; snappy:
 * `snappy`, raw or xerial-framed; lz4: `lz4-napi`, LZ4 frame format). Throws on corrupt data or an
 * unknown codec. Used by the log cleaner and timestamp lookups, never on the produce/fetch path.
 */
export function decompress(id: number, data: Buffer): Buffer {
  switch (id) {
    case 1:
      return zlib.gunzipSync(data);
    case 2:
      return snappyDecompress(data);
    case 3:
      return decompressFrameSync(data);
    case 4:
      return zlib.zstdDecompressSync(data);
    default:
      throw new Error(`unknown compression codec ${id}`);
  }
}

/** Compresses a records section in codec `id` (1-4), as the producer that wrote the batch did. */
export function compress(id: number, data: Buffer): Buffer {
  switch (id) {
    case 1:
      return zlib.gzipSync(data);
    case 2:
      return snappyCompress(data);
    case 3:
      return compressFrameSync(data);
    case 4:
      return zlib.zstdCompressSync(data);
    default:
      throw new Error(`unknown compression codec ${id}`);
  }
}

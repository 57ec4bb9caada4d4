import { crc32c } from '@node-rs/crc32';
import type { Decoder } from '../../src/protocol/decoder';
import { Encoder } from '../../src/protocol/encoder';

/** Options of a hand-built v2 record batch. */
export interface BatchSpec {
  records: { key: string | null; value: string | null }[];
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  timestamp?: number;
  attributes?: number;
}

/** Encodes a magic-v2 record batch with a correct CRC-32C (uncompressed). */
export function buildBatch(spec: BatchSpec): Buffer {
  const ts = spec.timestamp ?? Date.now();
  const e = new Encoder();
  e.writeInt64(0).writeInt32(0).writeInt32(0).writeInt8(2).writeUInt32(0);
  e.writeInt16(spec.attributes ?? 0)
    .writeInt32(spec.records.length - 1)
    .writeInt64(ts)
    .writeInt64(ts);
  e.writeInt64(spec.producerId ?? -1)
    .writeInt16(spec.producerEpoch ?? -1)
    .writeInt32(spec.baseSequence ?? -1);
  e.writeInt32(spec.records.length);
  spec.records.forEach((r, i) => {
    const body = new Encoder();
    body.writeInt8(0).writeVarLong(0).writeVarInt(i);
    body.writeVarIntBytes(r.key === null ? null : Buffer.from(r.key));
    body.writeVarIntBytes(r.value === null ? null : Buffer.from(r.value));
    body.writeVarInt(0);
    const b = body.toBuffer();
    e.writeVarInt(b.length).writeRaw(b);
  });
  const batch = e.toBuffer();
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeUInt32BE(crc32c(batch.subarray(21)) >>> 0, 17);
  return batch;
}

/** Writes a Produce v3 request body for one partition. */
export function produceBody(topic: string, partition: number, records: Buffer, acks = -1) {
  return (e: Encoder) => {
    e.writeNullableString(null).writeInt16(acks).writeInt32(30000);
    e.writeInt32(1).writeString(topic).writeInt32(1).writeInt32(partition).writeBytes(records);
  };
}

/** Reads a Produce v3 response for one partition (the answer to {@link produceBody}). */
export function readProduceV3(d: Decoder): { errorCode: number; baseOffset: number } {
  d.readInt32(); // topics
  d.readString();
  d.readInt32(); // partitions
  d.readInt32(); // index
  const errorCode = d.readInt16();
  const baseOffset = d.readInt64();
  return { errorCode, baseOffset };
}

/** Reads a Fetch v4 response for one partition: its error, high watermark, last stable offset and record bytes. */
export function readFetchV4(d: Decoder): {
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  records: Buffer;
} {
  d.readInt32(); // throttle time
  d.readInt32(); // topics
  d.readString();
  d.readInt32(); // partitions
  d.readInt32(); // index
  const errorCode = d.readInt16();
  const highWatermark = d.readInt64();
  const lastStableOffset = d.readInt64();
  d.readNullableArray((x) => [x.readInt64(), x.readInt64()]); // aborted transactions
  return { errorCode, highWatermark, lastStableOffset, records: d.readNullableBytes() ?? Buffer.alloc(0) };
}

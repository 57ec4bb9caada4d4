/**
 * Transaction markers (KIP-98): a control batch (attributes isTransactional and
 * isControl) holding one control record whose key is
 * `version: int16 (0), type: int16 (0 = ABORT, 1 = COMMIT)` and whose value is
 * `version: int16 (0), coordinatorEpoch: int32`. Written by the broker into each
 * partition of a transaction when it ends; never accepted from clients.
 */
import { Encoder } from '../protocol/encoder';
import {
  ATTR_CONTROL,
  ATTR_TRANSACTIONAL,
  BATCH_HEADER_SIZE,
  OFFSET_CRC,
  computeBatchCrc,
  decodeRecords,
  writeInt64,
} from './record-batch';

/** Control record type of an abort marker. */
export const CONTROL_ABORT = 0;
/** Control record type of a commit marker. */
export const CONTROL_COMMIT = 1;

/** Builds a control batch (base offset 0; the log assigns the real one). */
export function buildControlBatch(
  producerId: number,
  producerEpoch: number,
  commit: boolean,
  coordinatorEpoch: number,
  timestamp: number,
): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(commit ? CONTROL_COMMIT : CONTROL_ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  const body = new Encoder(32);
  body
    .writeInt8(0)
    .writeVarLong(0)
    .writeVarInt(0)
    .writeVarIntBytes(key)
    .writeVarIntBytes(value)
    .writeVarInt(0);
  const record = body.toBuffer();
  const rec = new Encoder(record.length + 8);
  rec.writeVarInt(record.length).writeRaw(record);
  const records = rec.toBuffer();
  const batch = Buffer.alloc(BATCH_HEADER_SIZE + records.length);
  writeInt64(batch, 0, 0);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeInt32BE(0, 12);
  batch.writeInt8(2, 16);
  batch.writeInt16BE(ATTR_TRANSACTIONAL | ATTR_CONTROL, 21);
  batch.writeInt32BE(0, 23);
  writeInt64(batch, 27, timestamp);
  writeInt64(batch, 35, timestamp);
  writeInt64(batch, 43, producerId);
  batch.writeInt16BE(producerEpoch, 51);
  batch.writeInt32BE(-1, 53);
  batch.writeInt32BE(1, 57);
  records.copy(batch, BATCH_HEADER_SIZE);
  batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), OFFSET_CRC);
  return batch;
}

/** True when the control batch `buf` is a commit marker (false: abort, or unreadable). */
export function isCommitMarker(buf: Buffer): boolean {
  try {
    const [r] = decodeRecords(buf, 0, buf.length);
    return (
      r?.key !== null && r?.key !== undefined && r.key.length >= 4 && r.key.readInt16BE(2) === CONTROL_COMMIT
    );
  } catch {
    return false;
  }
}

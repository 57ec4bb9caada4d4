import { ErrorCode } from '../../error-codes';

/** A partition's record set refused before it reaches the log. */
export interface RecordsProblem {
  readonly errorCode: number;
  /** For the broker's log; Kafka answers these refusals without an error message. */
  readonly message: string;
}

/** Bytes before a batch's magic byte: base offset (8), length (4), leader epoch (4). */
const HEADER_SIZE_UP_TO_MAGIC = 17;
/** Base offset and length. */
const LOG_OVERHEAD = 12;
/** The smallest record Kafka's batch iterator takes (a v0 record's overhead). */
const RECORD_OVERHEAD_V0 = 14;
const ZSTD = 4;

/**
 * Kafka's batch iterator over a record set (`ByteBufferLogInputStream`): the size of the batch at
 * `at`, or null at the end (fewer bytes left than a whole batch). Throws a CORRUPT_MESSAGE problem
 * for a size below the minimum or an unknown magic, as Kafka's iterator does.
 */
function nextBatchSize(records: Buffer, at: number): number | null {
  const remaining = records.length - at;
  if (remaining < LOG_OVERHEAD) return null;
  const size = records.readInt32BE(at + 8);
  if (size < RECORD_OVERHEAD_V0)
    throw corrupt(`record size ${size} is less than the minimum record overhead (${RECORD_OVERHEAD_V0})`);
  if (remaining < HEADER_SIZE_UP_TO_MAGIC) return null;
  const magic = records.readInt8(at + 16);
  if (magic < 0 || magic > 2) throw corrupt(`invalid magic found in record: ${magic}`);
  return remaining < size + LOG_OVERHEAD ? null : size + LOG_OVERHEAD;
}

function corrupt(message: string): RecordsProblem {
  return { errorCode: ErrorCode.CORRUPT_MESSAGE, message };
}

/**
 * What Kafka checks of a partition's records before appending them (`ProduceRequest.validateRecords`,
 * called per partition by `KafkaApis.handleProduceRequest`, and `LogValidator`): from Produce v3 a
 * record set holds exactly one batch, of magic 2 (INVALID_RECORD otherwise), not zstd-compressed
 * before v7 (UNSUPPORTED_COMPRESSION_TYPE). Before v3 Kafka skips this check, but its log validator
 * still refuses a magic-2 record set of more than one batch with INVALID_RECORD; this broker takes
 * only magic 2, so it refuses a second batch in every version. Returns null when the set passes.
 * Only the partition concerned is refused; the request's other partitions are appended as usual.
 */
export function produceRecordsProblem(version: number, records: Buffer): RecordsProblem | null {
  try {
    const first = nextBatchSize(records, 0);
    if (version >= 3) {
      if (first === null)
        return {
          errorCode: ErrorCode.INVALID_RECORD,
          message: `Produce requests with version ${version} must have at least one record batch per partition`,
        };
      if (records.readInt8(16) !== 2)
        return {
          errorCode: ErrorCode.INVALID_RECORD,
          message: `Produce requests with version ${version} are only allowed to contain record batches with magic version 2`,
        };
      if (version < 7 && records.length >= 23 && (records.readInt16BE(21) & 0x07) === ZSTD)
        return {
          errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
          message: `Produce requests with version ${version} are not allowed to use ZStandard compression`,
        };
    }
    if (
      first !== null &&
      (version >= 3 || records.readInt8(16) === 2) &&
      nextBatchSize(records, first) !== null
    )
      return {
        errorCode: ErrorCode.INVALID_RECORD,
        message: `Produce requests with version ${version} are only allowed to contain exactly one record batch per partition`,
      };
    return null;
  } catch (problem) {
    if ((problem as RecordsProblem).errorCode === ErrorCode.CORRUPT_MESSAGE) return problem as RecordsProblem;
    throw problem;
  }
}

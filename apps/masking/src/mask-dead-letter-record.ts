import { redact } from '@gmart/gmart';
import type {
  DeadLetterContext,
  DeadLetterRecord,
  DeadLetterRecordMapper,
  StreamsConfig,
} from '@gmart/streams';
import { maskCardNumbersInPlace } from './mask-bytes-in-place';
import { MaskingDeadLetterHandler } from './masking-dead-letter-handler';

function maskedCopy(buf: Buffer | null): Buffer | null {
  if (!buf) return buf;
  const copy = Buffer.from(buf);
  maskCardNumbersInPlace(copy);
  return copy;
}

/**
 * The masking service's dead-letter mapper (`deadLetterQueue.mapRecord` of `@gmart/streams`): the
 * record written to `<applicationId>-dlq` is a copy of the bad record with every card number
 * masked, last 4 digits visible, in its key, its value and every header (the error message
 * header included). The consumed record itself is left untouched.
 */
export const maskDeadLetterRecord: DeadLetterRecordMapper = (
  record: DeadLetterRecord,
  _context: DeadLetterContext,
): DeadLetterRecord => {
  const headers: Record<string, Buffer | string | undefined> = {};
  for (const [name, v] of Object.entries(record.headers)) {
    headers[name] = Buffer.isBuffer(v) ? maskedCopy(v)! : typeof v === 'string' ? redact(v) : v;
  }
  return {
    key: maskedCopy(record.key),
    value: maskedCopy(record.value),
    timestamp: record.timestamp,
    headers,
  };
};

/**
 * The `@gmart/streams` settings the masking service runs with: its deserialization handler and
 * the dead-letter mapper (the dead-letter topic itself comes from `DLQ_TOPIC`).
 */
export function maskingStreamsOverrides(): Pick<
  StreamsConfig,
  'deserializationExceptionHandler' | 'deadLetterQueue'
> {
  return {
    deserializationExceptionHandler: new MaskingDeadLetterHandler(),
    deadLetterQueue: { mapRecord: maskDeadLetterRecord },
  };
}

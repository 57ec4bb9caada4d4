import { redact } from '@gmart/gmart';
import {
  type DeserializationExceptionHandler,
  type ErrorHandlerContext,
  HandlerResponse,
  type RawRecord,
} from '@gmart/streams';
import { maskCardNumbersInPlace } from './mask-bytes-in-place';

/**
 * Deserialization handler of the masking service: logs where the bad record was (never its
 * content), masks every card number in the record's raw key, value and headers, and tells the
 * runtime to continue. The runtime then writes that same, now masked, record to the dead-letter
 * topic (`<applicationId>-dlq`) with the reason in the `__streams.errors.message` header.
 *
 * `@gmart/streams` writes the raw bytes it handed to the handler, so the masking happens in place;
 * `transactions` is the only topic with card numbers in clear, and its dead letters must not
 * carry them.
 */
export class MaskingDeadLetterHandler implements DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, record: RawRecord, error: Error): HandlerResponse {
    let masked = 0;
    if (record.value) masked += maskCardNumbersInPlace(record.value);
    if (record.key) masked += maskCardNumbersInPlace(record.key);
    const headers = record.headers as Record<string, Buffer | string | undefined>;
    for (const [name, v] of Object.entries(headers)) {
      if (Buffer.isBuffer(v)) masked += maskCardNumbersInPlace(v);
      else if (typeof v === 'string') headers[name] = redact(v);
    }
    context.logger.warn('Invalid purchase; masked and sent to the dead-letter topic', {
      taskId: context.taskId,
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
      error: error.name,
      reason: redact(error.message),
      cardNumbersMasked: masked,
    });
    return HandlerResponse.CONTINUE;
  }
}

import { redact } from '@gmart/gmart';
import {
  type DeserializationExceptionHandler,
  type ErrorHandlerContext,
  HandlerResponse,
  type RawRecord,
} from '@gmart/streams';

/**
 * Deserialization handler of the masking service: logs where the bad record was (never its
 * content; the reason with card numbers masked) and tells the runtime to continue. The runtime then
 * writes the record to the dead-letter topic (`<applicationId>-dlq`) through
 * `maskDeadLetterRecord`, which masks every card number in the copy it writes.
 */
export class MaskingDeadLetterHandler implements DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, _record: RawRecord, error: Error): HandlerResponse {
    context.logger.warn('Invalid purchase; sent to the dead-letter topic with card numbers masked', {
      taskId: context.taskId,
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
      error: error.name,
      reason: redact(error.message),
    });
    return HandlerResponse.CONTINUE;
  }
}

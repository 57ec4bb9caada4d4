import { ErrorHandlerContext, HandlerResponse, RawRecord } from './error-handler-context';

/** Decides what to do with a record whose key or value cannot be deserialized. */
export interface DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, record: RawRecord, error: Error): HandlerResponse;
}

/** Default: log the position and fail the task. */
export class LogAndFailExceptionHandler implements DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, _record: RawRecord, error: Error): HandlerResponse {
    context.logger.error('Deserialization failed; stopping (logAndFail)', position(context, error));
    return HandlerResponse.FAIL;
  }
}

/** Log the position and skip the record. */
export class LogAndContinueExceptionHandler implements DeserializationExceptionHandler {
  handle(context: ErrorHandlerContext, _record: RawRecord, error: Error): HandlerResponse {
    context.logger.warn('Deserialization failed; skipping record (logAndContinue)', position(context, error));
    return HandlerResponse.CONTINUE;
  }
}

export function position(context: ErrorHandlerContext, error: Error): Record<string, unknown> {
  return {
    taskId: context.taskId,
    topic: context.topic,
    partition: context.partition,
    offset: context.offset,
    node: context.processorNodeId,
    error: error.name,
    reason: error.message,
  };
}

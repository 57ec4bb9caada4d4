import { Record } from '../processor/record';
import { ErrorHandlerContext, HandlerResponse } from './error-handler-context';
import { position } from './deserialization-exception-handler';

/** Decides what to do when a user function or processor throws. */
export interface ProcessingExceptionHandler {
  handle(context: ErrorHandlerContext, record: Record<unknown, unknown>, error: Error): HandlerResponse;
}

/** Default: log the position and fail the task. */
export class LogAndFailProcessingExceptionHandler implements ProcessingExceptionHandler {
  handle(context: ErrorHandlerContext, _record: Record<unknown, unknown>, error: Error): HandlerResponse {
    context.logger.error('Processing failed; stopping', position(context, error));
    return HandlerResponse.FAIL;
  }
}

/** Log the position and skip the record. */
export class LogAndContinueProcessingExceptionHandler implements ProcessingExceptionHandler {
  handle(context: ErrorHandlerContext, _record: Record<unknown, unknown>, error: Error): HandlerResponse {
    context.logger.warn('Processing failed; skipping record', position(context, error));
    return HandlerResponse.CONTINUE;
  }
}

import { ErrorHandlerContext, HandlerResponse } from './error-handler-context';
import { position } from './deserialization-exception-handler';

/** A record the runtime failed to serialize or to write. */
export interface ProducedRecord {
  readonly topic: string;
  readonly partition?: number;
  readonly timestamp: number;
  /** Bytes when serialization succeeded, the original object otherwise. */
  readonly key: unknown;
  readonly value: unknown;
}

/** Which part of a record failed to serialize. */
export enum SerializationOrigin {
  KEY = 'KEY',
  VALUE = 'VALUE',
}

/** Decides what to do when writing a record fails (e.g. record too large). */
export interface ProductionExceptionHandler {
  handle(context: ErrorHandlerContext, record: ProducedRecord, error: Error): HandlerResponse;
  handleSerializationException?(
    context: ErrorHandlerContext,
    record: ProducedRecord,
    error: Error,
    origin: SerializationOrigin,
  ): HandlerResponse;
}

/** Default: fail the task on any production or serialization error. */
export class DefaultProductionExceptionHandler implements ProductionExceptionHandler {
  handle(context: ErrorHandlerContext, record: ProducedRecord, error: Error): HandlerResponse {
    context.logger.error('Producing a record failed; stopping', {
      ...position(context, error),
      outputTopic: record.topic,
    });
    return HandlerResponse.FAIL;
  }
}

/** Log and drop records that cannot be written. */
export class LogAndContinueProductionExceptionHandler implements ProductionExceptionHandler {
  handle(context: ErrorHandlerContext, record: ProducedRecord, error: Error): HandlerResponse {
    context.logger.warn('Producing a record failed; dropping it', {
      ...position(context, error),
      outputTopic: record.topic,
    });
    return HandlerResponse.CONTINUE;
  }
  handleSerializationException(
    context: ErrorHandlerContext,
    record: ProducedRecord,
    error: Error,
  ): HandlerResponse {
    return this.handle(context, record, error);
  }
}

export * from './streams-error';
export * from './config-error';
export * from './topology-error';
export * from './serialization-error';
export * from './undecodable-batch-error';
export * from './processing-error';
export * from './production-error';
export * from './produce-refused-error';
export * from './illegal-state-error';
export * from './error-handler-context';
export {
  DeserializationExceptionHandler,
  LogAndFailExceptionHandler,
  LogAndContinueExceptionHandler,
} from './deserialization-exception-handler';
export * from './production-exception-handler';
export * from './processing-exception-handler';
export * from './uncaught-exception-handler';
export * from './dead-letter-queue';

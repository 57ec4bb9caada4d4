/** What to do after a stream thread died of an error (Kafka Streams' `StreamThreadExceptionResponse`). */
export enum StreamThreadExceptionResponse {
  /** Start a new thread (new consumer) in place of the failed one; it resumes from the last commit. */
  REPLACE_THREAD = 'REPLACE_THREAD',
  /** Close this instance; its state becomes ERROR. */
  SHUTDOWN_CLIENT = 'SHUTDOWN_CLIENT',
  /** Close every instance of the application (see README for how this is signalled). */
  SHUTDOWN_APPLICATION = 'SHUTDOWN_APPLICATION',
}

/** Called with the error that killed a stream thread. */
export type StreamsUncaughtExceptionHandler = (error: Error) => StreamThreadExceptionResponse;

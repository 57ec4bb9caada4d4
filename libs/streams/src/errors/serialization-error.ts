import { StreamsError, StreamsErrorOptions } from './streams-error';

/** A key or value could not be serialized or deserialized. */
export class SerializationError extends StreamsError {
  constructor(message: string, options: StreamsErrorOptions = {}) {
    super(message, options);
  }
}

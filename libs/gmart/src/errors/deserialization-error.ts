import { SerializationError } from '@gmart/streams';

/**
 * A record value could not be turned into a model: malformed JSON, a missing field, a wrong type
 * or an out-of-range value. It is a `@gmart/streams` `SerializationError`, so the streams runtime
 * hands it to the deserialization exception handler (dead-letter topic, log-and-continue, ...).
 *
 * `field` names the first offending field (a dotted path) when the problem is a field. The
 * message names the field and the reason but never echoes the value, so it is safe for logs and
 * dead-letter headers; `cause` is never set (a JSON parser's message quotes its input).
 */
export class DeserializationError extends SerializationError {
  /** Dotted path of the first bad field, when the problem is a field. */
  readonly field: string | undefined;
  /** Topic the record came from. */
  readonly topic: string;

  constructor(message: string, options: { topic: string; field?: string }) {
    super(message, { retriable: false });
    this.topic = options.topic;
    this.field = options.field;
  }
}

/** A model could not be written: it does not satisfy its schema (a `@gmart/streams` `SerializationError`). */
export class ModelSerializationError extends SerializationError {
  /** Dotted path of the first bad field, when the problem is a field. */
  readonly field: string | undefined;
  /** Topic the record was meant for. */
  readonly topic: string;

  constructor(message: string, options: { topic: string; field?: string }) {
    super(message, { retriable: false });
    this.topic = options.topic;
    this.field = options.field;
  }
}

import { StreamsError } from './streams-error';

/** Sending a record to Kafka failed and the production exception handler said FAIL. */
export class ProductionError extends StreamsError {}

import { StreamsError } from './streams-error';

/** An operation was called in a state that does not allow it (e.g. `start()` twice). */
export class IllegalStateError extends StreamsError {}

import { StreamsError } from './streams-error';

/** A user function or processor threw while processing a record; names the node and the record position. */
export class ProcessingError extends StreamsError {}

/** A task failed and cannot continue; the stream thread hands it to the uncaught exception handler. */
export class TaskFailedError extends StreamsError {}

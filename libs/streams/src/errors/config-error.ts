import { StreamsError } from './streams-error';

/** A configuration value is missing or invalid; `field` names it. */
export class StreamsConfigError extends StreamsError {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`Invalid streams config "${field}": ${problem}`);
  }
}

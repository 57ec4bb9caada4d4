/** What drives a punctuator: record timestamps (stream time) or the system clock. */
export enum PunctuationType {
  STREAM_TIME = 'STREAM_TIME',
  WALL_CLOCK_TIME = 'WALL_CLOCK_TIME',
}

/** Called on a schedule with the current time of its `PunctuationType`. */
export type Punctuator = (timestamp: number) => void;

/** Handle returned by `schedule()`; `cancel()` stops further punctuations. */
export interface Cancellable {
  cancel(): void;
}

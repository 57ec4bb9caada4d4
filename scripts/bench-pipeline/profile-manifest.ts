/** File in the `--profile` directory listing every run: one JSON {@link ProfiledRun} a line. */
export const PROFILE_MANIFEST = 'runs.jsonl';

/** One run of `bench:pipeline --profile`: which profile is which process, and the timed window. */
export interface ProfiledRun {
  readonly case: string;
  readonly client: string;
  readonly guarantee: string | null;
  readonly run: number;
  /** Timed records of the run. */
  readonly records: number;
  /** Start and end of the timed part on the profiles' clock (CLOCK_MONOTONIC, µs). */
  readonly startUs: number;
  readonly endUs: number;
  /** Process id by name (`broker`, `bench`, each service); a profile file names its process id. */
  readonly pids: Readonly<Record<string, number>>;
}

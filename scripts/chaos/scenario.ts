import type { ChaosEnv } from './chaos-env';
import type { ChaosOptions } from './cli-options';

/** One row of the chaos table: what a scenario guarantees and the figures that show it. */
export interface ScenarioResult {
  /** Scenario name (`service-kill-loop`). */
  readonly name: string;
  /** PASS when every invariant held, FAIL otherwise; SKIP only when the machine cannot run it (said in `note`). */
  readonly outcome: 'PASS' | 'FAIL' | 'SKIP';
  /** Records written into the scenario's input (acknowledged by the broker). */
  readonly recordsIn?: number;
  /** Distinct records found at the scenario's output (topic or collection). */
  readonly recordsOut?: number;
  /** Input records missing from the output. */
  readonly lost?: number;
  /** Output records beyond one per input record (at-least-once redelivery) or double-applied state. */
  readonly duplicates?: number;
  /** Records in the dead-letter topic. */
  readonly dlq?: number;
  /** Largest resident set size of the service processes under test, in MiB. */
  readonly peakRssMb?: number;
  /** Wall time of the scenario in seconds. */
  readonly seconds: number;
  /** Further figures (kills, rebalances, exit message) and, on FAIL, the broken invariants. */
  readonly note: string;
}

/** Figures a scenario reports; the runner adds the name, the time and PASS/FAIL. */
export type ScenarioFigures = Omit<ScenarioResult, 'name' | 'outcome' | 'seconds'> & {
  /** Invariants that did not hold (empty: PASS). */
  readonly failures: readonly string[];
  /** Set when the scenario could not run on this machine (e.g. no permission to mount a tmpfs). */
  readonly skipped?: string;
};

/** A chaos scenario: runs against the shared broker and MongoDB of `env`, asserts its invariants. */
export interface Scenario {
  readonly name: string;
  /** One line: what it does and what it guarantees (for `--help` and the README). */
  readonly summary: string;
  /** Records it uses by default (`--records` overrides). */
  readonly defaultRecords: number;
  run(env: ChaosEnv, records: number, options: ChaosOptions): Promise<ScenarioFigures>;
}

/** Collects the invariants that fail: `check(cond, message)` records `message` when `cond` is false. */
export class Invariants {
  readonly failures: string[] = [];
  check(holds: boolean, message: string): void {
    if (!holds) this.failures.push(message);
  }
}

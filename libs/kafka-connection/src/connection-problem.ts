/** One bad or missing connection variable. */
export interface ConnectionProblem {
  /** The environment variable (`KAFKA_SASL_PASSWORD`), or the field a caller maps it from. */
  readonly variable: string;
  /** What is wrong, without the value (values may be secrets). */
  readonly reason: string;
}

/**
 * The Kafka connection settings are invalid: the message lists every offending variable by name
 * with the reason, never a value.
 */
export class KafkaConnectionError extends Error {
  readonly problems: readonly ConnectionProblem[];

  constructor(problems: readonly ConnectionProblem[]) {
    super(
      `Invalid Kafka connection settings:\n` + problems.map((p) => `  ${p.variable}: ${p.reason}`).join('\n'),
    );
    this.name = 'KafkaConnectionError';
    this.problems = problems;
  }

  /** The names of the offending variables. */
  get variables(): string[] {
    return this.problems.map((p) => p.variable);
  }
}

import { NestStreamsError } from './nest-streams-error';

/** One bad or missing environment variable. */
export interface ConfigProblem {
  /** The environment variable name (`KAFKA_BROKERS`). */
  readonly variable: string;
  /** What is wrong, without the value (values may be secrets). */
  readonly reason: string;
}

/**
 * The service configuration is invalid: the message lists every bad or missing environment
 * variable by name with the reason, never the value.
 */
export class ConfigError extends NestStreamsError {
  readonly service: string;
  readonly problems: readonly ConfigProblem[];

  constructor(service: string, problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration for service "${service}":\n` +
        problems.map((p) => `  ${p.variable}: ${p.reason}`).join('\n'),
      { retriable: false },
    );
    this.service = service;
    this.problems = problems;
  }

  /** The names of the offending variables. */
  get variables(): string[] {
    return this.problems.map((p) => p.variable);
  }
}

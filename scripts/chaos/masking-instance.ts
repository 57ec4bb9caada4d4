import type { ChaosEnv } from './chaos-env';

/** Topics and environment of one masking application run by a scenario under the prefix `p`. */
export interface MaskingSetup {
  readonly applicationId: string;
  /** Raw purchases in (card numbers in clear). */
  readonly input: string;
  /** Masked purchases out. */
  readonly output: string;
  readonly dlq: string;
  /** Environment of every instance. */
  readonly env: Record<string, string>;
}

/** Creates `<p>-transactions` (raw), `<p>-purchases` and `<p>-masking-dlq` for a masking application `<p>-masking`. */
export async function setUpMasking(env: ChaosEnv, p: string, partitions: number): Promise<MaskingSetup> {
  const setup = {
    applicationId: `${p}-masking`,
    input: `${p}-transactions`,
    output: `${p}-purchases`,
    dlq: `${p}-masking-dlq`,
  };
  await env.createTopics(
    [
      { topic: setup.input, numPartitions: partitions },
      { topic: setup.output, numPartitions: partitions },
      { topic: setup.dlq },
    ],
    [setup.input],
  );
  return {
    ...setup,
    env: {
      APPLICATION_ID: setup.applicationId,
      TOPIC_TRANSACTIONS: setup.input,
      TOPIC_PURCHASES: setup.output,
      DLQ_TOPIC: setup.dlq,
    },
  };
}

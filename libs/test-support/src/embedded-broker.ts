import { EmbeddedKafka, type EmbeddedKafkaOptions } from '@gmart/embedded-kafka';
import { Kafka, logLevel } from 'kafkajs';
import { retryOnAddressInUse, type AddressInUseRetry } from './address-in-use';

/** A running embedded broker with its bootstrap list and a kafkajs client for the test's own reads/writes. */
export interface TestBroker {
  readonly broker: EmbeddedKafka;
  readonly brokers: string[];
  readonly kafka: Kafka;
}

/** Options of {@link startBroker}: the broker's own, plus the test client's id and the port retry. */
export interface TestBrokerOptions extends EmbeddedKafkaOptions {
  /** clientId of the returned kafkajs client (default `test-support`). */
  readonly clientId?: string;
  /** Retry while a remembered (non-zero) `port` is still in use (see {@link retryOnAddressInUse}). */
  readonly addressInUse?: AddressInUseRetry;
}

/**
 * Group settings for tests: no initial rebalance delay (a group's first member does not wait 3 s
 * for others), as Kafka's own integration tests set `group.initial.rebalance.delay.ms=0`.
 */
export const TEST_GROUP_SETTINGS = { groupInitialRebalanceDelayMs: 0 } as const;

/**
 * Starts an embedded broker (a free port unless `port` is given; a temp data dir unless `dataDir`
 * is) with {@link TEST_GROUP_SETTINGS}. Restarting on a remembered port retries while the port is in use.
 */
export async function startBroker(options: TestBrokerOptions = {}): Promise<TestBroker> {
  const { clientId = 'test-support', addressInUse, ...brokerOptions } = options;
  const start = () => EmbeddedKafka.start({ port: 0, ...TEST_GROUP_SETTINGS, ...brokerOptions });
  const broker = brokerOptions.port ? await retryOnAddressInUse(start, addressInUse) : await start();
  const brokers = broker.bootstrapServers.split(',');
  return { broker, brokers, kafka: new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId }) };
}

/**
 * The embedded broker of a test file or `describe` block: started (with `options`, as
 * {@link startBroker}) before its tests and stopped after them. Call it in the block's body; the
 * function it returns gives the broker inside the block's tests and hooks.
 */
export function useBroker(options: TestBrokerOptions = {}): () => TestBroker {
  let env: TestBroker | undefined;
  beforeAll(async () => {
    env = await startBroker(options);
  });
  afterAll(async () => {
    await env?.broker.stop();
  });
  return () => {
    if (!env)
      throw new Error('useBroker: the broker is started before the tests of its block, not at collection');
    return env;
  };
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { EmbeddedKafka, type EmbeddedKafkaOptions } from '../../src';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';

/** A unique temp dir for one test. */
export function tempDir(prefix = 'ek-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A kafkajs client for a broker, quiet. */
export function kafkaFor(bootstrap: string, clientId = 'test'): Kafka {
  return new Kafka({
    brokers: [bootstrap],
    clientId,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 100 },
  });
}

/** Collects broker log lines (for asserting on logged reasons). */
export function memoryLogger() {
  const lines: string[] = [];
  return {
    lines,
    logger: {
      info: (m: string) => lines.push(`INFO ${m}`),
      warn: (m: string) => lines.push(`WARN ${m}`),
      error: (m: string) => lines.push(`ERROR ${m}`),
    },
  };
}

/**
 * The brokers of a `describe` block's tests: the returned function starts one (with `options`),
 * and every broker a test started is stopped after that test.
 */
export function brokerPerTest(): (options?: EmbeddedKafkaOptions) => Promise<EmbeddedKafka> {
  const started: EmbeddedKafka[] = [];
  afterEach(async () => {
    for (const broker of started.splice(0)) await broker.stop();
  });
  return async (options = {}) => {
    const broker = await EmbeddedKafka.start(options);
    started.push(broker);
    return broker;
  };
}

/** A message as {@link readBack} gives it. */
export interface ReadMessage {
  readonly topic: string;
  readonly partition: number;
  readonly value: string;
}

/**
 * Reads `topics` from the beginning with a new consumer group `groupId` until `count` messages
 * arrived or `timeoutMs` passed, then leaves the group: the messages in arrival order (each
 * partition's in offset order). `onMessage` sees each as it arrives, inside the consumer.
 */
export async function readBack(
  kafka: Kafka,
  groupId: string,
  topics: string[],
  count: number,
  onMessage: (message: ReadMessage) => void = () => undefined,
  timeoutMs = 60_000,
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  const got: ReadMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const m = { topic, partition, value: message.value!.toString() };
      got.push(m);
      onMessage(m);
    },
  });
  const deadline = Date.now() + timeoutMs;
  while (got.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return got;
}

import { toKafkaJsConnection } from '@gmart/kafka-connection';
import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { PurchaseGenerator } from '../generator/purchase-generator';
import { GmartSerdes } from '../serde/gmart-serdes';
import type { GenerateOptions } from './generate-options';

/** Progress of a {@link producePurchases} run. */
export interface ProduceProgress {
  readonly sent: number;
  readonly elapsedMs: number;
}

/** Hooks of {@link producePurchases}. */
export interface ProduceHooks {
  /** Stops producing when aborted (the current batch is finished first). */
  readonly signal?: AbortSignal;
  /** Called about every `progressIntervalMs` (default 5000). */
  readonly onProgress?: (progress: ProduceProgress) => void;
  readonly progressIntervalMs?: number;
}

const TICK_MS = 50;
const MAX_BATCH = 5_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function ensureTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Produces generated purchases at `options.rate` records/s until `options.count` records are
 * acknowledged or the signal aborts. Creates the topic when it does not exist. Resolves with the
 * number of records acknowledged by the broker. Never logs record values.
 */
export async function producePurchases(
  options: GenerateOptions,
  hooks: ProduceHooks = {},
): Promise<ProduceProgress> {
  const kafka = new Kafka({
    clientId: options.clientId,
    ...toKafkaJsConnection(options),
    logLevel: logLevel.ERROR,
  });
  await ensureTopic(kafka, options.topic, options.partitions);
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const generator = new PurchaseGenerator({
    seed: options.seed,
    customers: options.customers,
    startTime: options.startTime,
  });
  const serializer = GmartSerdes.Purchase().serializer();
  const started = Date.now();
  const progressEvery = hooks.progressIntervalMs ?? 5000;
  let lastProgress = started;
  let sent = 0;
  try {
    while (!hooks.signal?.aborted && (options.count === undefined || sent < options.count)) {
      const elapsed = Date.now() - started;
      const due = Math.floor((elapsed / 1000) * options.rate) + 1;
      const limit = options.count === undefined ? due : Math.min(due, options.count);
      const n = Math.min(limit - sent, MAX_BATCH);
      if (n <= 0) {
        await sleep(TICK_MS);
        continue;
      }
      const messages: Message[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const p = generator.next();
        messages[i] = {
          key: options.key === 'customer' ? p.customerId : null,
          value: serializer.serialize(options.topic, p),
          timestamp: String(p.purchaseDate),
        };
      }
      await producer.send({ topic: options.topic, messages, acks: -1 });
      sent += n;
      const now = Date.now();
      if (hooks.onProgress && now - lastProgress >= progressEvery) {
        lastProgress = now;
        hooks.onProgress({ sent, elapsedMs: now - started });
      }
    }
  } finally {
    await producer.disconnect();
  }
  return { sent, elapsedMs: Date.now() - started };
}

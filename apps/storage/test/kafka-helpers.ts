import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export async function startBroker(
  dataDir?: string,
): Promise<{ broker: EmbeddedKafka; brokers: string[]; kafka: Kafka }> {
  const broker = await EmbeddedKafka.start({
    port: 0,
    groupInitialRebalanceDelayMs: 0,
    ...(dataDir ? { dataDir } : {}),
  });
  const brokers = broker.bootstrapServers.split(',');
  return {
    broker,
    brokers,
    kafka: new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: 'storage-test' }),
  };
}

export async function createTopics(
  kafka: Kafka,
  topics: Array<{ topic: string; numPartitions?: number }>,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions ?? 1,
        replicationFactor: 1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function produce(
  kafka: Kafka,
  topic: string,
  records: Array<{ key: string | null; value: string }>,
  chunk = 500,
): Promise<void> {
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  try {
    for (let i = 0; i < records.length; i += chunk)
      await p.send({ topic, acks: -1, messages: records.slice(i, i + chunk) });
  } finally {
    await p.disconnect();
  }
}

/** Reads `topic` from the beginning until `count` records arrived. */
export async function consume(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 60000,
): Promise<Array<{ key: string | null; value: string; headers: Record<string, string> }>> {
  const c = kafka.consumer({ groupId: `reader-${topic}-${Math.random().toString(36).slice(2)}` });
  await c.connect();
  await c.subscribe({ topics: [topic], fromBeginning: true });
  const out: Array<{ key: string | null; value: string; headers: Record<string, string> }> = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out with ${out.length}/${count} records on ${topic}`)),
        timeoutMs,
      );
      c.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          out.push({
            key: message.key ? message.key.toString() : null,
            value: message.value!.toString(),
            headers,
          });
          if (out.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
  } finally {
    await c.disconnect();
  }
  return out;
}

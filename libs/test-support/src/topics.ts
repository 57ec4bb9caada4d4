import { type Kafka, Partitioners } from 'kafkajs';

/** A topic to create: one partition and no config unless given. */
export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions?: number;
  readonly config?: Record<string, string>;
}

/** Creates `topics` (replication factor 1) and waits for their leaders. */
export async function createTopics(kafka: Kafka, topics: readonly TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions ?? 1,
        replicationFactor: 1,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** A record to produce; kafkajs' default partitioner (Java's murmur2) places it unless `partition` is set. */
export interface ProducedRecord {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer | null;
  readonly partition?: number;
  readonly timestamp?: string;
  readonly headers?: Record<string, string | Buffer>;
}

/** Writes `records` to `topic` with acks=all, `chunk` records a request, in order. */
export async function produce(
  kafka: Kafka,
  topic: string,
  records: readonly ProducedRecord[],
  chunk = 1000,
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

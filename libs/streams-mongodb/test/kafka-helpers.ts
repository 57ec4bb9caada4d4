import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

export async function startBroker(): Promise<{ broker: EmbeddedKafka; brokers: string[]; kafka: Kafka }> {
  const broker = await EmbeddedKafka.start({ port: 0, groupInitialRebalanceDelayMs: 0 });
  const brokers = broker.bootstrapServers.split(',');
  return {
    broker,
    brokers,
    kafka: new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: 'sink-test' }),
  };
}

export async function createTopic(kafka: Kafka, topic: string, numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions, replicationFactor: 1 }],
    });
  } finally {
    await admin.disconnect();
  }
}

export async function produce(
  kafka: Kafka,
  topic: string,
  records: Array<{ key: string | null; value: string; partition?: number }>,
): Promise<void> {
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  try {
    for (let i = 0; i < records.length; i += 1000)
      await p.send({ topic, acks: -1, messages: records.slice(i, i + 1000) });
  } finally {
    await p.disconnect();
  }
}

/** Committed offset of partition 0 of `topic` for `groupId` (-1 when none). */
export async function committed(
  kafka: Kafka,
  groupId: string,
  topic: string,
  partition = 0,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const res = await admin.fetchOffsets({ groupId, topics: [topic] });
    const p = res[0].partitions.find((x) => x.partition === partition);
    return p ? Number(p.offset) : -1;
  } finally {
    await admin.disconnect();
  }
}

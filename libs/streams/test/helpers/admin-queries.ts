import type { Kafka } from 'kafkajs';

/** Runs `query` with a connected kafkajs admin client, disconnected after. */
async function withAdmin<T>(
  kafka: Kafka,
  query: (admin: ReturnType<Kafka['admin']>) => Promise<T>,
): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await query(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The names of every topic on the broker. */
export function listTopics(kafka: Kafka): Promise<string[]> {
  return withAdmin(kafka, (admin) => admin.listTopics());
}

/** Each partition's log end offset (high watermark) of `topic`. */
export function logEndOffsets(kafka: Kafka, topic: string): Promise<Map<number, number>> {
  return withAdmin(
    kafka,
    async (admin) =>
      new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)])),
  );
}

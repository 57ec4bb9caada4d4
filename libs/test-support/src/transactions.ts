import type { Kafka, Producer } from 'kafkajs';

/**
 * A connected transactional kafkajs producer (`transactionalId`, idempotent, one request in flight,
 * as kafkajs requires for transactions), for tests that write committed and aborted transactions.
 */
export async function transactionalProducer(kafka: Kafka, transactionalId: string): Promise<Producer> {
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

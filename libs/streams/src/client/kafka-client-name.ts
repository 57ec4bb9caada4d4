/** The Kafka clients the runtime ships an implementation of (`StreamsConfig.kafkaClient`). */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;

/** `kafkajs` (kafkajs 2.2.4, patched) or `platformatic` (@platformatic/kafka). */
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

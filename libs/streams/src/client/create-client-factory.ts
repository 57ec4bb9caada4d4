import { ClientConnection, KafkaClientFactory } from './kafka-client';
import { KafkaClientName } from './kafka-client-name';
import { KafkajsClientFactory } from './kafkajs/kafkajs-client-factory';
import { PlatformaticClientFactory } from './platformatic/platformatic-client-factory';

/** The seam's implementation for a client name (`StreamsConfig.kafkaClient`). */
export function createClientFactory(name: KafkaClientName, connection: ClientConnection): KafkaClientFactory {
  return name === 'platformatic'
    ? new PlatformaticClientFactory(connection)
    : new KafkajsClientFactory(connection);
}

/**
 * `npm start`: runs the local stack on this machine, no Docker needed.
 * Today: the embedded Kafka-protocol broker on localhost:9092 (data under .data/kafka).
 * Ctrl-C stops it cleanly.
 */
import path from 'node:path';
import { EmbeddedKafka } from '@gmart/embedded-kafka';

async function main(): Promise<void> {
  const port = Number(process.env.KAFKA_PORT ?? 9092);
  const dataDir = path.resolve(process.env.KAFKA_DATA_DIR ?? '.data/kafka');
  const broker = await EmbeddedKafka.start({ port, dataDir });
  console.log(`embedded Kafka broker listening on ${broker.bootstrapServers} (data: ${dataDir})`);
  console.log('Press Ctrl-C to stop.');
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await broker.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

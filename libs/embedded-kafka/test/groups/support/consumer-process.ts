/**
 * A kafkajs group consumer in its own process, for tests that kill it without
 * a LeaveGroup. Usage: consumer-process.ts <bootstrap> <group> <topic>.
 * Prints "ready" once it has an assignment and one line per record:
 * "<partition> <offset> <value>".
 */
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const [bootstrap, groupId, topic] = process.argv.slice(2);
  if (!bootstrap || !groupId || !topic)
    throw new Error('usage: consumer-process.ts <bootstrap> <group> <topic>');
  const kafka = new Kafka({
    clientId: 'crashing-consumer',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 200,
  });
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      process.stdout.write(`${partition} ${message.offset} ${message.value!.toString()}\n`);
    },
  });
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});

/**
 * The seed's Hello World (Kafka Streams in Action, ch. 3): read `src-topic`, upper-case every
 * value, write `out-topic` and print each record. Against a running broker:
 *
 *   npm start                                   # embedded broker on localhost:9092
 *   npm run example:yelling -w @gmart/streams   # KAFKA_BROKERS overrides localhost:9092
 *
 * Creates the two topics when missing. Pass `--send "some text"` to write one record first.
 */
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Consumed, KafkaStreams, Printed, Produced, Serdes, StreamsBuilder } from '../src';

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
  const kafka = new Kafka({ brokers, clientId: 'yelling-setup', logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  const existing = await admin.listTopics();
  const missing = ['src-topic', 'out-topic'].filter((t) => !existing.includes(t));
  if (missing.length)
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
  await admin.disconnect();

  const stringSerde = Serdes.String();
  const builder = new StreamsBuilder();
  const simpleFirstStream = builder.stream('src-topic', Consumed.with(stringSerde, stringSerde));
  const upperCasedStream = simpleFirstStream.mapValues((v) => v.toUpperCase());
  upperCasedStream.to('out-topic', Produced.with(stringSerde, stringSerde));
  upperCasedStream.print(Printed.toSysOut<string, string>().withLabel('Yelling App'));

  const topology = builder.build();
  console.log(topology.describe().toString());
  const kafkaStreams = new KafkaStreams(topology, {
    applicationId: 'yelling_app_id',
    bootstrapServers: brokers,
  });
  await kafkaStreams.start();

  const sendAt = process.argv.indexOf('--send');
  if (sendAt > 0 && process.argv[sendAt + 1]) {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: 'src-topic', messages: [{ key: null, value: process.argv[sendAt + 1] }] });
    await producer.disconnect();
  }

  const shutdown = () => {
    console.error('Shutting down stream');
    kafkaStreams.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

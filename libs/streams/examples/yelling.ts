/**
 * The seed's Hello World (Kafka Streams in Action, ch. 3): read `src-topic`, upper-case every
 * value, write `out-topic` and print each record. Against a running broker:
 *
 *   npm start                                   # embedded broker on localhost:9092
 *   npm run example:yelling -w @gmart/streams   # KAFKA_BROKERS overrides localhost:9092
 *
 * Creates the two topics when missing. Pass `--send "some text"` to write one record first.
 * `--help` prints the usage; a bad flag exits 2.
 */
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Consumed, KafkaStreams, Printed, Produced, Serdes, StreamsBuilder } from '../src';

const USAGE = `Usage: npm run example:yelling -w @gmart/streams -- [--send TEXT]

The seed's yelling app against the broker in KAFKA_BROKERS (default localhost:9092):
src-topic -> upper case -> out-topic, each record printed.

  --send <text>   write one record with this value to src-topic once running
  -h, --help      show this help
`;

/** The example's flags; `--help` exits 0, a bad flag exits 2 naming it. */
function parseFlags(argv: string[]): { send?: string } {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { send: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      process.exit(0);
    }
    return { send: values.send };
  } catch (err) {
    process.stderr.write(`example:yelling: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
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

  if (flags.send) {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: 'src-topic', messages: [{ key: null, value: flags.send }] });
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

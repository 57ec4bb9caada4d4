/**
 * The seed's chapter 6 Processor API example: Pops-Hops beer sales, domestic ones as they are,
 * international ones converted to dollars, each to its own topic. Against a running broker:
 *
 *   npm start                          # embedded broker on localhost:9092
 *   npm run example:beer               # KAFKA_BROKERS overrides localhost:9092
 *   npm run example:beer -- --send 20  # also writes 20 random purchases first
 *
 * Creates the three topics when missing and prints the topology; Ctrl-C stops it. `--help` prints
 * the usage; a bad flag exits 2.
 */
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { KafkaStreams } from '../src';
import {
  type BeerPurchase,
  CURRENCY_TO_DOLLARS,
  type Currency,
  beerPurchaseSerde,
} from './beer/beer-purchase';
import { BEER_TOPICS, buildBeerTopology } from './beer/beer-topology';

const BEERS = ['pale ale', 'stout', 'pilsner', 'IPA', 'porter', 'lager'];

function randomPurchase(): BeerPurchase {
  const currencies = Object.keys(CURRENCY_TO_DOLLARS) as Currency[];
  const numberCases = 1 + Math.floor(Math.random() * 20);
  return {
    currency: currencies[Math.floor(Math.random() * currencies.length)]!,
    numberCases,
    totalSale: Math.round(numberCases * (20 + Math.random() * 15) * 100) / 100,
    beerType: BEERS[Math.floor(Math.random() * BEERS.length)]!,
  };
}

const USAGE = `Usage: npm run example:beer -- [--send N]

The seed's chapter 6 Processor API example against the broker in KAFKA_BROKERS (default
localhost:9092): pops-hops-purchases -> domestic-sales / international-sales.

  --send <n>    write n random beer purchases once running (1 to 100000)
  -h, --help    show this help
`;

/** The example's flags; `--help` exits 0, a bad flag exits 2 naming it. */
function parseFlags(argv: string[]): { send?: number } {
  let values: { send?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { send: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (values.send === undefined) return {};
  const n = Number(values.send);
  if (!/^\d+$/.test(values.send) || n < 1 || n > 100_000)
    usage(`--send must be a whole number from 1 to 100000, got "${values.send}"`);
  return { send: n };
}

function usage(problem: string): never {
  process.stderr.write(`example:beer: ${problem}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const brokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
  const kafka = new Kafka({ brokers, clientId: 'beer-setup', logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  const existing = await admin.listTopics();
  const missing = Object.values(BEER_TOPICS).filter((t) => !existing.includes(t));
  if (missing.length)
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
  await admin.disconnect();

  const topology = buildBeerTopology();
  console.log(topology.describe().toString());
  const streams = new KafkaStreams(topology, { applicationId: 'beer_app_id', bootstrapServers: brokers });
  await streams.start();
  // The source resets to LATEST (as in the seed): send only once the partitions are assigned.
  while (streams.state() !== 'RUNNING') await new Promise((r) => setTimeout(r, 100));
  console.log('beer example running: pops-hops-purchases -> domestic-sales / international-sales');

  if (flags.send !== undefined) {
    const n = flags.send;
    const serializer = beerPurchaseSerde().serializer();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: BEER_TOPICS.purchases,
      messages: Array.from({ length: n }, () => ({
        key: null,
        value: serializer.serialize(BEER_TOPICS.purchases, randomPurchase()),
      })),
    });
    await producer.disconnect();
    console.log(`sent ${n} beer purchases`);
  }

  const shutdown = () => {
    console.error('Shutting down the beer example');
    void streams.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

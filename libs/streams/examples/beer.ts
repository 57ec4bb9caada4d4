/**
 * The seed's chapter 6 Processor API example: Pops-Hops beer sales, domestic ones as they are,
 * international ones converted to dollars, each to its own topic. Against a running broker:
 *
 *   npm start                          # embedded broker on localhost:9092
 *   npm run example:beer               # KAFKA_BROKERS overrides localhost:9092
 *   npm run example:beer -- --send 20  # also writes 20 random purchases first
 *
 * Creates the three topics when missing and prints the topology; Ctrl-C stops it.
 */
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

async function main(): Promise<void> {
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

  const sendAt = process.argv.indexOf('--send');
  if (sendAt > 0) {
    const n = Number(process.argv[sendAt + 1] ?? '10');
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

import { EmbeddedKafka } from '@gmart/embedded-kafka';
import { EmbeddedMongo } from '@gmart/embedded-mongo';
import { Consumed, KafkaStreams, Serdes, StreamsBuilder } from '@gmart/streams';
import { Kafka } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { MongoSink } from '../src';
import {
  committedOffset,
  createTopics,
  produce,
  silentLogger,
  startBroker,
  startMongo,
  tempDir,
  waitFor,
} from '@gmart/test-support';
import { metricValue } from './helpers';

jest.setTimeout(150000);
const S = Serdes.String();

describe('MongoSink in the KafkaStreams runtime (embedded broker and MongoDB)', () => {
  let broker: EmbeddedKafka;
  let brokers: string[];
  let kafka: Kafka;
  let mongo: EmbeddedMongo;
  let dataDir: string;
  let client: MongoClient;
  const apps: KafkaStreams[] = [];

  beforeAll(async () => {
    ({ broker, brokers, kafka } = await startBroker());
    dataDir = tempDir('sink-runtime-mongo');
    mongo = await startMongo(dataDir);
    client = new MongoClient(mongo.uri, { serverSelectionTimeoutMS: 1000, heartbeatFrequencyMS: 500 });
    // The short selection timeout is for the outage below; on a loaded machine the first selection
    // can take longer, so connecting retries until it succeeds.
    await waitFor(() => client.connect().then(() => true), 30000, 'the MongoDB client to connect');
  });
  afterAll(async () => {
    for (const a of apps) await a.close({ timeoutMs: 5000 }).catch(() => undefined);
    await client?.close();
    await mongo?.stop();
    await broker?.stop();
  });

  function app(
    applicationId: string,
    topic: string,
    collection: string,
    commitIntervalMs: number,
    registry: Registry,
    batchSize: number,
  ) {
    const b = new StreamsBuilder();
    b.stream(topic, Consumed.with(S, S)).process(
      MongoSink.supplier<string, string>({
        name: collection,
        collection: client.db('rt').collection(collection),
        document: (r) => ({ key: r.key, value: r.value }),
        batchSize,
        retry: { initialBackoffMs: 50, maxBackoffMs: 500 },
        metricsRegistry: registry,
      }),
    );
    const streams = new KafkaStreams(b.build(), {
      applicationId,
      bootstrapServers: brokers,
      commitIntervalMs,
      logger: silentLogger,
      metricsRegistry: registry,
    });
    apps.push(streams);
    return streams;
  }

  const records = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({
      key: `k${from + i}`,
      value: `v${from + i}`,
      partition: 0,
    }));

  it('a full batch asks for an early commit: stored and committed long before the commit interval', async () => {
    await createTopics(kafka, [{ topic: 'early' }]);
    const registry = new Registry();
    const streams = app('early-app', 'early', 'early', 600000, registry, 100);
    await streams.start();
    await produce(kafka, 'early', records(0, 1000));
    await waitFor(
      async () => (await client.db('rt').collection('early').countDocuments()) === 1000,
      60000,
      '1000 documents',
    );
    await waitFor(
      async () => (await committedOffset(kafka, 'early-app', 'early')) === 1000,
      60000,
      'offset 1000 committed',
    );
    expect(await metricValue(registry, 'mongodb_sink_documents_written_total', { sink: 'early' })).toBe(1000);
  });

  it('a MongoDB outage pauses commits and consumption; after the restart nothing is lost or duplicated', async () => {
    await createTopics(kafka, [{ topic: 'outage' }]);
    const registry = new Registry();
    const streams = app('outage-app', 'outage', 'outage', 300, registry, 200);
    await streams.start();
    const coll = () => client.db('rt').collection('outage');
    await produce(kafka, 'outage', records(0, 500));
    await waitFor(
      async () => (await committedOffset(kafka, 'outage-app', 'outage')) === 500,
      60000,
      'offset 500 committed',
    );
    expect(await coll().countDocuments()).toBe(500);

    const port = mongo.port;
    await mongo.stop();
    await produce(kafka, 'outage', records(500, 1500));
    // Five retries (backoff 100, 200, 400, 800 ms...) span several 300 ms commit intervals.
    await waitFor(
      async () => (await metricValue(registry, 'mongodb_sink_retries_total', { sink: 'outage' })) >= 5,
      60000,
      'write retries',
    );
    // Nothing is committed while MongoDB cannot acknowledge.
    expect(await committedOffset(kafka, 'outage-app', 'outage')).toBe(500);
    const buffered = await metricValue(registry, 'mongodb_sink_buffered_documents', { sink: 'outage' });
    expect(buffered).toBeGreaterThan(0);
    expect(buffered).toBeLessThanOrEqual(1000);

    mongo = await startMongo(dataDir, port);
    await waitFor(
      async () => (await committedOffset(kafka, 'outage-app', 'outage')) === 1500,
      90000,
      'offset 1500 committed',
    );
    const docs = await coll()
      .find({}, { projection: { _id: 1 } })
      .toArray();
    const ids = docs.map((d) => String(d._id)).sort();
    const expected = Array.from({ length: 1500 }, (_, i) => `outage-0-${i}`).sort();
    expect(ids).toEqual(expected);
  });
});

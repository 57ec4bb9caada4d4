import { Consumed, Serdes, StreamsBuilder } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { MongoSink, MongoSinkError, MongoSinkStore, MongoSinkWriteError } from '../src';
import { silentLogger, startMongo, waitFor } from '@gmart/test-support';
import { connectedClient, metricValue } from './helpers';

jest.setTimeout(60000);
const S = Serdes.String();

async function driverFor(settings: Parameters<typeof MongoSink.supplier<string, string>>[0]) {
  const sink = MongoSink.supplier<string, string>(settings);
  const b = new StreamsBuilder();
  b.stream('in', Consumed.with(S, S)).process(sink);
  const driver = await TopologyTestDriver.create(b.build(), { logger: silentLogger });
  return {
    driver,
    store: driver.getStateStore<MongoSinkStore>(sink.storeName)!,
    input: driver.createInputTopic('in', S, S),
  };
}

describe('MongoSink store while MongoDB is down', () => {
  it('gives up after retry.maxRetryTimeMs with a retriable MongoSinkWriteError', async () => {
    const mongo = await startMongo();
    const client = await connectedClient(mongo.uri, 200);
    const registry = new Registry();
    const { driver, store, input } = await driverFor({
      name: 'budget',
      collection: client.db('d').collection('c'),
      retry: { initialBackoffMs: 10, maxBackoffMs: 50, maxRetryTimeMs: 1500 },
      metricsRegistry: registry,
    });
    await mongo.stop();
    input.pipeInput('k', 'v');
    const err = await store.flush().then(
      () => null,
      (e) => e,
    );
    expect(err).toBeInstanceOf(MongoSinkWriteError);
    expect(err.retriable).toBe(true);
    expect(err.message).toMatch(/gave up a write after \d+ attempts/);
    expect(
      await metricValue(registry, 'mongodb_sink_retries_total', { sink: 'budget', reason: 'network' }),
    ).toBeGreaterThan(0);
    const closeErr = await driver.close().then(
      () => null,
      (e) => e,
    );
    expect(closeErr?.cause).toBe(err);
    await client.close();
  });

  it('close() (a revoked task) stops retrying at once; the unacknowledged documents are dropped (their offsets were never committed)', async () => {
    const mongo = await startMongo();
    const client = await connectedClient(mongo.uri, 200);
    const registry = new Registry();
    const { driver, store, input } = await driverFor({
      name: 'closing',
      collection: client.db('d').collection('c'),
      retry: { initialBackoffMs: 5000, maxBackoffMs: 5000 },
      metricsRegistry: registry,
    });
    await mongo.stop();
    input.pipeInput('a', '1');
    input.pipeInput('b', '2');
    const pending = store.flush().then(
      () => null,
      (e) => e,
    );
    // The first write failed and the flush waits out its 5 s backoff.
    await waitFor(
      async () => (await metricValue(registry, 'mongodb_sink_retries_total', { sink: 'closing' })) >= 1,
      30000,
      'a failed write to be retried',
    );
    expect(store.bufferedCount).toBe(2);
    const started = Date.now();
    await store.close();
    expect(Date.now() - started).toBeLessThan(4000);
    const err = await pending;
    expect(err).toBeInstanceOf(MongoSinkError);
    expect(err.retriable).toBe(true);
    expect(store.isOpen()).toBe(false);
    expect(() => input.pipeInput('c', '3')).toThrow(/not open/);
    // The driver's clean close flushes: it must report that the documents were not stored.
    const closeErr = await driver.close().then(
      () => null,
      (e) => e,
    );
    expect(closeErr).not.toBeNull();
    await client.close();
  });

  it('close() during a healthy write lets the pending flush finish, so a racing commit still succeeds', async () => {
    const mongo = await startMongo();
    const client = await MongoClient.connect(mongo.uri);
    const { driver, store, input } = await driverFor({
      name: 'racing',
      collection: client.db('d').collection('race'),
      batchSize: 50,
    });
    for (let i = 0; i < 400; i++) input.pipeInput(`k${i}`, `v${i}`);
    const flushed = store.flush();
    await store.close();
    await flushed;
    expect(await client.db('d').collection('race').countDocuments()).toBe(400);
    await driver.close();
    await client.close();
    await mongo.stop();
  });
});

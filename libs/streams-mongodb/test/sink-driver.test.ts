import { EmbeddedMongo } from '@gmart/embedded-mongo';
import { Consumed, Produced, ProcessingError, Serdes, StreamsBuilder } from '@gmart/streams';
import { TopologyTestDriver } from '@gmart/streams/testing';
import { Db, MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import {
  MongoSink,
  MongoSinkIds,
  MongoSinkRecordError,
  MongoSinkStore,
  MongoSinkSupplier,
  MongoSinkWriteError,
  REFUSED_REASON_HEADER,
} from '../src';
import { silentLogger, startMongo } from '@gmart/test-support';
import { metricValue, monitoredClient } from './helpers';

jest.setTimeout(60000);
const S = Serdes.String();
interface Sale {
  sku: string;
  amount: number;
  note?: string;
}
const SaleSerde = Serdes.Json<Sale>();

describe('MongoSink through the TopologyTestDriver, into the embedded MongoDB', () => {
  let mongo: EmbeddedMongo;
  let client: MongoClient;
  let updates: number[];
  let db: Db;
  let n = 0;
  const drivers: TopologyTestDriver[] = [];

  beforeAll(async () => {
    mongo = await startMongo();
    ({ client, updates } = monitoredClient(mongo.uri));
    await client.connect();
  });
  beforeEach(() => {
    db = client.db(`t${++n}`);
    updates.length = 0;
  });
  afterEach(async () => {
    for (const d of drivers.splice(0)) await d.close();
  });
  afterAll(async () => {
    await client?.close();
    await mongo?.stop();
  });

  async function run<K, V>(
    sink: MongoSinkSupplier<K, V>,
    build: (b: StreamsBuilder, sink: MongoSinkSupplier<K, V>) => void,
    config = {},
  ) {
    const b = new StreamsBuilder();
    build(b, sink);
    const driver = await TopologyTestDriver.create(b.build(), {
      deserializationExceptionHandler: 'logAndFail',
      processingExceptionHandler: 'logAndFail',
      logger: silentLogger,
      ...config,
    });
    drivers.push(driver);
    const store = driver.getStateStore<MongoSinkStore>(sink.storeName)!;
    return { driver, store };
  }

  const plain = (sink: MongoSinkSupplier<string, Sale>) => (b: StreamsBuilder) => {
    b.stream('sales', Consumed.with(S, SaleSerde)).process(sink);
  };

  it('stores one document per record with the default id and shape; a replay adds no duplicate', async () => {
    const registry = new Registry();
    const sink = () =>
      MongoSink.supplier<string, Sale>({
        name: 'sales',
        collection: db.collection('sales'),
        metricsRegistry: registry,
      });
    const s1 = sink();
    const { driver, store } = await run(s1, plain(s1));
    const input = driver.createInputTopic('sales', S, SaleSerde);
    for (let i = 0; i < 50; i++)
      input.pipeInput(`k${i}`, { sku: `sku-${i}`, amount: i }, 1_700_000_000_000 + i);
    await store.flush();
    expect(store.bufferedCount).toBe(0);
    const docs = await db.collection('sales').find().sort({ timestamp: 1 }).toArray();
    expect(docs).toHaveLength(50);
    expect(docs[7]).toEqual({
      _id: 'sales-0-7',
      key: 'k7',
      value: { sku: 'sku-7', amount: 7 },
      timestamp: new Date(1_700_000_000_007),
    });
    // A second run over the same input (offsets 0..49 again, as after a crash before the commit).
    const s2 = sink();
    const again = await run(s2, plain(s2));
    const input2 = again.driver.createInputTopic('sales', S, SaleSerde);
    for (let i = 0; i < 60; i++)
      input2.pipeInput(`k${i}`, { sku: `sku-${i}`, amount: i * 10 }, 1_700_000_000_000 + i);
    await again.store.flush();
    expect(await db.collection('sales').countDocuments()).toBe(60);
    expect((await db.collection('sales').findOne({ _id: 'sales-0-7' as never }))!.value).toEqual({
      sku: 'sku-7',
      amount: 70,
    });
    expect(await metricValue(registry, 'mongodb_sink_documents_written_total', { sink: 'sales' })).toBe(110);
  });

  it('writes in bulk: no bulkWrite larger than batchSize, far fewer writes than records', async () => {
    const registry = new Registry();
    const sink = MongoSink.supplier<string, Sale>({
      name: 'bulk',
      collection: db.collection('bulk'),
      batchSize: 1000,
      metricsRegistry: registry,
    });
    const { driver, store } = await run(sink, plain(sink));
    const input = driver.createInputTopic('sales', S, SaleSerde);
    for (let i = 0; i < 2500; i++) input.pipeInput(`k${i}`, { sku: `s${i}`, amount: i });
    await store.flush();
    expect(await db.collection('bulk').countDocuments()).toBe(2500);
    expect(updates.reduce((a, b) => a + b, 0)).toBe(2500);
    expect(Math.max(...updates)).toBeLessThanOrEqual(1000);
    expect(updates.length).toBeLessThanOrEqual(10);
    expect(
      await metricValue(registry, 'mongodb_sink_batches_total', { sink: 'bulk', outcome: 'acknowledged' }),
    ).toBe(updates.length);
    const hist = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'mongodb_sink_batch_duration_seconds',
    )!;
    expect(
      hist.values.find(
        (v) => (v as { metricName?: string }).metricName === 'mongodb_sink_batch_duration_seconds_count',
      )!.value,
    ).toBe(updates.length);
    expect(await metricValue(registry, 'mongodb_sink_buffered_documents', { sink: 'bulk' })).toBe(0);
  });

  it('derives ids from the record identity (hashOf) and merges fields in merge mode', async () => {
    const sink = MongoSink.supplier<string, Sale>({
      name: 'by-sku',
      collection: db.collection('skus'),
      id: MongoSinkIds.hashOf((r) => [r.value.sku]),
      document: (r) => ({
        sku: r.value.sku,
        ...(r.value.note ? { note: r.value.note } : { amount: r.value.amount }),
      }),
      writeMode: 'merge',
    });
    const { driver, store } = await run(sink, plain(sink));
    const input = driver.createInputTopic('sales', S, SaleSerde);
    input.pipeInput('a', { sku: 'A', amount: 1 });
    input.pipeInput('b', { sku: 'B', amount: 2 });
    input.pipeInput('a', { sku: 'A', amount: 3, note: 'late' });
    await store.flush();
    const docs = await db.collection('skus').find().sort({ sku: 1 }).toArray();
    expect(docs.map((d) => ({ sku: d.sku, amount: d.amount, note: d.note }))).toEqual([
      { sku: 'A', amount: 1, note: 'late' },
      { sku: 'B', amount: 2, note: undefined },
    ]);
    expect(docs[0]._id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(docs[0]._id).toBe(
      MongoSinkIds.hashOf<string, Sale>((r) => [r.value.sku])({ value: { sku: 'A' } } as never, null),
    );
  });

  it('refuses records the refuse option rejects: forwarded with the reason header, never stored', async () => {
    const registry = new Registry();
    const sink = MongoSink.supplier<string, Sale>({
      name: 'guarded',
      collection: db.collection('guarded'),
      refuse: (_k, v) => (v.note?.includes('secret') ? 'note holds a secret' : null),
      metricsRegistry: registry,
    });
    const { driver, store } = await run(sink, (b, s) => {
      b.stream('sales', Consumed.with(S, SaleSerde)).process(s).to('refused', Produced.with(S, SaleSerde));
    });
    const input = driver.createInputTopic('sales', S, SaleSerde);
    input.pipeInput('ok1', { sku: 'x', amount: 1 });
    input.pipeInput('bad', { sku: 'y', amount: 2, note: 'a secret' });
    input.pipeInput('ok2', { sku: 'z', amount: 3 });
    await store.flush();
    expect((await db.collection('guarded').find().toArray()).map((d) => d.key).sort()).toEqual([
      'ok1',
      'ok2',
    ]);
    const refused = driver.createOutputTopic('refused', S, SaleSerde).readRecordsToList();
    expect(refused).toHaveLength(1);
    expect(refused[0].key).toBe('bad');
    expect(String(refused[0].headers[REFUSED_REASON_HEADER])).toBe('note holds a secret');
    expect(await metricValue(registry, 'mongodb_sink_refused_total', { sink: 'guarded' })).toBe(1);
  });

  it('creates the declared indexes before the first record', async () => {
    const sink = MongoSink.supplier<string, Sale>({
      name: 'indexed',
      collection: db.collection('indexed'),
      indexes: [{ key: { 'value.sku': 1 }, name: 'sku_1' }, { key: { timestamp: -1, key: 1 } }],
    });
    await run(sink, plain(sink));
    const names = (await db.collection('indexed').listIndexes().toArray()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'sku_1', 'timestamp_-1_key_1']);
  });

  it('a bad id or document fails the record with a MongoSinkRecordError', async () => {
    const sink = MongoSink.supplier<string, Sale>({
      name: 'bad-id',
      collection: db.collection('bad'),
      id: (r) => (r.value.amount > 0 ? `id-${r.value.amount}` : (null as never)),
    });
    const { driver } = await run(sink, plain(sink));
    const input = driver.createInputTopic('sales', S, SaleSerde);
    input.pipeInput('a', { sku: 'a', amount: 1 });
    let err: unknown;
    try {
      input.pipeInput('b', { sku: 'b', amount: 0 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProcessingError);
    expect((err as Error).cause).toBeInstanceOf(MongoSinkRecordError);
    expect((err as Error).message).toMatch(
      /id function must return a non-empty string, a finite number or an ObjectId, got null/,
    );
    const withId = MongoSink.supplier<string, Sale>({
      name: 'doc-id',
      collection: db.collection('bad'),
      document: (r) => ({ _id: 1, ...r.value }),
    });
    const second = await run(withId, plain(withId));
    expect(() =>
      second.driver.createInputTopic('sales', S, SaleSerde).pipeInput('c', { sku: 'c', amount: 1 }),
    ).toThrow(/returned an _id/);
  });

  it('a write MongoDB refuses for good (unique index violation) makes flush reject, so offsets are not committed', async () => {
    const sink = MongoSink.supplier<string, Sale>({
      name: 'unique',
      collection: db.collection('unique'),
      indexes: [{ key: { 'value.sku': 1 }, name: 'sku_unique', unique: true }],
    });
    const { driver, store } = await run(sink, plain(sink));
    const input = driver.createInputTopic('sales', S, SaleSerde);
    input.pipeInput('a', { sku: 'same', amount: 1 });
    input.pipeInput('b', { sku: 'same', amount: 2 });
    const err = await store.flush().then(
      () => null,
      (e) => e,
    );
    expect(err).toBeInstanceOf(MongoSinkWriteError);
    expect(err.codes).toEqual([11000]);
    expect(err.retriable).toBe(false);
    expect(err.message).not.toMatch(/same/);
    // A clean close flushes again and reports the failure instead of pretending the batch was stored.
    drivers.splice(drivers.indexOf(driver), 1);
    const closeErr = await driver.close().then(
      () => null,
      (e) => e,
    );
    expect(closeErr?.cause).toBeInstanceOf(MongoSinkWriteError);
  });
});

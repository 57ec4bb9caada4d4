import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  Consumed,
  KAFKA_CLIENTS,
  KafkaClientName,
  KafkaStreams,
  KeyValueStore,
  KafkaStreamsState,
  Materialized,
  Processor,
  ProcessorContext,
  Grouped,
  Produced,
  QueryableStoreTypes,
  Record,
  ReadOnlyKeyValueStore,
  Serdes,
  StateRestoreListener,
  Stores,
  StreamsBuilder,
  Topology,
} from '../../src';
import { Partitioners } from 'kafkajs';
import {
  consume,
  createTopics,
  produce,
  ProducedRecord,
  silentLogger,
  startBroker,
  waitFor,
} from '@gmart/test-support';
import { seededRandom } from '../kstream/dsl-test-helpers';

jest.setTimeout(120000);
const S = Serdes.String();
const APP = 'global-enrich';

interface RestoreEvents {
  starts: Array<{ partition: number; start: number; end: number }>;
  restored: number;
  ends: number;
}

/** Serdes.Integer()'s bytes: 4 bytes, big-endian. */
function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/**
 * Writes many records fast: `chunk` records a request, `parallel` requests in flight at once (acks=all).
 * Only for records whose relative order does not matter (no key twice).
 */
async function produceInParallel(
  kafka: Awaited<ReturnType<typeof startBroker>>['kafka'],
  topic: string,
  records: readonly ProducedRecord[],
  chunk = 10000,
  parallel = 4,
): Promise<void> {
  const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await p.connect();
  try {
    const chunks: ProducedRecord[][] = [];
    for (let i = 0; i < records.length; i += chunk) chunks.push(records.slice(i, i + chunk));
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await p.send({ topic, acks: -1, messages: chunks[next++] });
    };
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    await p.disconnect();
  }
}

/** The Processor-API global store's processor: the running total of the amounts per key. */
class TotalUpdater implements Processor<string, number, never, never> {
  private store!: KeyValueStore<string, number>;
  init(context: ProcessorContext<never, never>): void {
    this.store = context.getStateStore<KeyValueStore<string, number>>('totals');
  }
  process(record: Record<string, number>): void {
    this.store.put(record.key, (this.store.get(record.key) ?? 0) + (record.value ?? 0));
  }
}

describe.each(KAFKA_CLIENTS.map((c) => [c]))(
  'global stores over the embedded broker, %s client',
  (client: KafkaClientName) => {
    let env: Awaited<ReturnType<typeof startBroker>>;
    const dirs: string[] = [];
    const apps: KafkaStreams[] = [];
    beforeAll(async () => {
      env = await startBroker();
    });
    afterAll(async () => {
      await Promise.all(apps.map((a) => a.close({ timeoutMs: 10000 })));
      await env?.broker.stop();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    /** An instance enriching `txns` (value = symbol) with the `companies` global table. */
    function instance(stateDir: string, onRunning: (s: KafkaStreams) => void) {
      const b = new StreamsBuilder();
      const companies = b.globalTable(
        'companies',
        Consumed.with(S, S),
        Materialized.as<string, string>('companies-store'),
      );
      b.stream('txns', Consumed.with(S, S))
        .leftJoin(
          companies,
          (_k, symbol) => symbol,
          (symbol, company) => `${symbol}=${company}`,
        )
        .to('enriched', Produced.with(S, S));
      const s = new KafkaStreams(b.build(), {
        applicationId: APP,
        kafkaClient: client,
        bootstrapServers: env.brokers,
        commitIntervalMs: 200,
        stateDir,
        logger: silentLogger,
        metricsRegistry: new Registry(),
        consumer: { sessionTimeout: 10000, heartbeatInterval: 500 },
      });
      const events: RestoreEvents = { starts: [], restored: 0, ends: 0 };
      const listener: StateRestoreListener = {
        onRestoreStart: (tp, store, start, end) => {
          if (store === 'companies-store') events.starts.push({ partition: tp.partition, start, end });
        },
        onBatchRestored: (_tp, store, _end, n) => {
          if (store === 'companies-store') events.restored += n;
        },
        onRestoreEnd: (_tp, store) => {
          if (store === 'companies-store') events.ends++;
        },
      };
      s.setGlobalStateRestoreListener(listener);
      const states: KafkaStreamsState[] = [];
      s.setStateListener((next) => {
        states.push(next);
        if (next === KafkaStreamsState.RUNNING) onRunning(s);
      });
      apps.push(s);
      return { s, events, states };
    }

    function view(s: KafkaStreams): ReadOnlyKeyValueStore<string, string> {
      return s.store({
        storeName: 'companies-store',
        type: QueryableStoreTypes.keyValueStore<string, string>(),
      });
    }

    function count(store: ReadOnlyKeyValueStore<string, string>): Map<string, string> {
      const out = new Map<string, string>();
      const it = store.all();
      for (let n = it.next(); !n.done; n = it.next()) out.set(n.value.key, n.value.value);
      it.close?.();
      return out;
    }

    it('a late instance bootstraps all 100,000 companies before RUNNING, joins every record against the full table, and a restart resumes from the checkpoint', async () => {
      // companies: 3 partitions, txns: 2 (a global table needs no co-partitioning)
      await createTopics(env.kafka, [
        { topic: 'companies', numPartitions: 3, config: { 'cleanup.policy': 'compact' } },
        { topic: 'txns', numPartitions: 2 },
        { topic: 'enriched', numPartitions: 1 },
      ]);
      const N = 100_000;
      const model = new Map<string, string>();
      const first = Array.from({ length: N }, (_, i) => ({ key: `SYM${i}`, value: `Company ${i}` }));
      // Later writes to some keys: renames spread over the key space, and tombstones among the last keys.
      const updates = [
        ...Array.from({ length: 2000 }, (_, i) => ({ key: `SYM${i * 37}`, value: `Renamed ${i * 37}` })),
        ...Array.from({ length: 100 }, (_, i) => ({ key: `SYM${N - 100 + i}`, value: null })),
      ];
      for (const r of [...first, ...updates])
        if (r.value === null) model.delete(r.key);
        else model.set(r.key, r.value);
      expect(model.size).toBe(N - 100);
      // Every key once per call, so parallel requests cannot reorder two writes of one key.
      await produceInParallel(env.kafka, 'companies', first);
      await produceInParallel(env.kafka, 'companies', updates);
      const produced = first.length + updates.length;

      // Instance A starts with the data there; at RUNNING its global store must be complete.
      const dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'gkt-a-'));
      const dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'gkt-b-'));
      dirs.push(dirA, dirB);
      const atRunning = new Map<string, Map<string, string>>();
      const a = instance(dirA, (s) => atRunning.set('a', count(view(s))));
      await a.s.start();
      await waitFor(() => a.s.state() === KafkaStreamsState.RUNNING, 60000);
      expect(atRunning.get('a')).toEqual(model);
      expect(a.states[0]).toBe(KafkaStreamsState.REBALANCING);
      expect(a.events.starts.map((e) => e.start)).toEqual([0, 0, 0]);
      expect(a.events.starts.reduce((n, e) => n + e.end, 0)).toBe(produced);
      expect(a.events.restored).toBe(produced);
      expect(a.events.ends).toBe(3);

      await a.s.close();

      // An instance started later, alone in the group: bootstraps in full before RUNNING too, then
      // processes every transaction (both partitions of txns).
      const b = instance(dirB, (s) => atRunning.set('b', count(view(s))));
      await b.s.start();
      await waitFor(() => b.s.state() === KafkaStreamsState.RUNNING, 60000);
      expect(atRunning.get('b')).toEqual(model);
      expect(b.events.restored).toBe(produced);

      // A company changes while running: the store follows.
      await produce(env.kafka, 'companies', [{ key: 'SYM1', value: 'Acme 2.0' }]);
      model.set('SYM1', 'Acme 2.0');
      await waitFor(() => view(b.s).get('SYM1') === 'Acme 2.0', 30000);

      // Symbols spread over the whole table: renamed, deleted, unknown, first and last keys.
      const txSymbols = Array.from({ length: 2000 }, (_, i) => `SYM${(i * 50_033) % (N + 200)}`);
      txSymbols.push('SYM0', 'SYM1', `SYM${N - 1}`, `SYM${N - 101}`, `SYM${N}`);
      await produceInParallel(
        env.kafka,
        'txns',
        txSymbols.map((sym, i) => ({ key: `tx${i}`, value: sym })),
        1000,
      );
      // Brute force: each transaction meets the model's latest value of its symbol (null if none).
      const expected = new Map(txSymbols.map((sym, i) => [`tx${i}`, `${sym}=${model.get(sym) ?? null}`]));
      const out = await consume(
        env.kafka,
        'enriched',
        expected.size,
        60000,
        (rs) => new Set(rs.map((r) => r.key)).size >= expected.size,
      );
      const got = new Map(out.map((r) => [r.key, r.value?.toString()]));
      expect(got).toEqual(expected);

      // Restart B: it reads only what was written to companies after its checkpoint.
      await b.s.close();
      await produce(env.kafka, 'companies', [
        { key: 'SYM5', value: 'Five Inc' },
        { key: 'SYM6', value: null },
      ]);
      model.set('SYM5', 'Five Inc');
      model.delete('SYM6');
      const b2 = instance(dirB, (s) => atRunning.set('b2', count(view(s))));
      await b2.s.start();
      await waitFor(() => b2.s.state() === KafkaStreamsState.RUNNING, 60000);
      expect(b2.events.restored).toBe(2);
      expect(b2.events.starts.reduce((n, e) => n + (e.end - e.start), 0)).toBe(2);
      expect(atRunning.get('b2')).toEqual(model);
    });
    it('Topology.addGlobalStore: the processor updates the store at bootstrap and while running; a restart resumes from the checkpoint', async () => {
      await createTopics(env.kafka, [{ topic: 'amounts', numPartitions: 2 }]);
      const rnd = seededRandom(1414);
      const model = new Map<string, number>();
      const amounts = (n: number) =>
        Array.from({ length: n }, () => {
          const key = `k${Math.floor(rnd() * 50)}`;
          const amount = 1 + Math.floor(rnd() * 9);
          model.set(key, (model.get(key) ?? 0) + amount);
          return { key, value: int32(amount) };
        });
      await produce(env.kafka, 'amounts', amounts(1000));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gstore-'));
      dirs.push(dir);
      const start = async () => {
        const t = new Topology().addGlobalStore(
          Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore('totals'),
            S,
            Serdes.Integer(),
          ).withLoggingDisabled(),
          'amounts-source',
          S.deserializer(),
          Serdes.Integer().deserializer(),
          'amounts',
          'amounts-updater',
          () => new TotalUpdater(),
        );
        const s = new KafkaStreams(t, {
          applicationId: 'global-store-papi',
          kafkaClient: client,
          bootstrapServers: env.brokers,
          commitIntervalMs: 200,
          stateDir: dir,
          logger: silentLogger,
          metricsRegistry: new Registry(),
        });
        let toRead = 0;
        s.setGlobalStateRestoreListener({
          onRestoreStart: (_tp, _store, from, end) => void (toRead += end - from),
        });
        let atRunning: Map<string, number> | undefined;
        s.setStateListener((next) => {
          if (next === KafkaStreamsState.RUNNING) atRunning = totals(s);
        });
        apps.push(s);
        await s.start();
        await waitFor(() => s.state() === KafkaStreamsState.RUNNING, 60000);
        return { s, atRunning: () => atRunning, toRead: () => toRead };
      };
      const totals = (s: KafkaStreams) => {
        const out = new Map<string, number>();
        const it = s
          .store({ storeName: 'totals', type: QueryableStoreTypes.keyValueStore<string, number>() })
          .all();
        for (let n = it.next(); !n.done; n = it.next()) out.set(n.value.key, n.value.value);
        it.close?.();
        return out;
      };
      const first = await start();
      expect(first.toRead()).toBe(1000);
      expect(first.atRunning()).toEqual(model); // sums: every bootstrap record went through the processor
      await produce(env.kafka, 'amounts', amounts(200));
      await waitFor(
        () => JSON.stringify([...totals(first.s)].sort()) === JSON.stringify([...model].sort()),
        30000,
      );
      expect(totals(first.s)).toEqual(model);
      await first.s.close();
      await produce(env.kafka, 'amounts', amounts(100));
      // Restarted on the same state: only the 100 new records are processed (none counted twice).
      const second = await start();
      expect(second.toRead()).toBe(100);
      expect(second.atRunning()).toEqual(model);
      await second.s.close();
    });

    it('a global table beside sub-topologies with a repartition topic and a changelog starts (ids after the global one) and joins', async () => {
      // The global table's component takes sub-topology number 0; the stream's sub-topologies are 1 and 2,
      // so the partition counts of their repartition and changelog topics are looked up by id, not index.
      await createTopics(env.kafka, [
        { topic: 'brands', numPartitions: 2, config: { 'cleanup.policy': 'compact' } },
        { topic: 'sales', numPartitions: 3 },
        { topic: 'sales-per-brand', numPartitions: 1 },
      ]);
      await produce(env.kafka, 'brands', [
        { key: 'b1', value: 'Acme' },
        { key: 'b2', value: 'Globex' },
      ]);
      const b = new StreamsBuilder();
      const brands = b.globalTable(
        'brands',
        Consumed.with(S, S),
        Materialized.as<string, string>('brands-store'),
      );
      b.stream('sales', Consumed.with(S, S))
        .groupBy((_k, brand) => brand, Grouped.with(S, S).withName('by-brand'))
        .count(Materialized.as('sales-count-store'))
        .toStream()
        .leftJoin(
          brands,
          (brand) => brand,
          (n, name) => `${name}:${n}`,
        )
        .to('sales-per-brand', Produced.with(S, S));
      const topology = b.build();
      expect(topology.describe().toString()).toMatch(/Sub-topology: 0 for global store/);
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gkt-c-'));
      dirs.push(stateDir);
      const s = new KafkaStreams(topology, {
        applicationId: 'global-beside-repartition',
        kafkaClient: client,
        bootstrapServers: env.brokers,
        commitIntervalMs: 200,
        stateDir,
        logger: silentLogger,
        metricsRegistry: new Registry(),
        consumer: { sessionTimeout: 10000, heartbeatInterval: 500 },
      });
      apps.push(s);
      await s.start();
      await waitFor(() => s.state() === KafkaStreamsState.RUNNING, 60000);
      const sales = ['b1', 'b2', 'b1', 'b3', 'b1'];
      await produce(
        env.kafka,
        'sales',
        sales.map((brand, i) => ({ key: `s${i}`, value: brand })),
      );
      // Brute force: the last count per brand, with the brand's name (null if unknown).
      const names = new Map([
        ['b1', 'Acme'],
        ['b2', 'Globex'],
      ]);
      const expected = new Map<string, string>();
      for (const brand of new Set(sales))
        expected.set(brand, `${names.get(brand) ?? null}:${sales.filter((x) => x === brand).length}`);
      const last = new Map<string, string>();
      await consume(env.kafka, 'sales-per-brand', 1, 60000, (rs) => {
        for (const r of rs) last.set(r.key!, r.value!.toString());
        return [...expected].every(([k, v]) => last.get(k) === v);
      });
      expect(last).toEqual(expected);
    });
  },
);

/**
 * A rebalance hands tasks over exactly (at-least-once without duplicates when nobody crashes):
 * before a member rejoins the group it commits what it processed (Kafka Streams commits in
 * `onPartitionsRevoked`), so neither the new owner of a moved task nor the member that keeps a task
 * processes a record a second time. The commit interval is long, so the processed records are
 * uncommitted when the group rebalances; a duplicate shows as a count above the model's and as
 * more output records than input records.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Registry } from 'prom-client';
import {
  Consumed,
  KafkaStreams,
  KafkaStreamsState,
  KeyValueStore,
  Processor,
  ProcessorContext,
  Produced,
  Record,
  Serdes,
  Stores,
  StreamsBuilder,
} from '../../src';
import type { KafkaClientFactory, RebalanceProtocol } from '../../src/client/kafka-client';
import { KafkajsClientFactory } from '../../src/client/kafkajs/kafkajs-client-factory';
import { PlatformaticClientFactory } from '../../src/client/platformatic/platformatic-client-factory';
import { consume, createTopics, produce, silentLogger, startBroker, waitFor } from '@gmart/test-support';

/** The client an instance runs on: kafkajs (eager only), or platformatic with either protocol. */
type ClientCase = { client: 'kafkajs' } | { client: 'platformatic'; protocol: RebalanceProtocol };
const KAFKAJS: ClientCase = { client: 'kafkajs' };

jest.setTimeout(120000);
const S = Serdes.String();
const I = Serdes.Integer();

describe('rebalance handoff (embedded broker)', () => {
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

  /**
   * The clients of `kind`, with every offset commit reaching the coordinator 500 ms late (as on a
   * loaded machine: a commit that does not hold the member back from rejoining arrives after the
   * rebalance), or failing while `failing.commits` is set.
   */
  function clients(clientId: string, failing: { commits: boolean }, kind: ClientCase): KafkaClientFactory {
    const connection = { bootstrapServers: env.brokers, clientId, logger: silentLogger };
    const real =
      kind.client === 'kafkajs'
        ? new KafkajsClientFactory(connection)
        : new PlatformaticClientFactory(connection);
    return {
      producer: (o, st) => real.producer(o, st),
      admin: () => real.admin(),
      readPartition: (t, p, f, b) => real.readPartition(t, p, f, b),
      consumer(settings) {
        const c = real.consumer(settings);
        return {
          connect: () => c.connect(),
          subscribe: (subs) => c.subscribe(subs),
          run: (handler, listener) => c.run(handler, listener),
          disconnect: () => c.disconnect(),
          ...(c.seek ? { seek: (o: Parameters<NonNullable<typeof c.seek>>[0]) => c.seek!(o) } : {}),
          async commit(offsets) {
            await new Promise((r) => setTimeout(r, 500));
            if (failing.commits) throw new Error('The group is rebalancing, so a rejoin is needed');
            await c.commit(offsets);
          },
        };
      },
    };
  }

  const registries = new Map<KafkaStreams, Registry>();
  /** Tasks the instance runs (its `kafka_stream_active_tasks` gauge). */
  async function tasks(s: KafkaStreams): Promise<number> {
    const m = await registries.get(s)!.getSingleMetric('kafka_stream_active_tasks')!.get();
    return m.values.reduce((n, v) => n + v.value, 0);
  }
  const running = (...s: KafkaStreams[]) => s.every((x) => x.state() === KafkaStreamsState.RUNNING);

  /** An instance of `<name>` that counts records per key in a logged store and forwards each count. */
  function app(name: string, failing = { commits: false }, kind: ClientCase = KAFKAJS): KafkaStreams {
    const b = new StreamsBuilder();
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore('counts'), S, I));
    class Counter implements Processor<string, string, string, number> {
      private store!: KeyValueStore<string, number>;
      private ctx!: ProcessorContext<string, number>;
      init(ctx: ProcessorContext<string, number>) {
        this.ctx = ctx;
        this.store = ctx.getStateStore('counts');
      }
      process(r: Record<string, string>) {
        const n = (this.store.get(r.key) ?? 0) + 1;
        this.store.put(r.key, n);
        this.ctx.forward(r.withValue(n));
      }
    }
    b.stream(`${name}-in`, Consumed.with(S, S))
      .process(() => new Counter(), 'counts')
      .to(`${name}-out`, Produced.with(S, I));
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-'));
    dirs.push(stateDir);
    const registry = new Registry();
    const clientId = `${name}-${apps.length}`;
    const s = new KafkaStreams(b.build(), {
      clientId,
      clientFactory: clients(clientId, failing, kind),
      ...(kind.client === 'platformatic' ? { rebalanceProtocol: kind.protocol } : {}),
      applicationId: name,
      bootstrapServers: env.brokers,
      // Nothing is committed on the interval during the test: only rebalances and close() commit.
      commitIntervalMs: 600_000,
      stateDir,
      logger: silentLogger,
      metricsRegistry: registry,
      consumer: { sessionTimeout: 10000, heartbeatInterval: 300 },
    });
    apps.push(s);
    registries.set(s, registry);
    return s;
  }

  /** Input/output topics of `<name>`, a feed of keyed records and the model of their counts. */
  async function scenario(name: string) {
    await createTopics(env.kafka, [
      { topic: `${name}-in`, numPartitions: 4 },
      { topic: `${name}-out`, numPartitions: 4 },
    ]);
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    const model = new Map<string, number>();
    let sent = 0;
    return {
      async feed(n: number) {
        const records = Array.from({ length: n }, (_, i) => ({
          key: keys[(sent + i) % keys.length],
          value: 'x',
        }));
        for (const r of records) model.set(r.key, (model.get(r.key) ?? 0) + 1);
        sent += n;
        await produce(env.kafka, `${name}-in`, records);
      },
      outputs: (n: number) => consume(env.kafka, `${name}-out`, n, 60000),
      /** Every record counted once: last count per key equals the model, one output per input. */
      async expectExact() {
        const out = await consume(env.kafka, `${name}-out`, sent, 60000);
        const last = new Map<string, number>();
        for (const r of out.sort((x, y) => x.partition - y.partition || x.offset - y.offset))
          last.set(r.key!, I.deserializer().deserialize(`${name}-out`, r.value)!);
        expect(last).toEqual(model);
        const admin = env.kafka.admin();
        await admin.connect();
        try {
          const ends = await admin.fetchTopicOffsets(`${name}-out`);
          expect(ends.reduce((sum, p) => sum + Number(p.high), 0)).toBe(sent);
        } finally {
          await admin.disconnect();
        }
      },
    };
  }

  it.each<[string, ClientCase]>([
    ['kafkajs', KAFKAJS],
    ['platformatic, eager', { client: 'platformatic', protocol: 'eager' }],
    ['platformatic, cooperative', { client: 'platformatic', protocol: 'cooperative' }],
  ])(
    '%s: counts every record once when a member joins mid-stream and when one leaves gracefully',
    async (label, kind) => {
      const name = `handoff-${label.replace(/[^a-z]+/g, '-')}`;
      const t = await scenario(name);
      // A alone processes the first records (and commits none of them).
      const a = app(name, undefined, kind);
      await a.start();
      await t.feed(1000);
      await t.outputs(1000);

      // B joins: A commits before rejoining, hands two partitions over and keeps two.
      const b = app(name, undefined, kind);
      await b.start();
      await waitFor(
        async () => running(a, b) && (await tasks(a)) === 2 && (await tasks(b)) === 2,
        60000,
        'A and B running two tasks each',
      );
      await t.feed(1000);
      await t.outputs(2000);

      // A leaves gracefully: B keeps its tasks (uncommitted records) and takes over A's.
      await a.close({ timeoutMs: 20000 });
      await waitFor(async () => running(b) && (await tasks(b)) === 4, 60000, 'B running every task');
      await t.feed(1000);
      await t.outputs(3000);
      await b.close({ timeoutMs: 20000 });
      await t.expectExact();
    },
  );

  it('a member whose commit before the rebalance fails does not process the records of its kept tasks again', async () => {
    const t = await scenario('kept');
    const a = app('kept');
    const failing = { commits: false };
    const b = app('kept', failing);
    await a.start();
    await b.start();
    await waitFor(
      async () => running(a, b) && (await tasks(a)) === 2 && (await tasks(b)) === 2,
      60000,
      'A and B running two tasks each',
    );
    await t.feed(1000);
    await t.outputs(1000);

    // A leaves gracefully (its commit goes through); B's commit before the rebalance fails, so the
    // client fetches B's kept partitions again from their last committed offsets.
    failing.commits = true;
    await a.close({ timeoutMs: 20000 });
    await waitFor(async () => running(b) && (await tasks(b)) === 4, 60000, 'B running every task');
    failing.commits = false;
    await t.feed(1000);
    await t.outputs(2000);
    await b.close({ timeoutMs: 20000 });
    await t.expectExact();
  });
});

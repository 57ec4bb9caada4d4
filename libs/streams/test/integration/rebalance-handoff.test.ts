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
import { KafkaStreams, KafkaStreamsState, Serdes } from '../../src';
import {
  type ClientCase,
  countsTopology,
  faultyClients,
  metricSum,
  REBALANCE_CLIENTS,
} from '../helpers/rebalance-apps';
import { consume, createTopics, produce, silentLogger, startBroker, waitFor } from '@gmart/test-support';

const KAFKAJS: ClientCase = { client: 'kafkajs' };

jest.setTimeout(120000);
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

  const registries = new Map<KafkaStreams, Registry>();
  /** Tasks the instance runs (its `kafka_stream_active_tasks` gauge). */
  const tasks = (s: KafkaStreams) => metricSum(registries.get(s)!, 'kafka_stream_active_tasks');
  const running = (...s: KafkaStreams[]) => s.every((x) => x.state() === KafkaStreamsState.RUNNING);

  /** An instance of `<name>` that counts records per key in a logged store and forwards each count. */
  function app(name: string, failing = { commits: false }, kind: ClientCase = KAFKAJS): KafkaStreams {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'handoff-'));
    dirs.push(stateDir);
    const registry = new Registry();
    const clientId = `${name}-${apps.length}`;
    const s = new KafkaStreams(countsTopology(name, 'counts'), {
      clientId,
      // Every offset commit reaches the coordinator 500 ms late (as on a loaded machine: a commit that
      // does not hold the member back from rejoining arrives after the rebalance).
      clientFactory: faultyClients(env.brokers, clientId, kind, { failing, commitDelayMs: 500 }),
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

  it.each<[string, ClientCase]>(REBALANCE_CLIENTS.map(([label, kind]) => [label, kind]))(
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

/**
 * Commits around a rebalance as Kafka Streams makes them (over TCP, embedded broker):
 * - No interval or requested commit while the member rebalances (`TaskManager.rebalanceInProgress`,
 *   set by `handleRebalanceStart` as the consumer prepares its JoinGroup, cleared by
 *   `handleRebalanceComplete` in `onPartitionsAssigned`; `TaskManager.commit` and
 *   `maybeCommitActiveTasksPerUserRequested` return -1 meanwhile), and the group metadata read as the
 *   offsets are sent (`TaskExecutor.commitOffsetsOrTransaction` passes `consumer.groupMetadata()` to
 *   `StreamsProducer.commitTransaction`). A commit whose TxnOffsetCommit reached the coordinator after
 *   the JoinGroup was answered carried the old generation: the coordinator refuses it
 *   (ILLEGAL_GENERATION, as Kafka's `GroupMetadata`/`ClassicGroup.validateOffsetCommit`, whatever the
 *   rebalance protocol) and the thread closed every task dirty.
 * - No commit when a cooperative rebalance starts: only a revocation commits (`onPartitionsRevoked`
 *   -> `handleRevocation`), which a cooperative member that loses nothing never has.
 * - A failed at-least-once revocation commit of a stateless thread closes every task dirty and sends
 *   the kept partitions back to their committed offsets (`CommitFailedException` -> TaskMigrated ->
 *   `handleLostAll`), as it does with state stores.
 */
import { Registry } from 'prom-client';
import { KafkaStreams, KafkaStreamsState, Serdes, type Topology } from '../../src';
import type { KafkaClientFactory } from '../../src/client/kafka-client';
import type { TopicPartition } from '../../src/state/state-restore-listener';
import {
  type ClientCase,
  countsTopology,
  faultyClients,
  forwardTopology,
  metricSum,
  REBALANCE_CLIENTS,
} from '../helpers/rebalance-apps';
import {
  committedOffset,
  consume,
  createTopics,
  produce,
  silentLogger,
  startBroker,
  tempDir,
  waitFor,
  waitForGroup,
} from '@gmart/test-support';

jest.setTimeout(120000);
const I = Serdes.Integer();
const STORE = 'counts';
type Guarantee = 'at_least_once' | 'exactly_once_v2';
const slug = (s: string) => s.replace(/[^a-z]+/g, '-');

/** What {@link watched} saw, in order. */
type WatchLog = Array<'joining' | 'joined' | 'assigned' | 'lost' | 'revoking' | 'revoked' | 'commit'>;

/**
 * `clients` with the consumer listener's calls and every commit (consumer offset commit, a
 * transaction's offsets) logged to `log`: 'joining' when the client calls `onJoining`, 'joined' when
 * the runtime's promise settled (the JoinGroup may go out), after which the JoinGroup waits
 * `holdMs` more (a slow coordinator), 'revoking' / 'revoked' around `onRebalancing`.
 */
function watched(clients: KafkaClientFactory, log?: WatchLog, holdMs = 1000): KafkaClientFactory {
  if (!log) return clients;
  return {
    ...clients,
    capabilities: clients.capabilities,
    admin: () => clients.admin(),
    readPartition: (t, p, f, onBatch) => clients.readPartition(t, p, f, onBatch),
    producer(o, st) {
      const p = clients.producer(o, st);
      if (!p.sendOffsetsToTransaction) return p;
      const send = p.sendOffsetsToTransaction.bind(p);
      p.sendOffsetsToTransaction = (offsets, group) => {
        log.push('commit');
        return send(offsets, group);
      };
      return p;
    },
    consumer(settings) {
      const c = clients.consumer(settings);
      const commit = c.commit.bind(c);
      const run = c.run.bind(c);
      c.commit = (offsets) => {
        log.push('commit');
        return commit(offsets);
      };
      c.run = (handler, listener) =>
        run(handler, {
          ...listener,
          onAssigned: (a) => {
            log.push('assigned');
            listener.onAssigned?.(a);
          },
          onLost: () => {
            log.push('lost');
            listener.onLost?.();
          },
          onRebalancing: async () => {
            log.push('revoking');
            try {
              await listener.onRebalancing?.();
            } finally {
              log.push('revoked');
            }
          },
          onJoining: async () => {
            log.push('joining');
            await listener.onJoining?.();
            log.push('joined');
            await new Promise((r) => setTimeout(r, holdMs));
          },
        });
      return c;
    },
  };
}

/**
 * The commits of `log` made after a JoinGroup was let go ('joined') and before the member's next
 * assignment or loss, other than a revocation's (between 'revoking' and 'revoked').
 */
function commitsWhileJoining(log: WatchLog): number[] {
  const found: number[] = [];
  let joining = false;
  let revoking = 0;
  log.forEach((e, i) => {
    if (e === 'joined') joining = true;
    else if (e === 'assigned' || e === 'lost') joining = false;
    else if (e === 'revoking') revoking++;
    else if (e === 'revoked') revoking--;
    else if (e === 'commit' && joining && revoking === 0) found.push(i);
  });
  return found;
}

describe('commits around a rebalance (embedded broker)', () => {
  let env: Awaited<ReturnType<typeof startBroker>>;
  const apps: KafkaStreams[] = [];
  beforeAll(async () => {
    env = await startBroker();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close({ timeoutMs: 10000 })));
    await env?.broker.stop();
  });

  interface App {
    readonly streams: KafkaStreams;
    readonly registry: Registry;
    /** Partitions whose store restoration started, in order. */
    readonly restored: number[];
    /** Warnings the instance logged. */
    readonly warnings: string[];
  }

  function app(
    name: string,
    topology: Topology,
    guarantee: Guarantee,
    kind: ClientCase,
    options: {
      commitIntervalMs?: number;
      failing?: { commits: boolean };
      offsetsDelayMs?: number;
      /** Records the consumer listener's calls and the commits (see {@link watched}). */
      watch?: WatchLog;
    } = {},
  ): App {
    const registry = new Registry();
    const restored: number[] = [];
    const warnings: string[] = [];
    const clientId = `${name}-${apps.length}`;
    const streams = new KafkaStreams(topology, {
      clientId,
      clientFactory: watched(
        faultyClients(env.brokers, clientId, kind, {
          failing: options.failing ?? { commits: false },
          offsetsDelayMs: options.offsetsDelayMs,
        }),
        options.watch,
      ),
      ...(kind.client === 'platformatic' ? { rebalanceProtocol: kind.protocol } : {}),
      applicationId: name,
      bootstrapServers: env.brokers,
      processingGuarantee: guarantee,
      commitIntervalMs: options.commitIntervalMs ?? 200,
      stateDir: tempDir('rebalance-commits-'),
      logger: { ...silentLogger, warn: (message: string) => void warnings.push(message) },
      metricsRegistry: registry,
      consumer: { sessionTimeout: 10000, heartbeatInterval: 300 },
      stateRestoreListener: {
        onRestoreStart: (tp: TopicPartition) => void restored.push(tp.partition),
        onBatchRestored: () => undefined,
        onRestoreEnd: () => undefined,
      },
    });
    apps.push(streams);
    return { streams, registry, restored, warnings };
  }

  const tasks = (a: App) => metricSum(a.registry, 'kafka_stream_active_tasks');
  const processed = (a: App) => metricSum(a.registry, 'kafka_stream_thread_process_total');
  const running = (...s: App[]) => s.every((x) => x.streams.state() === KafkaStreamsState.RUNNING);
  /** Warnings of a thread closing every task dirty (a reset). */
  const resets = (a: App) => a.warnings.filter((w) => /closing (tasks|every task) dirty/.test(w));

  /**
   * B joins while records keep coming (`feed(10)` every 50 ms, so A always has something to commit)
   * until A and B run one task each and `settleMs` more; then every record `sent()` counts is processed.
   */
  async function joinWhileFeeding(
    a: App,
    b: App,
    feed: (n: number) => Promise<void>,
    sent: () => number,
    settleMs: number,
  ): Promise<void> {
    let feeding = true;
    const feeder = (async () => {
      while (feeding) {
        await feed(10);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await b.streams.start();
      await waitFor(
        async () => running(a, b) && (await tasks(a)) === 1 && (await tasks(b)) === 1,
        60000,
        'A and B running one task each',
      );
      await new Promise((r) => setTimeout(r, settleMs));
    } finally {
      feeding = false;
      await feeder;
    }
    await waitFor(
      async () => (await processed(a)) + (await processed(b)) >= sent(),
      60000,
      'every record processed',
    );
  }

  /**
   * Exactly-once: A counts two partitions in a logged store, committing every 100 ms while records
   * keep coming, each transaction's offsets taking 400 ms to reach the coordinator; B joins and takes
   * one task. No commit of A (or B) may start during the rebalance and go out after a JoinGroup
   * answered with a new generation: no thread resets, the task A keeps is never restored again, and
   * each record is processed once (no transaction redone) and counted once. Before, on the
   * cooperative protocol, A committed on through the rebalance with the generation read at each
   * commit's start and its TxnOffsetCommit was refused once the JoinGroup was answered: A closed
   * every task dirty and restored both again.
   */
  it.each(REBALANCE_CLIENTS)(
    'exactly_once_v2 on %s: no commit meets a JoinGroup; each record processed and counted once',
    async (label, kind) => {
      const name = `eos-join-${slug(label)}`;
      await createTopics(env.kafka, [
        { topic: `${name}-in`, numPartitions: 2 },
        { topic: `${name}-out`, numPartitions: 2 },
      ]);
      const model = new Map<string, number>();
      let sent = 0;
      const feed = async (n: number) => {
        const records = Array.from({ length: n }, (_, i) => ({
          key: `p${i % 2}-k${(sent + i) % 10}`,
          value: 'x',
          partition: i % 2,
        }));
        for (const r of records) model.set(r.key, (model.get(r.key) ?? 0) + 1);
        sent += n;
        await produce(env.kafka, `${name}-in`, records);
      };
      const options = { commitIntervalMs: 100, offsetsDelayMs: 400 };
      const a = app(name, countsTopology(name, STORE), 'exactly_once_v2', kind, options);
      await a.streams.start();
      await feed(100);
      await waitFor(async () => (await processed(a)) === sent, 60000, 'A processed the first records');
      await waitFor(() => a.restored.length === 2, 30000, 'A restored both tasks');
      // Records keep coming through the rebalance, so A always has something to commit.
      const b = app(name, countsTopology(name, STORE), 'exactly_once_v2', kind, options);
      await joinWhileFeeding(a, b, feed, () => sent, 1000);
      expect({ resetsA: resets(a), resetsB: resets(b) }).toEqual({ resetsA: [], resetsB: [] });
      // A restored each task once, at the start; B the moved one once.
      expect({ a: a.restored, b: b.restored.length }).toEqual({ a: expect.arrayContaining([0, 1]), b: 1 });
      expect(a.restored).toHaveLength(2);
      expect((await processed(a)) + (await processed(b))).toBe(sent);
      // The last count of every key equals the model's (each record counted once).
      const last = new Map<string, number>();
      await consume(env.kafka, `${name}-out`, sent, 60000, (rs) => {
        last.clear();
        for (const r of [...rs].sort((x, y) => x.partition - y.partition || x.offset - y.offset))
          last.set(r.key!, I.deserializer().deserialize(`${name}-out`, r.value)!);
        return [...model].every(([k, n]) => last.get(k) === n);
      });
      expect(last).toEqual(model);
      await Promise.all([a.streams.close({ timeoutMs: 20000 }), b.streams.close({ timeoutMs: 20000 })]);
    },
  );

  /**
   * Kafka Streams makes no interval commit from `handleRebalanceStart` (as the consumer prepares its
   * JoinGroup) until `handleRebalanceComplete` (`onPartitionsAssigned`): `TaskManager.commit` returns
   * -1 while `rebalanceInProgress`. A commits every 50 ms while records keep coming; B joins, and
   * every JoinGroup reaches the coordinator 1 s after the runtime let it go (`onJoining` settled): no
   * commit of A or B starts in between, but the revocation's (`onRebalancing`, `handleRevocation`).
   */
  it.each(
    REBALANCE_CLIENTS.flatMap(([label, kind]) =>
      (['at_least_once', 'exactly_once_v2'] as const).map((g) => [`${g} on ${label}`, kind, g] as const),
    ),
  )("%s: no commit between onJoining and onAssigned but the revocation's", async (label, kind, guarantee) => {
    const name = `joining-${slug(label)}`;
    await createTopics(env.kafka, [
      { topic: `${name}-in`, numPartitions: 2 },
      { topic: `${name}-out`, numPartitions: 2 },
    ]);
    let sent = 0;
    const feed = async (n: number) => {
      const records = Array.from({ length: n }, (_, i) => ({
        key: `p${i % 2}-k${(sent + i) % 10}`,
        value: 'x',
        partition: i % 2,
      }));
      sent += n;
      await produce(env.kafka, `${name}-in`, records);
    };
    const logA: WatchLog = [];
    const logB: WatchLog = [];
    const a = app(name, countsTopology(name, STORE), guarantee, kind, { commitIntervalMs: 50, watch: logA });
    await a.streams.start();
    await feed(100);
    await waitFor(async () => (await processed(a)) === sent, 60000, 'A processed the first records');
    const b = app(name, countsTopology(name, STORE), guarantee, kind, { commitIntervalMs: 50, watch: logB });
    await joinWhileFeeding(a, b, feed, () => sent, 500);
    // The rebalance went through onJoining, and commits went on around it.
    expect(logA).toContain('joined');
    expect(logA.filter((e) => e === 'commit').length).toBeGreaterThan(2);
    expect({ a: commitsWhileJoining(logA), b: commitsWhileJoining(logB) }).toEqual({ a: [], b: [] });
    expect({ resetsA: resets(a), resetsB: resets(b) }).toEqual({ resetsA: [], resetsB: [] });
    await Promise.all([a.streams.close({ timeoutMs: 20000 }), b.streams.close({ timeoutMs: 20000 })]);
  });

  /**
   * Cooperative protocol: a member joins a group where it gets nothing; A keeps its task. Kafka
   * Streams commits nothing for that rebalance (no partition is revoked, no commit is due: the
   * commit interval is long), so A's committed offset stays where it was. Before, A committed when
   * the rebalance started.
   */
  it.each(['at_least_once', 'exactly_once_v2'] as const)(
    '%s, cooperative: a rebalance that revokes nothing commits nothing',
    async (guarantee) => {
      const kind: ClientCase = { client: 'platformatic', protocol: 'cooperative' };
      const name = `coop-no-commit-${guarantee === 'exactly_once_v2' ? 'eos' : 'alos'}`;
      await createTopics(env.kafka, [
        { topic: `${name}-in`, numPartitions: 1 },
        { topic: `${name}-out`, numPartitions: 1 },
      ]);
      const options = { commitIntervalMs: 600_000 };
      const a = app(name, forwardTopology(name), guarantee, kind, options);
      await a.streams.start();
      await waitFor(() => running(a), 60000, 'A running');
      const records = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, partition: 0 }));
      await produce(env.kafka, `${name}-in`, records);
      await waitFor(async () => (await processed(a)) === 50, 60000, 'A processed the records');
      const before = await committedOffset(env.kafka, name, `${name}-in`);
      const c = app(name, forwardTopology(name), guarantee, kind, options);
      await c.streams.start();
      await waitForGroup(env.kafka, name, 2);
      await waitFor(
        async () => running(a, c) && (await tasks(a)) === 1 && (await tasks(c)) === 0,
        60000,
        'A running its task, the new member none',
      );
      expect(await committedOffset(env.kafka, name, `${name}-in`)).toBe(before);
      // Nothing lost: A's close commits what it processed.
      await c.streams.close({ timeoutMs: 20000 });
      await a.streams.close({ timeoutMs: 20000 });
      expect(await committedOffset(env.kafka, name, `${name}-in`)).toBe(50);
      expect(resets(a)).toEqual([]);
    },
  );

  /**
   * At-least-once, stateless: A forwards 100 records per partition (nothing committed: a long commit
   * interval), B joins, and A's revocation commit fails. As Kafka Streams (TaskMigrated,
   * `handleLostAll`), every task of A closes dirty and the partition A keeps goes back to its
   * committed offset (none: the start), so its 100 records are forwarded again; B forwards the moved
   * partition's from the start too. Before, only the revoked task closed and A ran on past offsets no
   * commit covered: the kept partition's records were forwarded once.
   */
  it.each(REBALANCE_CLIENTS)(
    'at_least_once, stateless, on %s: a failed revocation commit sends the kept partition back to its committed offset',
    async (label, kind) => {
      const name = `alos-stateless-failed-${slug(label)}`;
      await createTopics(env.kafka, [
        { topic: `${name}-in`, numPartitions: 2 },
        { topic: `${name}-out`, numPartitions: 2 },
      ]);
      const FIRST = 100;
      const failing = { commits: false };
      const a = app(name, forwardTopology(name), 'at_least_once', kind, {
        commitIntervalMs: 600_000,
        failing,
      });
      await a.streams.start();
      const batch = (partition: number, from: number, n: number) =>
        Array.from({ length: n }, (_, i) => ({
          key: `k${i % 10}`,
          value: `p${partition}-${from + i}`,
          partition,
        }));
      await produce(env.kafka, `${name}-in`, [...batch(0, 0, FIRST), ...batch(1, 0, FIRST)]);
      await waitFor(async () => (await processed(a)) === 2 * FIRST, 60000, 'A forwarded every record');
      failing.commits = true;
      const b = app(name, forwardTopology(name), 'at_least_once', kind);
      await b.streams.start();
      await waitFor(
        async () => running(a, b) && (await tasks(a)) === 1 && (await tasks(b)) === 1,
        60000,
        'A and B running one task each',
      );
      failing.commits = false;
      await produce(env.kafka, `${name}-in`, [...batch(0, FIRST, 20), ...batch(1, FIRST, 20)]);
      // Model: every record once, and the first FIRST of both partitions once more (B those of the
      // moved partition, A those of the one it kept).
      const expected = new Map<string, number>();
      for (const p of [0, 1])
        for (let i = 0; i < FIRST + 20; i++) expected.set(`p${p}-${i}`, i < FIRST ? 2 : 1);
      const total = [...expected.values()].reduce((x, y) => x + y, 0);
      await waitFor(
        async () => (await processed(a)) + (await processed(b)) >= total,
        60000,
        'A and B forwarded the records',
      );
      // (Settled: nothing forwarded beyond the model.)
      await new Promise((r) => setTimeout(r, 500));
      expect((await processed(a)) + (await processed(b))).toBe(total);
      const counts = new Map<string, number>();
      for (const r of await consume(env.kafka, `${name}-out`, total, 60000))
        counts.set(String(r.value), (counts.get(String(r.value)) ?? 0) + 1);
      expect(counts).toEqual(expected);
      expect(resets(a).length).toBeGreaterThan(0);
      await Promise.all([a.streams.close({ timeoutMs: 20000 }), b.streams.close({ timeoutMs: 20000 })]);
    },
  );
});
